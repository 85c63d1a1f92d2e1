"""Voided events: a content-rejected event no longer blocks its station's later events.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voided_events",
        sa.Column("station_id", sa.String(64), primary_key=True),
        sa.Column("station_seq", sa.BigInteger, primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("item", sa.LargeBinary, nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("received_from", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("voided_events")
