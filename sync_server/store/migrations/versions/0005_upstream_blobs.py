"""Attachments on the upward link: which blobs still have to go up or come down.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upstream_blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("direction", sa.String(4), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("upstream_blobs")
