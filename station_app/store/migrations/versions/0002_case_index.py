"""The case_index projection, its filter/sort indexes and the FTS5 trigram table; backfilled
from the event log, so a station upgraded from 0001 finds every case it already had.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_case_index_status_received": ["status", "received_at"],
    "ix_case_index_status_due": ["status", "due_key"],
    "ix_case_index_open": ["is_open"],
    "ix_case_index_needs_decision": ["needs_decision"],
    "ix_case_index_received_at": ["received_at"],
    "ix_case_index_due_key": ["due_key"],
    "ix_case_index_case_no": ["case_no"],
    "ix_case_index_query_code": ["query_code"],
    "ix_case_index_id_number": ["id_number"],
    "ix_case_index_name_div": ["petitioner_name", "petitioner_division"],
    "ix_case_index_petitioner_division": ["petitioner_division"],
    "ix_case_index_category": ["category", "received_at"],
    "ix_case_index_channel": ["channel", "received_at"],
    "ix_case_index_updated_pos": ["updated_pos"],
}


def upgrade() -> None:
    # imported here: the projection code is only needed when this revision runs
    from station_app.store import projection

    op.create_table(
        "case_index",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(30), nullable=False),
        sa.Column("query_code", sa.String(10), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("owner_division", sa.String(12), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("channel", sa.String(30), nullable=False),
        sa.Column("statute_type", sa.String(20), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("petitioner_name", sa.String(50), nullable=False),
        sa.Column("petitioner_division", sa.String(12), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("name_keys", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("due_date", sa.String(10), nullable=True),
        sa.Column("due_key", sa.String(10), nullable=False),
        sa.Column("concluded_at", sa.String(40), nullable=True),
        sa.Column("satisfaction", sa.String(20), nullable=True),
        sa.Column("needs_decision", sa.Boolean(), nullable=False),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("repeat_count", sa.Integer(), nullable=False),
        sa.Column("updated_pos", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_index"),
        sa.UniqueConstraint("doc_id", name="uq_case_index_doc_id"),
    )
    for name, cols in _INDEXES.items():
        op.create_index(name, "case_index", cols)
    op.execute(projection.FTS_CREATE)
    projection.rebuild_all(op.get_bind())


def downgrade() -> None:
    op.execute(f"DROP TABLE IF EXISTS {'case_fts'}")
    op.drop_table("case_index")
