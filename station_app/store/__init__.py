"""The station's local store: SQLite via SQLAlchemy, Alembic-migrated, event log + projection."""
from __future__ import annotations

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
