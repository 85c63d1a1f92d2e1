"""Units (issue 9 item 1; decisions/0009): a station acts as a unit — its division's centre
or a department ``<division>.<suffix>`` — and an enrollment code may name that unit.

* ``stations.unit``: the unit the station enrolled as; existing rows get their division
  (every station before units was its division's centre).
* ``enrollment_codes.unit``: the unit a code enrolls (null = its division).
* ``reference_data``: the county's unit register rows and holiday years, each signed with
  the county key, pulled by stations after their ``reference_cursor`` (``pos``).

Revision ID: 0010
Revises: 0008 (the lead re-chains it after 0009)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.add_column(sa.Column("unit", sa.String(25)))
    op.execute("UPDATE stations SET unit = division WHERE unit IS NULL")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("unit", sa.String(25)))
    op.create_table(
        "reference_data",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("pos", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("record", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name="pk_reference_data"),
    )
    op.create_index("ix_reference_data_pos", "reference_data", ["pos"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_reference_data_pos", table_name="reference_data")
    op.drop_table("reference_data")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("unit")
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("unit")
