"""Public progress by query code (issue 9 item 10): case number → case id.

``public_cases`` is filled lazily from the ``case.registered`` events in ``events`` (by
``server_pos``, cursor ``public_index_pos`` in ``server_state``) just before a public
lookup, so the merge does not change.  A case number is not unique by construction (a
hostile station may reuse one), so the key is the pair; a lookup tries each case id.

Revision ID: 0011
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_cases",
        sa.Column("case_no", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.String(36), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("public_cases")
