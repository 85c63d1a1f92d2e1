"""Trust model (docs/decisions/0004-trust-model.md): server-assigned station numbers,
enrollment epochs, station-bound enrollment codes, upstream servers' identities and the
county-signed register.

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

_POS = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.add_column(sa.Column("epoch", sa.BigInteger(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("station_no", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("server_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("server_key", sa.String(64), nullable=True))
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("station_id", sa.String(64), nullable=True))
    op.create_table(
        "station_numbers",
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("station_no", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("assigned_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("division", "station_no", name="pk_station_numbers"),
    )
    op.create_table(
        "register",
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("issuer", sa.String(64), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("server_id", sa.String(64), nullable=True),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("pos", _POS, nullable=False),
        sa.Column("record", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name="pk_register"),
    )
    op.create_index("ix_register_pos", "register", ["pos"], unique=True)
    op.create_index("ix_register_server_id", "register", ["server_id"])


def downgrade() -> None:
    op.drop_index("ix_register_server_id", table_name="register")
    op.drop_index("ix_register_pos", table_name="register")
    op.drop_table("register")
    op.drop_table("station_numbers")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("station_id")
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("server_key")
        batch.drop_column("server_id")
        batch.drop_column("station_no")
        batch.drop_column("epoch")
