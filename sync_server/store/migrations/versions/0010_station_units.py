"""Units (issue 9 item 1; decisions/0009): a station acts as a unit — its division's centre
or a department ``<division>.<suffix>`` — and an enrollment code may name that unit.

* ``stations.unit``: the unit the station enrolled as; existing rows get their division
  (every station before units was its division's centre).
* ``enrollment_codes.unit``: the unit a code enrolls (null = its division).

Revision ID: 0010
Revises: 0008 (the lead re-chains it after 0009)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.add_column(sa.Column("unit", sa.String(25)))
    op.execute("UPDATE stations SET unit = division WHERE unit IS NULL")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("unit", sa.String(25)))


def downgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("unit")
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("unit")
