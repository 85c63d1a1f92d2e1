"""Each case's folded state and parties, kept by the server inside the merge transaction
(issue 9 items 0 and 5; docs/decisions/0007-server-case-state.md).

A :class:`CaseBook` lives for one write transaction.  It folds each case the transaction
touches once (one batched read of the stored events of the cases it does not know yet),
then folds every accepted event onto that state (:class:`petition_core.fold.Folder`), so the
merge judges event n+1 of a push against the state after event n (a transfer followed by a
conclusion in the same push is judged as it should be).  ``save`` writes the folded columns
to ``cases`` and the parties' visibility rows to ``case_units``.

Parties come from :func:`petition_core.ownership.derive_parties`, with each acting
station's unit from :func:`station_unit` (the one place that says which unit a station
is; sync_server.services.stations re-exports it).  Which units see
what (``case_units.view``):

* ``full`` — the handling, reviewing and above units, and a supervising unit whose level
  may supervise (its staff role may urge: a township and up);
* ``followup`` — a unit that only registered the case, or handled it before, or supervises
  it without the right to urge (a village that transferred it away): it pulls only
  :data:`FOLLOWUP_TYPES`, what it needs for 送达, 回访 and the petitioner's questions
  (docs/PROTOCOL.md "Pull").
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, select
from sqlalchemy.types import TypeEngine

from petition_core.events import Event, EventType
from petition_core.fold import CaseState, Folder
from petition_core.ownership import (
    RELATION_ORDER,
    Parties,
    Relation,
    derive_parties,
    relations,
    visibility_units,
)
from petition_core.permissions import LEVEL_STAFF, ROLE_ACTIONS, Action
from petition_core.units import UnitError, level_of

from .db import dialect_insert
from .models import case_units, cases, events, register, stations

T = EventType
InClause = Callable[[ColumnElement[Any], Sequence[Any], TypeEngine[Any]], ColumnElement[bool]]

# What a unit with the "followup" view pulls of a case: its registration and corrections,
# where it went (转办/交办), the handler's decisions (受理/不予受理, 延期, 办结, 发回重办) and
# their conflicts' resolution, the 送达 and 回访, and the 复查/复核 asked and decided.  Not
# the handler's working file: progress notes, 督办, added attachments, links.
FOLLOWUP_TYPES: frozenset[str] = frozenset(t.value for t in (
    T.REGISTERED, T.AMENDED, T.TRANSFERRED, T.ASSIGNED, T.ACCEPTED, T.DECLINED, T.EXTENDED,
    T.CONCLUDED, T.REDO_ORDERED, T.SERVED, T.FOLLOWED_UP, T.REVIEW_REQUESTED,
    T.REVIEW_DECIDED, T.CONFLICT_RESOLVED,
))
VIEW_FULL = "full"
VIEW_FOLLOWUP = "followup"
_FULL = frozenset({Relation.HANDLING, Relation.REVIEWING, Relation.ABOVE})
# event types that can change a case's parties (others leave them as they are)
_PARTY_TYPES = frozenset(t.value for t in (
    T.REGISTERED, T.TRANSFERRED, T.ASSIGNED, T.CONCLUDED, T.REDO_ORDERED,
    T.REVIEW_REQUESTED, T.REVIEW_DECIDED,
))
_COLS = [events.c[n] for n in (
    "server_pos", "case_id", "event_id", "station_id", "station_seq", "type", "lamport", "actor",
    "occurred_at", "payload_enc", "route", "schema_version", "payload")]


def station_unit(row: Any) -> str:
    """The unit a station acts as (petition_core.units): the one place that says so.  For
    now its division's centre; a department station will carry its own unit code (a
    ``stations.unit`` column: ``CaseBook`` reads whole ``stations`` rows) and this is where
    it is read."""
    unit = getattr(row, "unit", None)
    return unit if isinstance(unit, str) and unit else row.division


def _record_unit(r: Any) -> str | None:
    try:
        unit = json.loads(bytes(r.record).decode("utf-8")).get("unit")
    except (ValueError, AttributeError):
        return None
    return unit if isinstance(unit, str) and unit else None


def row_event(r: Any) -> Event:
    return Event(event_id=r.event_id, case_id=r.case_id, station_id=r.station_id,
                 station_seq=r.station_seq, type=r.type, lamport=r.lamport, actor=r.actor,
                 occurred_at=r.occurred_at, payload=bytes(r.payload),
                 payload_enc=r.payload_enc, route=r.route, schema_version=r.schema_version)


def may_supervise(unit: str) -> bool:
    """Does the staff role of ``unit``'s level urge (督办)?  A village's does not."""
    try:
        return Action.URGE in ROLE_ACTIONS[LEVEL_STAFF[level_of(unit)]]
    except UnitError:
        return False


def view_of(held: Iterable[Relation], unit: str) -> str:
    held = set(held)
    if held & _FULL or (Relation.SUPERVISING in held and may_supervise(unit)):
        return VIEW_FULL
    return VIEW_FOLLOWUP


def unit_rows(parties: Parties) -> dict[str, tuple[str, str]]:
    """unit → (strongest relation, view) for every unit that may see the case."""
    out = {}
    for unit in visibility_units(parties):
        held = relations(parties, unit)
        if held:
            strongest = next(r for r in RELATION_ORDER if r in held)
            out[unit] = (strongest.value, view_of(held, unit))
    return out


class FoldCache:
    """Folded cases kept between merge transactions in this process, so a push on a case
    folded by an earlier push reads none of its history.  An entry is used only while the
    case's ``cases.last_pos`` is still the one it was folded up to (any writer — another
    process, the upstream link, a rebuild — moves it), and is taken out while a
    transaction uses it: put back only after that transaction committed
    (:meth:`CaseBook.publish`), so a rollback never leaves a state nobody stored."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._d: OrderedDict[tuple[str, str], tuple[int, Folder, Parties | None]] = \
            OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def take(self, db: str, case_id: str,
             last_pos: int) -> tuple[Folder, Parties | None] | None:
        with self._lock:
            entry = self._d.pop((db, case_id), None)
        if entry is None or entry[0] != last_pos:
            return None
        self.hits += 1
        return entry[1], entry[2]

    def put(self, db: str, case_id: str, last_pos: int, folder: Folder,
            parties: Parties | None) -> None:
        with self._lock:
            self._d[(db, case_id)] = (last_pos, folder, parties)
            self._d.move_to_end((db, case_id))
            while len(self._d) > self.size:
                self._d.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._d.clear()


FOLD_CACHE = FoldCache()


class CaseBook:
    """The folded cases of one write transaction (see the module doc).  ``cache``: the
    process's :class:`FoldCache` (the merge's), or None to read every case from events."""

    def __init__(self, conn: Connection, in_: InClause | None = None,
                 cache: FoldCache | None = None) -> None:
        self.conn = conn
        self._in = in_
        self._cache = cache
        # the database the cached folds belong to (a process may serve or test several)
        self._db = conn.engine.url.render_as_string(hide_password=True)
        self._last: dict[str, int] = {}     # case_id → cases.last_pos (read, then saved)
        self._folders: dict[str, Folder] = {}
        self._parties: dict[str, Parties] = {}
        self._units: dict[str, str | None] = {}
        self._dirty: set[str] = set()
        self._moved: set[str] = set()       # cases whose parties may have changed
        self._pos: dict[str, int] = {}      # event_id → server_pos of the stored ones read

    def _cond(self, col: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
        return self._in(col, values, String()) if self._in else col.in_(values)

    # ---- reading -------------------------------------------------------------------------
    def load(self, case_ids: Iterable[str]) -> None:
        """Fold the stored events of every case not folded yet (one read per 2000 cases)."""
        ids = sorted({c for c in case_ids if c not in self._folders})
        todo = []
        for i in range(0, len(ids), 2000):
            part = ids[i:i + 2000]
            for r in self.conn.execute(select(cases.c.case_id, cases.c.last_pos)
                                       .where(self._cond(cases.c.case_id, part))):
                self._last[r.case_id] = r.last_pos
                cached = self._cache.take(self._db, r.case_id, r.last_pos) \
                    if self._cache else None
                if cached is not None:
                    self._folders[r.case_id] = cached[0]
                    if cached[1] is not None:
                        self._parties[r.case_id] = cached[1]
            todo += [c for c in part if c not in self._folders]
        for cid in todo:
            self._folders[cid] = Folder(cid)
        for i in range(0, len(todo), 2000):
            part = todo[i:i + 2000]
            rows = self.conn.execute(select(*_COLS).where(self._cond(events.c.case_id, part))
                                     .order_by(events.c.lamport, events.c.station_id,
                                               events.c.station_seq)).all()
            for r in rows:
                self._folders[r.case_id].add(row_event(r))
                self._pos[r.event_id] = r.server_pos
        self._learn_units(e.station_id for cid in ids for e in self._folders[cid].state.events)

    def prepare(self, evs: Sequence[Event]) -> None:
        """Batched reads for ``evs`` before they are folded in: their cases and the units
        of their stations (instead of one read per new case or station in ``add``)."""
        self.load(e.case_id for e in evs)
        self._learn_units(e.station_id for e in evs)

    def _learn_units(self, station_ids: Iterable[str]) -> None:
        todo = sorted({s for s in station_ids if s not in self._units})
        for i in range(0, len(todo), 2000):
            part = todo[i:i + 2000]
            for r in self.conn.execute(select(register.c.station_id, register.c.division,
                                              register.c.record)
                                       .where(self._cond(register.c.station_id, part))):
                # a station enrolled below: the county-signed record names a department's
                # unit (RegisterRecord.unit); a centre's record has none
                self._units[r.station_id] = _record_unit(r) or r.division
            # the whole row: station_unit reads whatever column names the unit
            for r in self.conn.execute(select(stations)
                                       .where(self._cond(stations.c.station_id, part))):
                self._units[r.station_id] = station_unit(r)   # enrolled here wins
        for s in todo:
            self._units.setdefault(s, None)

    def _unit_of(self, station_id: str) -> str | None:
        return self._units.get(station_id)

    def state(self, case_id: str) -> CaseState | None:
        f = self._folders.get(case_id)
        return f.state if f is not None and f.state.registered else None

    def parties(self, case_id: str) -> Parties:
        p = self._parties.get(case_id)
        if p is None:
            f = self._folders.get(case_id)
            p = _derive(f.state.events, self._unit_of) if f is not None else Parties()
            self._parties[case_id] = p
        return p

    def preview(self, case_id: str, extra: Iterable[Event]) -> tuple[CaseState, Parties]:
        """State and parties as if ``extra`` (events of this request not judged yet) were
        folded too, without keeping them (a registration pending in a later group)."""
        self.load([case_id])
        extra = list(extra)
        self._learn_units(e.station_id for e in extra)
        f = Folder(case_id)
        for e in [*self._folders[case_id].state.events, *extra]:
            f.add(e)
        return f.state, _derive(f.state.events, self._unit_of)

    # ---- writing -------------------------------------------------------------------------
    def add(self, ev: Event, station_unit_hint: str | None = None) -> None:
        """Fold an accepted event in (idempotent by event_id)."""
        if ev.case_id not in self._folders:
            self.load([ev.case_id])
        if ev.station_id not in self._units:
            if station_unit_hint:
                self._units[ev.station_id] = station_unit_hint
            else:
                self._learn_units([ev.station_id])
        f = self._folders[ev.case_id]
        refolds = f.refolds
        if f.add(ev):
            self._dirty.add(ev.case_id)
            if ev.type in _PARTY_TYPES or f.refolds != refolds:
                self._parties.pop(ev.case_id, None)
                self._moved.add(ev.case_id)

    def publish(self) -> None:
        """After the transaction committed: hand its folded cases to the cache."""
        if self._cache is None:
            return
        for cid, folder in self._folders.items():
            if cid in self._last and folder.state.registered:
                self._cache.put(self._db, cid, self._last[cid], folder,
                                self._parties.get(cid))

    def mark_all(self) -> None:
        """Every folded case is written by the next ``save``."""
        self._dirty.update(self._folders)
        self._moved.update(self._folders)

    def save(self, positions: Mapping[str, int]) -> None:
        """Write ``cases`` and ``case_units`` for every case changed since the last save.
        ``positions``: event_id → server_pos of the events just inserted."""
        dirty, self._dirty = sorted(self._dirty), set()
        moved, self._moved = sorted(self._moved), set()
        if not dirty:
            return
        conn = self.conn
        old: dict[str, dict[str, tuple[str, str]]] = {}
        for i in range(0, len(moved), 2000):
            part = moved[i:i + 2000]
            for r in conn.execute(select(case_units.c.case_id, case_units.c.unit,
                                         case_units.c.relation, case_units.c.view)
                                  .where(self._cond(case_units.c.case_id, part))):
                old.setdefault(r.case_id, {})[r.unit] = (r.relation, r.view)
        case_rows, new_units, changed, gone = [], [], [], []
        moved_set = set(moved)
        for cid in dirty:
            st = self._folders[cid].state
            if not st.registered:
                continue     # events of a case whose registration is not here (yet)
            p = self.parties(cid)
            pos = max([self._last.get(cid, 0),
                       *(positions.get(e.event_id) or self._pos.get(e.event_id, 0)
                         for e in st.events)])
            self._last[cid] = pos
            case_rows.append({
                "case_id": cid, "division": st.division[:12], "status": st.status.value,
                "registering": p.registering, "registering_station": p.registering_station,
                "handling": p.handling, "supervising": p.supervising,
                "reviewing": p.reviewing, "events": len(st.events), "last_pos": pos})
            if cid not in moved_set:
                continue     # a note, an urge…: the parties are what they were
            was = old.get(cid, {})
            now = unit_rows(p)
            for unit, (rel, view) in now.items():
                before = was.get(unit)
                if before is None:
                    new_units.append({"case_id": cid, "unit": unit, "relation": rel,
                                      "view": view, "since_pos": pos})
                elif before != (rel, view):
                    widened = before[1] != VIEW_FULL and view == VIEW_FULL
                    changed.append((cid, unit, rel, view, pos if widened else None))
            gone += [(cid, u) for u in was if u not in now]
        if case_rows:
            stmt = dialect_insert(conn, cases)
            cols = {c: stmt.excluded[c] for c in case_rows[0] if c != "case_id"}
            conn.execute(stmt.on_conflict_do_update(index_elements=[cases.c.case_id],
                                                    set_=cols), case_rows)
        if new_units:
            conn.execute(dialect_insert(conn, case_units).on_conflict_do_nothing(), new_units)
        for cid, unit, rel, view, since in changed:
            values: dict[str, Any] = {"relation": rel, "view": view}
            if since is not None:
                values["since_pos"] = since
            conn.execute(case_units.update().where(case_units.c.case_id == cid,
                                                   case_units.c.unit == unit).values(**values))
        for cid, unit in gone:
            conn.execute(case_units.delete().where(case_units.c.case_id == cid,
                                                   case_units.c.unit == unit))


def rebuild(conn: Connection, chunk: int = 500) -> int:
    """Fold every stored case again into ``cases``/``case_units`` (migration 0009's
    backfill; safe to run again).  Returns the number of cases."""
    ids = [r[0] for r in conn.execute(select(events.c.case_id).distinct()
                                      .order_by(events.c.case_id))]
    for i in range(0, len(ids), chunk):
        book = CaseBook(conn)
        book.load(ids[i:i + chunk])
        book.mark_all()
        book.save({})
    return len(ids)


def _derive(evs: Sequence[Event], unit_of: Callable[[str], str | None]) -> Parties:
    try:
        return derive_parties(evs, station_unit=unit_of)
    except (ValueError, TypeError, AttributeError):   # a stored payload the gate never saw
        return Parties()
