"""The station's local store: SQLite via SQLAlchemy, Alembic-migrated, event log + projection.

The names below are imported on first use (PEP 562), so that ``station_app.store.migrations``
(``HEAD_REVISION``, read by the login's quick path) does not pull in SQLAlchemy."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .db import Store, open_store  # noqa: F401
    from .eventlog import (  # noqa: F401
        StoreError,
        ack_events,
        append_events,
        apply_remote_events,
        case_events,
        get_setting,
        outbox_batch,
        quarantine_event,
        set_setting,
    )

_FROM_DB = {"Store", "open_store"}
_FROM_EVENTLOG = {"StoreError", "ack_events", "append_events", "apply_remote_events",
                  "case_events", "get_setting", "outbox_batch", "quarantine_event",
                  "set_setting"}


def __getattr__(name: str) -> Any:
    if name in _FROM_DB:
        from . import db

        return getattr(db, name)
    if name in _FROM_EVENTLOG:
        from . import eventlog

        return getattr(eventlog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
