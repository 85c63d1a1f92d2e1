"""Recount the stored next deadline of every open case with the rule of periods.

Why: until now a period of days ended on its last calendar day even when that was a
holiday (15 days from 2026-01-31 gave 02-15, in 春节, instead of 02-24), and a year missing
from the holiday table counted its statutory holidays as working days.  ``case_index.due_date``
drives the case book's deadline column, its overdue/near filters and the dashboard counts,
so every open case is refolded once.  Data only: no schema change, nothing to undo.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # imported here: the projection code is only needed when this revision runs
    from station_app.store import projection

    projection.refresh_due_dates(op.get_bind())


def downgrade() -> None:
    """The old dates were wrong; an older program recomputes a case's row when it changes."""
