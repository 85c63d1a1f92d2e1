"""Unfinished attachment uploads belong to the station sending them (issue 7 A5).

One row per (sha256, station) in ``blob_uploads``, with its own part file; ``blobs`` keeps
only complete, verified blobs.  Unfinished rows of ``blobs`` move over to their uploader
(their part file keeps its old name ``<sha>.part``).  Downgrading drops unfinished uploads:
their stations start those files again from byte 0.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_blobs = sa.table("blobs", sa.column("sha256", sa.String), sa.column("size", sa.BigInteger),
                  sa.column("total", sa.BigInteger), sa.column("complete", sa.Boolean),
                  sa.column("uploaded_by", sa.String), sa.column("created_at", sa.String))


def upgrade() -> None:
    uploads = op.create_table(
        "blob_uploads",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("station_id", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("part_name", sa.String(100), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_blob_uploads_station_id", "blob_uploads", ["station_id"])
    op.create_index("ix_blobs_uploaded_by", "blobs", ["uploaded_by", "created_at"])
    unfinished = _blobs.c.complete == sa.false()
    op.execute(sa.insert(uploads).from_select(
        ["sha256", "station_id", "size", "total", "part_name", "started_at", "updated_at"],
        sa.select(_blobs.c.sha256, _blobs.c.uploaded_by, _blobs.c.size, _blobs.c.total,
                  _blobs.c.sha256 + ".part", _blobs.c.created_at, _blobs.c.created_at)
        .where(unfinished)))
    op.execute(sa.delete(_blobs).where(unfinished))


def downgrade() -> None:
    op.drop_index("ix_blobs_uploaded_by", table_name="blobs")
    op.drop_index("ix_blob_uploads_station_id", table_name="blob_uploads")
    op.drop_table("blob_uploads")
