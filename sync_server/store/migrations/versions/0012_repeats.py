"""County-wide repeat and 越级 detection (Art. 19, issue 9 item 6): ``repeat_index`` (hashed
keys of every plainly registered case, kept by the merge) and ``repeat_matches`` (what a
registration matched).  No backfill: the keys are HMACs under the server's repeat key,
which lives in the keys folder and not in the database, so only registrations merged from
this revision on are indexed (sync_server/services/repeats.py).

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_POS = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "repeat_index",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("received_on", sa.String(10), nullable=False),
    )
    op.create_index("ix_repeat_index_key", "repeat_index", ["kind", "key_hash"])
    op.create_index("ix_repeat_index_division", "repeat_index",
                    ["kind", "division", "received_on"])
    op.create_table(
        "repeat_matches",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("matched_case_id", sa.String(36), primary_key=True),
        sa.Column("reason", sa.String(16), primary_key=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flag", sa.String(20)),
        sa.Column("matched_case_no", sa.String(40), nullable=False),
        sa.Column("found_pos", _POS, nullable=False),
    )
    op.create_index("ix_repeat_matches_pos", "repeat_matches", ["found_pos"])


def downgrade() -> None:
    op.drop_table("repeat_matches")
    op.drop_table("repeat_index")
