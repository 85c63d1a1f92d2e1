"""Query codes kept only where they were made (issue 9 item 10).

A new ``case.registered`` carries ``query_code_hash``, never the clear code; the registering
station keeps the clear code here, written in the same transaction as the event, for the
receipt, its reprints and its casebook search by code.  Never synced, never in a bundle.
Cases registered before keep their clear code in their event (and so in case_index).

Revision ID: 0011
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_query_code",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(10), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("local_query_code")
