"""The workbench queue columns of case_index (issue 9 item 4), filled by rebuilding it.

Why: the county workbench lists a unit's 待签收, 待受理, 办理中, 即将超期, 已超期, 待审核办结,
督办中 and 复查复核 (petition_core/queues.py).  Folding every case to ask would take seconds at
200,000 cases; with the handling, supervising and reviewing units, the handler's stage, a
pending 办结报告 and an open 督办 stored per case, each queue is one indexed query.  The rows
are recomputed from the events (projection.rebuild_all), as every projection column is.

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



def _columns() -> list[sa.Column]:
    return [
        sa.Column("handling_unit", sa.String(40), nullable=False, server_default=""),
        sa.Column("supervising_unit", sa.String(40), nullable=False, server_default=""),
        sa.Column("reviewing_unit", sa.String(40), nullable=False, server_default=""),
        sa.Column("stage", sa.String(10), nullable=False, server_default=""),
        sa.Column("report_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("urged", sa.Boolean(), nullable=False, server_default=sa.false()),
    ]


# each queue branch (station_app/services/queues.BRANCHES) reads one of these alone, in
# (due_key, case_id) order, without touching the table
INDEXES = {
    "ix_case_index_handling_unit_stage_due_key_case_id":
        ["handling_unit", "stage", "due_key", "case_id"],
    "ix_case_index_supervising_unit_stage_due_key_case_id_handling_unit":
        ["supervising_unit", "stage", "due_key", "case_id", "handling_unit"],
    "ix_case_index_supervising_unit_report_pending_due_key_case_id":
        ["supervising_unit", "report_pending", "due_key", "case_id"],
    "ix_case_index_reviewing_unit_stage_due_key_case_id":
        ["reviewing_unit", "stage", "due_key", "case_id"],
    "ix_case_index_urged_handling_unit_due_key_case_id":
        ["urged", "handling_unit", "due_key", "case_id"],
    "ix_case_index_urged_supervising_unit_due_key_case_id_handling_unit":
        ["urged", "supervising_unit", "due_key", "case_id", "handling_unit"],
}


def upgrade() -> None:
    # imported here: only needed when this revision runs
    from station_app.store import projection

    for col in _columns():
        op.add_column("case_index", col)
    for name, cols in INDEXES.items():
        op.create_index(name, "case_index", cols)
    projection.rebuild_all(op.get_bind())


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="case_index")
    with op.batch_alter_table("case_index") as b:
        for col in _columns():
            b.drop_column(col.name)
