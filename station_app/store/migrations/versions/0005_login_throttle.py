"""Failed logins per typed login, for the login back-off (issue 7 B9).

Keyed by the sha256 of the typed login, never its text: a clerk sometimes types the
password into the name field.  Issue 10's lockout with an administrator's unlock extends
this table.

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
        "login_attempt",
        sa.Column("login_key", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.String(40), nullable=False),
        sa.Column("blocked_until", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("login_key", name="pk_login_attempt"),
    )


def downgrade() -> None:
    op.drop_table("login_attempt")
