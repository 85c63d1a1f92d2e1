"""Merging pushed events into the change log (docs/PROTOCOL.md, "Push and merge").

Everything a request pushes is decided and inserted in ONE transaction: either all its
applied events are committed (then acknowledged) or none are.  Writers are serialised
(SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction advisory lock), which is what makes
``server_pos`` commit in increasing order, so a pull cursor can never skip a position.
Rows go in with one executemany and ON CONFLICT DO NOTHING; the per-event checks run
against two batched look-ups, not one query per event.
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    String,
    any_,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine

from petition_core.authz import Actor
from petition_core.events import Event, EventFormatError
from petition_core.protocol import (
    ACK_APPLIED,
    ACK_DUPLICATE,
    ACK_REJECTED,
    Ack,
    ProtocolError,
)
from petition_core.schemas import BLOB_TYPES, named_blobs

from ..store.cases import FOLD_CACHE, CaseBook
from ..store.db import dialect_insert
from ..store.models import blob_refs, case_routes, events, station_progress, voided_events
from . import register as register_svc
from . import repeats, utcnow
from .auth import StationInfo
from .bundle_groups import Group, bundle_group, relayed_group
from .judging import GroupJudge, Pending
from .stations import station_unit
from .voids import raw_seq, void_row

log = logging.getLogger(__name__)

MERGE_LOCK_KEY = 7_270_001  # pg_advisory_xact_lock key shared by every writer of events
_CHUNK = 2000


def writer(engine: Engine) -> AbstractContextManager[Connection]:
    """A write transaction that serialises with every other writer of the change log."""
    return engine.execution_options(sqlite_immediate=True).begin()


def take_merge_lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MERGE_LOCK_KEY})


def _chunks(seq: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), _CHUNK):
        yield seq[i:i + _CHUNK]


def _in(conn: Connection, col: ColumnElement[Any], values: Sequence[Any],
        item_type: TypeEngine[Any]) -> ColumnElement[bool]:
    """``col IN values``; on PostgreSQL ``col = ANY(:array)``: one parameter, so the query
    text is the same for every batch (psycopg prepares it once instead of parsing a new
    400-placeholder statement each time)."""
    if conn.dialect.name == "postgresql":
        return col == any_(bindparam(None, list(values), type_=postgresql.ARRAY(item_type)))
    return col.in_(values)


def _row(ev: Event, now: str, received_from: str) -> dict[str, Any]:
    return {
        "event_id": ev.event_id, "case_id": ev.case_id, "station_id": ev.station_id,
        "station_seq": ev.station_seq, "type": ev.type, "lamport": ev.lamport,
        "actor": ev.actor, "occurred_at": ev.occurred_at, "payload_enc": ev.payload_enc,
        "route": ev.route, "schema_version": ev.schema_version, "payload": ev.payload,
        "received_at": now, "received_from": received_from,
    }


_MAX_INT = 2**62


def _fits_columns(ev: Event) -> bool:
    """Server rules beyond validate_envelope: values the columns can hold on both databases
    (an oversized integer or string must be a per-event rejection, never a 500)."""
    return (
        ev.station_seq < _MAX_INT and ev.lamport < _MAX_INT
        and len(ev.occurred_at) <= 40 and len(ev.payload_enc) <= 40 and len(ev.type) <= 40
    )


def _parse(group: Group) -> None:
    """Read every item of a group (envelope, columns, station match) into ``parsed``."""
    parsed = group.parsed
    for d in group.items:
        eid = d.get("event_id") if isinstance(d, dict) else ""
        eid = eid if isinstance(eid, str) else ""
        try:
            ev = Event.from_wire(d)
        except EventFormatError as exc:
            parsed.append((eid, d, None, exc.code))
            continue
        if not _fits_columns(ev):
            parsed.append((eid, d, None, "event_malformed"))
            continue
        if ev.station_id != group.origin:
            parsed.append((eid, d, None, "event_foreign_station"))
            continue
        parsed.append((eid, d, ev, None))


def _wire_payload(d: Any) -> Any:
    """The payload object of a wire item Event.from_wire accepted (None when sealed)."""
    return d.get("payload") if isinstance(d, dict) else None


def _decide(conn: Connection, group: Group, received_from: str = "",
            pending: Pending | None = None, book: CaseBook | None = None) -> list[Event]:
    """Fill ``group.acks``; return the events to insert, in order.  Earlier groups of the
    same request are already inserted (same transaction), so they count as stored.

    An event refused for its content at exactly the seq expected next is *voided*: its seq
    is recorded in ``voided_events`` and counts as used, so the station's later events
    still apply.  A voided event may be applied later under the same event_id (after an
    upgrade made it acceptable).  "Content" is everything the gate refuses
    (petition_core.gate: schema, authorization, content), judged only for an event that
    would otherwise be applied."""
    if group.refused:
        for d in group.items or [None]:
            eid = d.get("event_id") if isinstance(d, dict) else ""
            group.acks.append(Ack(eid if isinstance(eid, str) else "", ACK_REJECTED, group.refused))
        return []
    if not group.parsed and group.items:
        _parse(group)
    parsed = group.parsed
    good = [ev for _, _, ev, _ in parsed if ev is not None]
    actor = group.actor or Actor.of(group.origin, group.origin_division or "")
    judge = GroupJudge(conn, actor=actor, origin_division=group.origin_division,
                       relay=group.relay, evs=good,
                       pending=pending or Pending(),
                       in_=lambda col, vals, typ: _in(conn, col, vals, typ), book=book)
    by_id: dict[str, Any] = {}
    for part in _chunks([e.event_id for e in good]):
        for r in conn.execute(
            select(events.c.event_id, events.c.station_id, events.c.station_seq,
                   events.c.case_id, events.c.type, events.c.payload)
            .where(_in(conn, events.c.event_id, part, String()))
        ):
            by_id[r.event_id] = r
    high = conn.execute(
        select(station_progress.c.high_seq).where(station_progress.c.station_id == group.origin)
    ).scalar() or 0
    old_seqs = [e.station_seq for e in good if e.station_seq <= high]
    by_seq: dict[int, str] = {}
    voided: dict[int, str] = {}
    # only contiguous (or voided) seqs are ever stored, so no stored seq exceeds high
    for part in _chunks(old_seqs):
        for r in conn.execute(
            select(events.c.station_seq, events.c.event_id)
            .where(events.c.station_id == group.origin,
                   _in(conn, events.c.station_seq, part, BigInteger()))
        ):
            by_seq[r.station_seq] = r.event_id
        for r in conn.execute(
            select(voided_events.c.station_seq, voided_events.c.event_id)
            .where(voided_events.c.station_id == group.origin,
                   _in(conn, voided_events.c.station_seq, part, BigInteger()))
        ):
            voided[r.station_seq] = r.event_id
    out: list[Event] = []
    batch: dict[str, Event] = {}
    batch_seqs: dict[int, str] = {}
    voids: list[dict[str, Any]] = []
    revived: list[int] = []
    gap = False
    start_high = high

    def void(d: Any, seq: int | None, eid: str, code: str, detail: str | None = None) -> None:
        nonlocal high, gap
        if seq is not None and (gap or seq > high + 1):
            # behind a gap it cannot be judged in place: the station sends it again once
            # the gap is filled (quarantining it now would leave a hole nobody fills)
            gap = True
            group.acks.append(Ack(eid, ACK_REJECTED, "event_gap"))
            return
        if seq is not None and seq == high + 1:
            voids.append(void_row(d, group.origin, seq, eid, code, received_from, detail))
            high = seq
        group.acks.append(Ack(eid, ACK_REJECTED, code, detail or None))

    for eid, d, ev, code in parsed:
        if ev is None:
            if code == "event_foreign_station":
                group.acks.append(Ack(eid, ACK_REJECTED, code))
            else:
                void(d, raw_seq(d, group.origin), eid, code or "event_malformed")
            continue
        old = by_id.get(ev.event_id)
        if old is not None:
            same = (old.station_id, old.station_seq, old.case_id, old.type, bytes(old.payload)) == (
                ev.station_id, ev.station_seq, ev.case_id, ev.type, ev.payload)
            if same:
                group.acks.append(Ack(eid, ACK_DUPLICATE, None))
            else:
                void(d, ev.station_seq, eid, "event_id_conflict")
            continue
        if ev.event_id in batch:  # the same event twice in one push
            ok = batch[ev.event_id] == ev
            group.acks.append(Ack(eid, ACK_DUPLICATE if ok else ACK_REJECTED,
                                  None if ok else "event_id_conflict"))
            continue
        if ev.station_seq in by_seq or ev.station_seq in batch_seqs:
            group.acks.append(Ack(eid, ACK_REJECTED, "seq_conflict"))
            continue
        if voided.get(ev.station_seq) == ev.event_id:
            # a voided event that is acceptable now: applied in its own (already used) seq
            refusal = judge.judge(ev, _wire_payload(d))
            if refusal is not None:  # still not: it stays voided
                group.acks.append(Ack(eid, ACK_REJECTED, refusal.code, refusal.detail or None))
                continue
            judge.accepted(ev)
            del voided[ev.station_seq]
            revived.append(ev.station_seq)
            batch_seqs[ev.station_seq] = ev.event_id
            batch[ev.event_id] = ev
            out.append(ev)
            group.acks.append(Ack(eid, ACK_APPLIED, None))
            continue
        if gap or ev.station_seq != high + 1:
            gap = True
            group.acks.append(Ack(eid, ACK_REJECTED, "event_gap"))
            continue
        refusal = judge.judge(ev, _wire_payload(d))
        if refusal is not None:
            void(d, ev.station_seq, eid, refusal.code, refusal.detail)
            continue
        judge.accepted(ev)
        high = ev.station_seq
        batch_seqs[high] = ev.event_id
        batch[ev.event_id] = ev
        out.append(ev)
        group.acks.append(Ack(eid, ACK_APPLIED, None))
    if voids:
        conn.execute(dialect_insert(conn, voided_events).on_conflict_do_nothing(), voids)
        log.warning("voided %d event(s) of station %s: %s", len(voids), group.origin,
                    sorted({v["code"] for v in voids}))
    for part in _chunks(revived):
        conn.execute(voided_events.delete().where(
            voided_events.c.station_id == group.origin,
            _in(conn, voided_events.c.station_seq, part, BigInteger())))
    if high != start_high:
        stmt = dialect_insert(conn, station_progress)
        conn.execute(stmt.values(station_id=group.origin, high_seq=high).on_conflict_do_update(
            index_elements=[station_progress.c.station_id], set_={"high_seq": high}))
    return out


def blob_shas(ev: Event) -> list[str]:
    """The attachments (sha256) an event names (never raises: events that came down from
    the level above did not pass our gate)."""
    if ev.sealed or ev.type not in BLOB_TYPES:
        return []
    try:
        data = json.loads(ev.payload)
    except ValueError:
        return []
    return [s for s in named_blobs(ev.type, data) if len(s) == 64]


def _fault_pause() -> None:
    """Fault injection for the crash tests only: with SUQIU_SERVER_FAULT_MERGE_DELAY=<s> the
    merge waits, rows inserted but not committed, so a test can SIGKILL the server exactly
    inside the transaction.  Unset in production (costs one dict lookup)."""
    delay = os.environ.get("SUQIU_SERVER_FAULT_MERGE_DELAY")
    if delay:
        log.warning("fault injection: pausing %s s inside a merge", delay)
        time.sleep(float(delay))


def insert_events(conn: Connection, todo: Sequence[tuple[Event, str | None]], *,
                  received_from: str, book: CaseBook | None = None,
                  repeat_key: bytes = b"") -> None:
    """Insert decided events with their case routes and blob references, and fold them
    into ``cases``/``case_units`` (caller holds the merge lock).  ``todo`` pairs each event
    with its origin station's division, if known.  ``book``: the transaction's folded cases
    (the merge's, which judged these events), else one is made here.  ``repeat_key``: the
    server's repeat key (identity.repeat_key): registrations are then indexed and matched
    against every case held (services/repeats.py); empty: not."""
    if not todo:
        return
    if book is None:
        book = CaseBook(conn, lambda col, vals, typ: _in(conn, col, vals, typ))
    # read the cases as stored BEFORE these events go in (else they would count as folded
    # already, and their cases would not be written)
    book.prepare([ev for ev, _ in todo])
    now = utcnow()
    before = conn.execute(select(func.coalesce(func.max(events.c.server_pos), 0))).scalar()
    conn.execute(dialect_insert(conn, events).on_conflict_do_nothing(),
                 [_row(ev, now, received_from) for ev, _ in todo])
    pos = {r.event_id: r.server_pos for r in conn.execute(
        select(events.c.event_id, events.c.server_pos).where(events.c.server_pos > before))}
    routes: dict[tuple[str, str], int] = {}
    refs: set[tuple[str, str]] = set()
    for ev, div in todo:
        p = pos[ev.event_id]
        for r in (ev.route, div):
            if r and (ev.case_id, r) not in routes:
                routes[(ev.case_id, r)] = p
        refs.update((sha, ev.case_id) for sha in blob_shas(ev))
    if routes:
        conn.execute(dialect_insert(conn, case_routes).on_conflict_do_nothing(), [
            {"case_id": c, "division": d, "added_pos": p} for (c, d), p in routes.items()])
    if refs:
        conn.execute(dialect_insert(conn, blob_refs).on_conflict_do_nothing(), [
            {"sha256": s, "case_id": c} for s, c in refs])
    for ev, div in todo:
        book.add(ev, div)
    book.save(pos)
    if repeat_key:
        repeats.detect(conn, book, [ev for ev, _ in todo], pos, repeat_key,
                       lambda col, vals, typ: _in(conn, col, vals, typ))


def merge_groups(engine: Engine, groups: list[Group], *, received_from: str,
                 repeat_key: bytes = b"") -> list[Ack]:
    """Decide and insert every group's events in one serialised transaction
    (``repeat_key``: see :func:`insert_events`)."""
    pending = Pending()
    for g in groups:
        if not g.refused:
            _parse(g)
            for _, _, ev, _ in g.parsed:
                if ev is not None:
                    pending.add(ev, g.origin_division)
    with writer(engine) as conn:
        take_merge_lock(conn)
        book = CaseBook(conn, lambda col, vals, typ: _in(conn, col, vals, typ),
                        cache=FOLD_CACHE)
        inserted = 0
        for g in groups:
            todo = [(ev, g.origin_division)
                    for ev in _decide(conn, g, received_from, pending, book)]
            insert_events(conn, todo, received_from=received_from, book=book,
                          repeat_key=repeat_key)
            inserted += len(todo)
        if inserted:
            _fault_pause()
    book.publish()   # committed: the next push on these cases reads no history
    acks = [a for g in groups for a in g.acks]
    counts: dict[str, int] = {}
    for a in acks:
        counts[a.status] = counts.get(a.status, 0) + 1
    log.info("merge from %s: %s", received_from, counts)
    return acks


def _upstream_groups(engine: Engine, pusher: StationInfo, items: list[Any]) -> list[Group]:
    """A lower-level server relays its subtree: one group per run of consecutive events of
    one origin station, accepted only for a station its server registered (a record signed
    by its server key, pushed up with ``push.register``) within its division — never
    another county's station, nor one enrolled here (docs/decisions/0004-trust-model.md).
    Refused groups store nothing.

    Runs, not one group per station: the lower server sends in the order it stored (its
    ``server_pos``), which is an order its own merge accepted; judging a village's 回访
    before the department's 办结 that came before it in the batch refused the 回访 for
    good (tests/sync/test_relay_order.py, found by the county demo)."""
    runs: list[tuple[str, list[Any]]] = []
    for d in items:
        sid = d.get("station_id") if isinstance(d, dict) else None
        sid = sid if isinstance(sid, str) else ""
        if runs and runs[-1][0] == sid:
            runs[-1][1].append(d)
        else:
            runs.append((sid, [d]))
    groups = []
    origin: dict[str, tuple[str | None, str | None]] = {}
    with engine.connect() as conn:
        for sid, its in runs:
            if sid not in origin:
                division = register_svc.trusted_origin(conn, pusher, sid) if sid else None
                unit = register_svc.registered_unit(conn, sid) if division else None
                origin[sid] = (division, unit)
            division, unit = origin[sid]
            if division is None:
                groups.append(Group(sid, None, its, refused="event_foreign_station"))
            else:
                # judged as the origin station, in the division its county registered
                groups.append(Group(sid, division, its, actor=Actor.of(sid, division, unit),
                                    relay=pusher.station_id))
    return groups


@dataclass
class PushOutcome:
    acks: list[Ack]          # own events (and push.bundles'), as ``merge_push`` returns
    relayed: list[Group]     # one per push.relayed bundle, in request order (acks filled)
    files: list[Group] = field(default_factory=list)   # one per push.bundles file

    @property
    def forwarded(self) -> list[Group]:
        """Every forwarded bundle, either form."""
        return self.files + self.relayed

    @property
    def origins(self) -> list[str]:
        """The villages of the forwarded bundles whose checks passed: the county signs a
        receipt for each (docs/decisions/0004-trust-model.md, "Receipts")."""
        return list(dict.fromkeys(g.origin for g in self.forwarded if not g.refused))


def merge_request(engine: Engine, *, pusher: StationInfo, items: list[Any],
                  bundles: Sequence[bytes] = (),
                  relayed: Sequence[tuple[bytes, bytes]] = (),
                  repeat_key: bytes = b"") -> PushOutcome:
    """A station's own events plus (relays) forwarded bundles, in one transaction."""
    if pusher.relay_of == "upstream":
        groups = _upstream_groups(engine, pusher, items)
    else:
        groups = [Group(pusher.station_id, pusher.division, items,
                        actor=Actor.of(pusher.station_id, pusher.division,
                                       station_unit(pusher)))] if items else []
    files = [bundle_group(b, relay_division=pusher.division, engine=engine) for b in bundles]
    forwarded = [relayed_group(sig, body, relay_division=pusher.division, engine=engine)
                 for sig, body in relayed]
    for g in files + forwarded:
        g.relay = pusher.station_id   # the relay uploads the village's attachments
    merge_groups(engine, groups + files + forwarded, received_from=pusher.station_id,
                 repeat_key=repeat_key)
    return PushOutcome([a for g in groups + files for a in g.acks], forwarded, files)


def merge_push(engine: Engine, *, pusher: StationInfo, items: list[Any],
               bundles: list[bytes], repeat_key: bytes = b"") -> list[Ack]:
    """A station's own events plus (relays) forwarded bundle files.  Acks: own events in
    request order, then each bundle's; an upstream relay's acks are grouped by origin
    station (clients match acks by event_id)."""
    return merge_request(engine, pusher=pusher, items=items, bundles=bundles,
                         repeat_key=repeat_key).acks


def import_bundle(engine: Engine, data: bytes, repeat_key: bytes = b"") -> list[Ack]:
    """County-side import of a bundle file (the county is everyone's relay)."""
    g = bundle_group(data, relay_division=None, engine=engine)
    if g.refused:
        raise ProtocolError(g.refused, 422)
    return merge_groups(engine, [g], received_from="import:" + g.origin,
                        repeat_key=repeat_key)
