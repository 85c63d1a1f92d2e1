"""Upstream sync (county → city): enrollment code kind and the client-side state table.

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


def upgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False,
                                   server_default="station"))
    op.create_table(
        "server_state",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_server_state"),
    )


def downgrade() -> None:
    op.drop_table("server_state")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("kind")
