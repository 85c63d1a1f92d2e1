"""The county-signed register of stations (docs/decisions/0004-trust-model.md).

Why: a station trusts only keys it got from its county.  Each row is one register record
exactly as the county signed it (``record``, ``sig``), with the fields the station looks up
copied beside it; a record is stored only after its signature checked out with the county
key the station got at enrollment.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register",
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("issuer", sa.String(64), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("station_no", sa.Integer(), nullable=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("sig", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name="pk_register"),
    )
    op.create_index("ix_register_division", "register", ["division"])


def downgrade() -> None:
    op.drop_index("ix_register_division", table_name="register")
    op.drop_table("register")
