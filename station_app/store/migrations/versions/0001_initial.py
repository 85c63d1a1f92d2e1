"""First schema: station, operators, the event log, outbox, quarantine, counters, settings,
attachments.  (The case_index projection and full-text search come in 0002.)

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


def upgrade() -> None:
    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.String(36), nullable=False),
        sa.Column("station_code", sa.String(12), nullable=False),
        sa.Column("division", sa.String(12), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_station"),
        sa.UniqueConstraint("station_id", name="uq_station_station_id"),
    )
    op.create_table(
        "operator",
        sa.Column("login", sa.String(20), nullable=False),
        sa.Column("display_name", sa.String(50), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("pw_hash", sa.LargeBinary(), nullable=False),
        sa.Column("pw_salt", sa.LargeBinary(), nullable=False),
        sa.Column("pw_params", sa.String(60), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("login", name="pk_operator"),
    )
    op.create_table(
        "event",
        sa.Column("local_pos", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("station_seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("lamport", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.String(40), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("payload_enc", sa.String(40), nullable=False),
        sa.Column("route", sa.String(12), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("local_pos", name="pk_event"),
        sa.UniqueConstraint("event_id", name="uq_event_event_id"),
        sa.UniqueConstraint("station_id", "station_seq", name="uq_event_station_id_station_seq"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_event_case_id", "event", ["case_id"])
    op.create_table(
        "outbox",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("queued_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.event_id"], ondelete="CASCADE",
                                name="fk_outbox_event_id_event"),
        sa.PrimaryKeyConstraint("event_id", name="pk_outbox"),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quarantine"),
    )
    op.create_index("ix_quarantine_event_id", "quarantine", ["event_id"])
    op.create_table(
        "counter",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counter"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_setting"),
    )
    op.create_table(
        "attachment",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("stored_path", sa.String(300), nullable=False),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_attachment"),
    )


def downgrade() -> None:
    for t in ("attachment", "setting", "counter", "quarantine", "outbox", "event", "operator",
              "station"):
        op.drop_table(t)
