"""The event log API (contract 0001).  Every function works inside the caller's transaction:
the event, its outbox row, the counter and the projection commit or roll back together."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, exists, func, insert, select, text
from sqlalchemy.orm import Session, aliased

from petition_core.events import (
    PAYLOAD_JSON,
    SCHEMA_VERSION,
    SEALED_PREFIX,
    Event,
    EventDraft,
    EventFormatError,
    make_payload,
    validate_envelope,
)
from petition_core.ids import uuid7

from . import projection
from .models import EventRow, OutboxRow, QuarantineRow, SettingRow, Station

log = logging.getLogger(__name__)
# The mapped classes' tables, for Core inserts (SQLAlchemy types ``__table__`` as any
# FromClause; a declarative class's is always its Table)
_EVENTS = cast(Table, EventRow.__table__)
_OUTBOX = cast(Table, OutboxRow.__table__)

SEQ_COUNTER = "station_seq"


class StoreError(Exception):
    """A store-level refusal with a stable ASCII ``code`` (e.g. ``seq_conflict``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def now_iso() -> str:
    """Local wall-clock time with its offset: display only, never used for ordering."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def station_row(session: Session) -> Station:
    st = session.get(Station, 1)
    if st is None:
        raise StoreError("not_initialised", "station has not been set up")
    return st


_COUNTER_NEXT = text(
    "INSERT INTO counter (name, value) VALUES (:n, 1)"
    " ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value")
_COUNTER_BUMP = text(
    "INSERT INTO counter (name, value) VALUES (:n, :v)"
    " ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)")
_MAX_LAMPORT = text("SELECT coalesce(max(lamport), 0) FROM event WHERE case_id = :c")
_EVENT_EXISTS = text("SELECT 1 FROM event WHERE event_id = :e")
_SEQ_TAKEN = text("SELECT 1 FROM event WHERE station_id = :s AND station_seq = :q")


def next_counter(session: Session, name: str) -> int:
    """Increment and return a gap-free counter (same transaction as its user, so a rollback
    gives the number back)."""
    return int(session.connection().execute(_COUNTER_NEXT, {"n": name}).scalar_one())


def _bump_counter_to(session: Session, name: str, value: int) -> None:
    session.connection().execute(_COUNTER_BUMP, {"n": name, "v": value})


def _to_event(r: EventRow) -> Event:
    return Event(event_id=r.event_id, case_id=r.case_id, station_id=r.station_id,
                 station_seq=r.station_seq, type=r.type, lamport=r.lamport, actor=r.actor,
                 occurred_at=r.occurred_at, payload=r.payload, payload_enc=r.payload_enc,
                 route=r.route, schema_version=r.schema_version)


def _to_row(ev: Event) -> dict[str, object]:
    return {"event_id": ev.event_id, "case_id": ev.case_id, "station_id": ev.station_id,
            "station_seq": ev.station_seq, "type": ev.type, "lamport": ev.lamport,
            "actor": ev.actor, "occurred_at": ev.occurred_at, "payload": ev.payload,
            "payload_enc": ev.payload_enc, "route": ev.route,
            "schema_version": ev.schema_version}


def _max_lamport(session: Session, case_id: str) -> int:
    return int(session.connection().execute(_MAX_LAMPORT, {"c": case_id}).scalar_one())


def append_events(session: Session, drafts: Sequence[EventDraft], actor: str,
                  gate: Callable[[Event], None] | None = None) -> list[Event]:
    """Turn local drafts into stored events: event_id, gap-free station_seq, lamport,
    event + outbox rows, projection refreshed.  Raises EventFormatError for a bad draft.
    ``gate`` (the services pass petition_core.gate's verdict) judges each finished event,
    exactly as the county will at merge, and raises to refuse it before anything is
    written."""
    st = station_row(session)
    seen_lamport: dict[str, int] = {}
    out: list[Event] = []
    stamp = now_iso()
    for d in drafts:
        if d.sealed_payload is not None:
            payload, enc = d.sealed_payload, SEALED_PREFIX + (d.sealed_scheme or "unknown")
        else:
            payload, enc = make_payload(d.data), PAYLOAD_JSON
        if d.case_id not in seen_lamport:
            seen_lamport[d.case_id] = _max_lamport(session, d.case_id)
        lamport = seen_lamport[d.case_id] + 1
        seen_lamport[d.case_id] = lamport
        ev = Event(event_id=uuid7(), case_id=d.case_id, station_id=st.station_id,
                   station_seq=next_counter(session, SEQ_COUNTER), type=str(d.type.value
                   if hasattr(d.type, "value") else d.type), lamport=lamport, actor=actor,
                   occurred_at=stamp, payload=payload, payload_enc=enc, route=d.route,
                   schema_version=SCHEMA_VERSION)
        validate_envelope(ev)
        if gate is not None:
            gate(ev)
        out.append(ev)
    if not out:
        return out
    conn = session.connection()   # Core inserts: bulk fills write 100,000 cases this way
    conn.execute(insert(_EVENTS), [_to_row(ev) for ev in out])
    conn.execute(insert(_OUTBOX),
                 [{"event_id": ev.event_id, "queued_at": stamp} for ev in out])
    projection.refresh(session.connection(), {ev.case_id for ev in out})
    return out


def apply_remote_events(session: Session, events: Iterable[Event]) -> tuple[int, int]:
    """Store pulled events (no outbox).  Idempotent by event_id; an event whose
    (station_id, station_seq) is already taken by a different event_id raises
    StoreError('seq_conflict') and the caller's transaction should roll back."""
    st = session.get(Station, 1)
    applied = duplicates = 0
    touched: set[str] = set()
    for ev in events:
        validate_envelope(ev)
        conn = session.connection()
        if conn.execute(_EVENT_EXISTS, {"e": ev.event_id}).first() is not None:
            duplicates += 1
            continue
        if conn.execute(_SEQ_TAKEN, {"s": ev.station_id, "q": ev.station_seq}).first():
            raise StoreError("seq_conflict", f"{ev.station_id}#{ev.station_seq}")
        conn.execute(insert(_EVENTS), [_to_row(ev)])
        if st is not None and ev.station_id == st.station_id:
            # our own events coming back (e.g. after a restore): never reuse their numbers
            _bump_counter_to(session, SEQ_COUNTER, ev.station_seq)
        applied += 1
        touched.add(ev.case_id)
    if touched:
        projection.refresh(session.connection(), touched)
    return applied, duplicates


def adopt_station_id(session: Session, new_id: str, seq_offset: int = 0) -> int:
    """Enrollment gave this station its id (the county assigns it): our own events so far,
    made under the provisional id nobody else has seen, take the new id, and their
    station_seq moves up by ``seq_offset`` (a re-enrolled station's server already holds
    its earlier events 1..offset).  Returns how many events moved."""
    st = station_row(session)
    old = st.station_id
    if old == new_id and not seq_offset:
        return 0
    conn = session.connection()
    res = conn.execute(text("UPDATE event SET station_id = :new, station_seq = station_seq + :o"
                            " WHERE station_id = :old"),
                       {"new": new_id, "o": seq_offset, "old": old})
    if seq_offset:
        current = conn.execute(text("SELECT value FROM counter WHERE name = :n"),
                               {"n": SEQ_COUNTER}).scalar() or 0
        _bump_counter_to(session, SEQ_COUNTER, int(current) + seq_offset)
    st.station_id = new_id
    session.flush()
    return res.rowcount or 0


def outbox_batch(session: Session, limit: int = 200) -> list[Event]:
    """The oldest unacknowledged local events, in station_seq order (contiguous)."""
    rows = session.scalars(
        select(EventRow).join(OutboxRow, OutboxRow.event_id == EventRow.event_id)
        .order_by(EventRow.station_seq).limit(limit)).all()
    return [_to_event(r) for r in rows]


def outbox_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def ack_events(session: Session, event_ids: Iterable[str]) -> int:
    """Delete acknowledged events from the outbox; returns how many were removed."""
    ids = list(event_ids)
    if not ids:
        return 0
    # a DML statement's result is a CursorResult (Session.execute is typed as any Result)
    res = cast(CursorResult[Any],
               session.execute(delete(OutboxRow).where(OutboxRow.event_id.in_(ids))))
    return res.rowcount or 0


def quarantine_event(session: Session, event_id: str, code: str, detail: str = "") -> None:
    """Record a rejection and take the event out of the outbox (the event itself stays)."""
    session.add(QuarantineRow(event_id=event_id, code=code, detail=detail[:2000],
                              at=now_iso()))
    session.execute(delete(OutboxRow).where(OutboxRow.event_id == event_id))


GAP = "event_gap"  # the server is missing an earlier event of ours: not the event's fault


def requeue_gap_quarantine(session: Session) -> int:
    """Put back into the outbox events an older version quarantined as ``event_gap`` (a
    gap is never the event's own fault: it goes again once the gap is filled)."""
    rows = session.scalars(select(QuarantineRow).where(QuarantineRow.code == GAP)).all()
    for r in rows:
        if session.get(OutboxRow, r.event_id) is None and session.execute(
                _EVENT_EXISTS, {"e": r.event_id}).first() is not None:
            session.add(OutboxRow(event_id=r.event_id, queued_at=now_iso()))
        session.delete(r)
    return len(rows)


def requeue_quarantined(session: Session) -> int:
    """Send every quarantined event again (after the county upgraded its server, say): each
    goes back to the outbox; one still refused comes back to quarantine with its reason."""
    rows = session.scalars(select(QuarantineRow)).all()
    stamp = now_iso()
    for r in rows:
        if session.get(OutboxRow, r.event_id) is None and session.execute(
                _EVENT_EXISTS, {"e": r.event_id}).first() is not None:
            session.add(OutboxRow(event_id=r.event_id, queued_at=stamp))
        session.delete(r)
    return len(rows)


def requeue_own(session: Session, from_seq: int, to_seq: int) -> int:
    """Queue again our own events with ``from_seq <= station_seq < to_seq`` that are neither
    queued nor quarantined (the server lost them: restored from an older backup).
    Returns how many were queued."""
    st = station_row(session)
    quarantined = select(QuarantineRow.event_id)
    queued = select(OutboxRow.event_id)
    ids = session.scalars(
        select(EventRow.event_id).where(
            EventRow.station_id == st.station_id,
            EventRow.station_seq >= from_seq, EventRow.station_seq < to_seq,
            EventRow.event_id.not_in(quarantined), EventRow.event_id.not_in(queued))).all()
    stamp = now_iso()
    for eid in ids:
        session.add(OutboxRow(event_id=eid, queued_at=stamp))
    return len(ids)


def own_through(session: Session) -> int:
    """n such that we hold all our own events 1..n (0 if they are not contiguous): the
    server need not send them back in a pull."""
    st = session.get(Station, 1)
    if st is None:
        return 0
    high, n = session.execute(
        select(func.max(EventRow.station_seq), func.count())
        .where(EventRow.station_id == st.station_id)).one()
    return int(high) if high and high == n else 0


def held_through(session: Session, station_ids: Iterable[str]) -> dict[str, int]:
    """For each station: n such that we hold its events 1..n (0 when we lack its first).
    A township tells the server so (``pull.held``) for the villages it relays, and the
    server leaves those events out of the pull: they would only come back as duplicates."""
    out: dict[str, int] = {}
    for sid in sorted(set(station_ids)):
        low, high, n = session.execute(
            select(func.min(EventRow.station_seq), func.max(EventRow.station_seq),
                   func.count()).where(EventRow.station_id == sid)).one()
        if not n or low != 1:
            out[sid] = 0
        elif high == n:
            out[sid] = int(high)
        else:  # a hole: the end of the run that starts at 1
            nxt = aliased(EventRow)
            out[sid] = int(session.scalar(
                select(func.min(EventRow.station_seq)).where(
                    EventRow.station_id == sid,
                    ~exists().where(nxt.station_id == sid,
                                    nxt.station_seq == EventRow.station_seq + 1))) or 0)
    return out


def list_quarantine(session: Session) -> list[tuple[str, str, str, str]]:
    rows = session.scalars(select(QuarantineRow).order_by(QuarantineRow.id)).all()
    return [(r.event_id, r.code, r.detail, r.at) for r in rows]


def case_events(session: Session, case_id: str) -> list[Event]:
    """Every stored event of a case, in local arrival order (fold sorts them itself)."""
    rows = session.scalars(
        select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.local_pos)).all()
    return [_to_event(r) for r in rows]


def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(SettingRow, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


__all__ = ["StoreError", "append_events", "apply_remote_events", "outbox_batch", "ack_events",
           "quarantine_event", "case_events", "get_setting", "set_setting", "EventFormatError",
           "outbox_count", "list_quarantine", "next_counter", "station_row", "now_iso",
           "requeue_gap_quarantine", "requeue_own", "requeue_quarantined", "own_through",
           "GAP", "adopt_station_id"]
