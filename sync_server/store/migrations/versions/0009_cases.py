"""Each case's folded state and who may see it (issue 9; docs/decisions/0007).

* ``cases``: one row per registered case, the fold's status and the parties of
  petition_core.ownership (registering, handling, supervising, reviewing units), kept up to
  date inside the merge transaction (sync_server.store.cases).
* ``case_units``: one row per unit that may see a case, its strongest relation, its view
  (``full`` or ``followup``) and the server_pos from which that view holds (a pull
  delivers the case's earlier events when its window contains it).

Both are filled from the stored events by folding each case (store.cases.rebuild).
``case_routes`` stays (blob references and the gate's attachment rule still read it).

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_POS = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("registering", sa.String(25), nullable=False),
        sa.Column("registering_station", sa.String(64), nullable=False),
        sa.Column("handling", sa.String(25), nullable=False),
        sa.Column("supervising", sa.String(25)),
        sa.Column("reviewing", sa.String(25)),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("last_pos", _POS, nullable=False),
    )
    op.create_index("ix_cases_handling", "cases", ["handling"])
    op.create_table(
        "case_units",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("unit", sa.String(25), primary_key=True),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column("view", sa.String(8), nullable=False),
        sa.Column("since_pos", _POS, nullable=False),
    )
    op.create_index("ix_case_units_unit", "case_units", ["unit", "since_pos"])
    from sync_server.store.cases import rebuild
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("case_units")
    op.drop_table("cases")
