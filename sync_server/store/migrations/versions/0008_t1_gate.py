"""The gate at merge (issue 7): why a voided event was refused, and which stations proved
they hold a blob.

* ``voided_events.detail``: the refused field path(s) or the authorization reason
  (``petitioner.id_number:id_checksum``; ``case not visible to the station``), shown by
  ``suqiu-server rejected``.  ASCII, never a value from the record.
* ``blob_holders``: a station that uploaded its own copy of a blob another station uploaded
  first, in its own upload slot, and whose sha256 verified (when).  It may then
  name and read the blob like its first uploader; until then the server answers it as if
  the blob did not exist (HEAD/PUT must not tell a station whether somebody else's file is
  here).

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voided_events") as batch:
        batch.add_column(sa.Column("detail", sa.String(200), nullable=False,
                                   server_default=""))
    op.create_table(
        "blob_holders",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("station_id", sa.String(64), primary_key=True),
        sa.Column("proved_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("blob_holders")
    with op.batch_alter_table("voided_events") as batch:
        batch.drop_column("detail")
