"""Alembic environment: the engine is handed in by sync_server.store.db (no ini file)."""
from __future__ import annotations

from alembic import context

from sync_server.store.models import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
