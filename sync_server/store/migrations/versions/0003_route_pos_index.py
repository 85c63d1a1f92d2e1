"""Index case_routes by added_pos: the pull's "newly visible cases" look-up scans only the
routes added inside the pull window, not every route of a county-wide jurisdiction.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_routes_added_pos", "case_routes", ["added_pos"])


def downgrade() -> None:
    op.drop_index("ix_case_routes_added_pos", table_name="case_routes")
