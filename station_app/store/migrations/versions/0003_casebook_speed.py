"""Case book speed at 100,000 cases: sort indexes that end in the ``case_id`` tiebreak,
a category + channel index, and the short-term (1-2 character) search table ``case_gram``.

Why: every case-book query sorts by ``<key>, case_id``; an index on the key alone left
SQLite sorting every equal-key group in a temporary B-tree, and an OFFSET page had to sort
everything before it.  ``category = ? AND channel = ?`` had no index holding both, so the
count read ~8,000 table rows.  The replaced indexes are prefixes of the new ones, so
nothing that used them loses an index.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# old name → (new name, columns); each old index is a prefix of its replacement
_REPLACED = {
    "ix_case_index_received_at": ("ix_case_index_received_at_case_id",
                                  ["received_at", "case_id"]),
    # received_at rides along so "date range, sorted by due date" walks this index alone
    "ix_case_index_due_key": ("ix_case_index_due_key_case_id_received_at",
                              ["due_key", "case_id", "received_at"]),
    "ix_case_index_case_no": ("ix_case_index_case_no_case_id", ["case_no", "case_id"]),
    "ix_case_index_updated_pos": ("ix_case_index_updated_pos_case_id",
                                  ["updated_pos", "case_id"]),
    "ix_case_index_status_received": ("ix_case_index_status_received_at_case_id",
                                      ["status", "received_at", "case_id"]),
    "ix_case_index_status_due": ("ix_case_index_status_due_key_case_id",
                                 ["status", "due_key", "case_id"]),
    "ix_case_index_category": ("ix_case_index_category_received_at_case_id",
                               ["category", "received_at", "case_id"]),
    "ix_case_index_channel": ("ix_case_index_channel_received_at_case_id",
                              ["channel", "received_at", "case_id"]),
}
_OLD_COLUMNS = {
    "ix_case_index_received_at": ["received_at"],
    "ix_case_index_due_key": ["due_key"],
    "ix_case_index_case_no": ["case_no"],
    "ix_case_index_updated_pos": ["updated_pos"],
    "ix_case_index_status_received": ["status", "received_at"],
    "ix_case_index_status_due": ["status", "due_key"],
    "ix_case_index_category": ["category", "received_at"],
    "ix_case_index_channel": ["channel", "received_at"],
}
_ADDED = {
    "ix_case_index_status_case_id": ["status", "case_id"],
    "ix_case_index_category_channel_received_at_case_id":
        ["category", "channel", "received_at", "case_id"],
}


def upgrade() -> None:
    # imported here: only needed when this revision runs
    from station_app.store import grams

    for old, (new, cols) in _REPLACED.items():
        op.drop_index(old, table_name="case_index")
        op.create_index(new, "case_index", cols)
    for name, cols in _ADDED.items():
        op.create_index(name, "case_index", cols)
    grams.rebuild(op.get_bind())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS case_gram")
    for name in _ADDED:
        op.drop_index(name, table_name="case_index")
    for old, (new, _cols) in _REPLACED.items():
        op.drop_index(new, table_name="case_index")
        op.create_index(old, "case_index", _OLD_COLUMNS[old])
