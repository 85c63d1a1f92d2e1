"""Pulled records this version cannot take (issue 7, A1): the raw wire item, kept with its
reason, while the cursor moves on and the rest of the answer applies.

One poisoned or newer record must never stop a station's sync: it is quarantined here
(shown on the sync page with the reason), and tried again at the start of every sync, so
an upgrade that can read it applies it without anybody doing anything.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pulled_quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),   # "" when unreadable
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("item", sa.LargeBinary, nullable=False),      # the wire item, canonical JSON
        sa.Column("item_hash", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.UniqueConstraint("item_hash", name="uq_pulled_quarantine_item_hash"),
    )


def downgrade() -> None:
    op.drop_table("pulled_quarantine")
