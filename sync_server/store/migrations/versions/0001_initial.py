"""Initial schema of the county server.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Pos = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("station_code", sa.String(32), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("enrolled_at", sa.String(40), nullable=False),
        sa.Column("revoked_at", sa.String(40)),
        sa.Column("last_counter", sa.BigInteger(), nullable=False),
        sa.Column("last_sync_at", sa.String(40)),
        sa.Column("relay_of", sa.String(16)),
        sa.PrimaryKeyConstraint("station_id", name="pk_stations"),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
        sa.Column("used_at", sa.String(40)),
        sa.Column("used_by", sa.String(64)),
        sa.PrimaryKeyConstraint("code_hash", name="pk_enrollment_codes"),
    )
    op.create_table(
        "events",
        sa.Column("server_pos", Pos, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("station_seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("lamport", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.String(40), nullable=False),
        sa.Column("payload_enc", sa.String(40), nullable=False),
        sa.Column("route", sa.String(12), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("received_from", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("server_pos", name="pk_events"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
        sa.UniqueConstraint("station_id", "station_seq", name="uq_events_station_seq"),
    )
    op.create_index("ix_events_case_pos", "events", ["case_id", "server_pos"])
    op.create_table(
        "case_routes",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("added_pos", Pos, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "division", name="pk_case_routes"),
    )
    op.create_index("ix_case_routes_division", "case_routes", ["division"])
    op.create_table(
        "station_progress",
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("high_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name="pk_station_progress"),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blobs"),
    )
    op.create_table(
        "blob_refs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "case_id", name="pk_blob_refs"),
    )


def downgrade() -> None:
    for name in ("blob_refs", "blobs", "station_progress", "case_routes", "events",
                 "enrollment_codes", "stations"):
        op.drop_table(name)
