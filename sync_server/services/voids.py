"""Voided events: a content-rejected event at the seq a station's next event must have.

Its seq counts as used (``station_progress`` moves past it) so the station's later events
still apply, and the item is kept in ``voided_events`` for the county to inspect
(``suqiu-server rejected``).  See docs/PROTOCOL.md, "Voided events".
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from petition_core.events import canonical_json

from ..store.models import station_progress, voided_events
from . import utcnow

_MAX_INT = 2**62


def raw_seq(d: Any, origin: str) -> int | None:
    """The station_seq an unreadable item claims, when it names ``origin`` and a usable
    number (so the seq can be voided; see ``voided_events``)."""
    if not isinstance(d, dict) or d.get("station_id") != origin:
        return None
    q = d.get("station_seq")
    if isinstance(q, bool) or not isinstance(q, int) or not 0 < q < _MAX_INT:
        return None
    return q


def void_row(d: Any, origin: str, seq: int, eid: str, code: str,
              received_from: str, detail: str | None = None) -> dict[str, Any]:
    try:
        item = canonical_json(d)
    except (TypeError, ValueError):
        item = b"null"
    return {"station_id": origin, "station_seq": seq, "event_id": eid[:64], "code": code[:40],
            "item": item, "received_at": utcnow(), "received_from": received_from,
            "detail": (detail or "")[:200]}


def next_seq(engine: Engine, station_id: str) -> int:
    """The station_seq the server expects next from ``station_id``."""
    with engine.connect() as conn:
        high = conn.execute(select(station_progress.c.high_seq)
                            .where(station_progress.c.station_id == station_id)).scalar()
    return (high or 0) + 1


def list_voided(engine: Engine) -> list[Any]:
    """Voided events, oldest first (``suqiu-server rejected``)."""
    with engine.connect() as conn:
        return list(conn.execute(
            select(voided_events.c.station_id, voided_events.c.station_seq,
                   voided_events.c.event_id, voided_events.c.code, voided_events.c.detail,
                   voided_events.c.received_at, voided_events.c.received_from)
            .order_by(voided_events.c.received_at, voided_events.c.station_id,
                      voided_events.c.station_seq)))
