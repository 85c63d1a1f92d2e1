"""The county server's repeat findings about this station's cases (issue 9 item 6): the pull
answer's ``repeats``, checked item by item, for the case page's notice
("县里发现：该诉求与 … 号案件可能重复" / "已在办理，不再受理").  Never pushed.

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "repeat_notice",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("matched_case_id", sa.String(36), primary_key=True),
        sa.Column("reason", sa.String(16), primary_key=True),
        sa.Column("matched_case_no", sa.String(40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flag", sa.String(20), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("repeat_notice")
