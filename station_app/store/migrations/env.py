"""Alembic environment, driven programmatically by station_app.store.db.upgrade (no ini).

The engine (with the station pragmas) is passed in ``config.attributes['engine']``.
``render_as_batch`` lets later revisions alter SQLite tables by copy-and-move.
"""
from __future__ import annotations

from alembic import context

from station_app.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through station_app.store.db.upgrade()")

# BEGIN IMMEDIATE: two programs opening a new database at once (the app and a CLI command)
# must not both read "no version yet" and then race to create the same tables.
with engine.execution_options(sqlite_begin="IMMEDIATE").connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
