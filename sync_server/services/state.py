"""The server's key-value state (``server_state``): its identity, and its state as a client
of the level above.  ``set_state`` is the table's one writer (identity.py, upstream*.py)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from ..store.db import dialect_insert
from ..store.models import server_state


def set_state(conn: Connection, **values: Any) -> None:
    """Insert or replace each key, inside the caller's transaction."""
    stmt = dialect_insert(conn, server_state)
    for k, v in values.items():
        conn.execute(stmt.values(key=k, value=str(v)).on_conflict_do_update(
            index_elements=[server_state.c.key], set_={"value": str(v)}))
