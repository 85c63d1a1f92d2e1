"""What the county server knows when it judges a pushed event (petition_core.gate).

For each group of a push (one origin station) it builds, with batched look-ups inside the
merge transaction:

* the :class:`~petition_core.authz.CaseView` of every case the group touches: does the
  case exist here, where was it registered, which divisions is it routed to (table
  ``case_routes``: the server's notion of "visible", docs/PROTOCOL.md "Pull");
* which blobs the actor may name (:class:`Referable`, asked lazily: most events name none).

Cases registered by another group of the same request count as existing (``pending``): a
township pushes its own action on a village case together with the village's bundle that
registers it.  Groups are judged in request order, so the registration may not be stored
yet when the township's event is judged.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, exists, select
from sqlalchemy.types import TypeEngine

from petition_core.authz import Actor, CaseView
from petition_core.divisions import DivisionTree
from petition_core.events import Event, EventType
from petition_core.gate import Refusal, judge
from petition_core.schemas import BLOB_TYPES, named_blobs

from ..store.cases import CaseBook
from ..store.models import blob_holders, blob_refs, blobs, case_routes, case_units, events

REGISTERED = EventType.REGISTERED.value


@dataclass
class Pending:
    """Registrations of this request not stored yet: case_id → divisions it will route to,
    and every event of the request for those cases (to fold a case whose registration is
    in a later group: CaseBook.preview)."""

    routes: dict[str, set[str]] = field(default_factory=dict)
    events: dict[str, list[Event]] = field(default_factory=dict)

    def add(self, ev: Event, origin_division: str | None) -> None:
        if ev.type == REGISTERED:
            self.routes.setdefault(ev.case_id, set()).update(
                r for r in (ev.route, origin_division) if r)
        self.events.setdefault(ev.case_id, []).append(ev)


class Referable:
    """``sha in Referable(...)``: may the actor name this blob in an event?

    * yes when the actor (or the relay carrying its events) uploaded it, or proved it holds
      the same file (``blob_holders``), or a case its unit may see names it (``case_units``);
    * yes when nobody uploaded it here yet: the event matters more than the file (a station
      whose local copy went missing still reports the case; a lower-level server sends its
      events before their attachments).  This is not a planting hole: naming a blob before
      it exists needs its sha256 before anybody uploaded it, i.e. the file itself;
    * no otherwise: somebody else's file, outside the actor's jurisdiction."""

    def __init__(self, conn: Connection, actor: Actor, relay: str | None):
        self._conn = conn
        self._who = [s for s in (actor.station_id, relay) if s]
        self._unit = actor.acts_as
        self._cache: dict[str, bool] = {}

    def __contains__(self, sha: object) -> bool:
        if not isinstance(sha, str):
            return False
        if sha not in self._cache:
            self._cache[sha] = self._ask(sha)
        return self._cache[sha]

    def _ask(self, sha: str) -> bool:
        c = self._conn
        up = c.execute(select(blobs.c.uploaded_by).where(blobs.c.sha256 == sha)).first()
        if up is None:
            return True
        if up.uploaded_by in self._who:
            return True
        if c.execute(select(blob_holders.c.station_id).where(
                blob_holders.c.sha256 == sha,
                blob_holders.c.station_id.in_(self._who))).first() is not None:
            return True
        return bool(c.execute(select(exists().where(
            blob_refs.c.sha256 == sha, case_units.c.case_id == blob_refs.c.case_id,
            case_units.c.unit == self._unit))).scalar())

    def add(self, shas: Iterable[str]) -> None:
        """Blobs named by an event just accepted for this actor stay nameable."""
        for sha in shas:
            self._cache[sha] = True


# merge._in: ``col IN values`` (one ANY parameter on PostgreSQL)
InClause = Callable[[ColumnElement[Any], Sequence[Any], TypeEngine[Any]], ColumnElement[bool]]


def load_views(conn: Connection, case_ids: set[str], pending: Pending | None,
               in_: InClause | None = None) -> dict[str, CaseView]:
    """The CaseView of every case in ``case_ids`` as stored (plus this request's pending
    registrations, when given).  ``in_(col, values, type)`` is merge._in (PostgreSQL ANY
    arrays)."""
    ids = sorted(case_ids)
    routes: dict[str, set[str]] = {}
    regs: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ids), 2000):
        part = ids[i:i + 2000]
        cond = in_(case_routes.c.case_id, part, String()) if in_ else \
            case_routes.c.case_id.in_(part)
        for r in conn.execute(select(case_routes.c.case_id, case_routes.c.division)
                              .where(cond)):
            routes.setdefault(r.case_id, set()).add(r.division)
        cond = in_(events.c.case_id, part, String()) if in_ else events.c.case_id.in_(part)
        for r in conn.execute(select(events.c.case_id, events.c.route, events.c.station_id)
                              .where(cond, events.c.type == REGISTERED)):
            regs.setdefault(r.case_id, (r.route, r.station_id))
    out = {}
    for cid in ids:
        rs = routes.get(cid, set()) | (pending.routes.get(cid, set()) if pending else set())
        division, origin = regs.get(cid, ("", ""))
        # a case exists once its registration is stored (or pending in this request); a
        # route alone does not make one (a township's action may be stored before the
        # village's registration it relays in the same push)
        out[cid] = CaseView(exists=cid in regs or (pending is not None and cid in pending.routes),
                            division=division,
                            routes=frozenset(rs), origin_station=origin)
    return out


class GroupJudge:
    """Judges one group's events in order, keeping its case views up to date as events are
    accepted (a registration followed by its acceptance in the same push)."""

    def __init__(self, conn: Connection, *, actor: Actor, origin_division: str | None,
                 relay: str | None, evs: list[Event], pending: Pending,
                 in_: InClause | None = None, book: CaseBook | None = None) -> None:
        self.actor = actor
        self.pending = pending
        self.book = book if book is not None else CaseBook(conn, in_)
        self.book.prepare(evs)
        self.origin_division = origin_division
        ids = {e.case_id for e in evs}
        # a registration is judged against what is stored (and accepted before it in this
        # group); any other event also against this request's pending registrations
        self.stored = load_views(conn, {e.case_id for e in evs if e.type == REGISTERED},
                                 None, in_)
        self.views = load_views(conn, ids, pending, in_)
        self.referable = Referable(conn, actor, relay)
        self.divisions = DivisionTree.load_default()

    def judge(self, ev: Event, decoded: Any = None) -> Refusal | None:
        """``decoded``: the wire item's payload object ``ev`` was read from (one JSON parse
        less per event)."""
        if ev.type == REGISTERED:
            case = self.stored.get(ev.case_id, CaseView())
        else:
            case = self._case(ev)
        return judge(ev, actor=self.actor, case=case,
                     divisions=self.divisions, referable=self.referable, decoded=decoded)

    def _case(self, ev: Event) -> CaseView:
        """The case as folded here (stored + accepted so far), judged by the matrix."""
        cid = ev.case_id
        view = self.views.get(cid, CaseView())
        state = self.book.state(cid)
        if state is not None:
            return replace(view, exists=True, state=state, parties=self.book.parties(cid))
        if cid in self.pending.routes:
            # registered by a later group of this request: fold what the request carries
            extra = [e for e in self.pending.events.get(cid, [])
                     if e.station_id != ev.station_id]
            state, parties = self.book.preview(cid, extra)
            if state.registered:
                return replace(view, exists=True, state=state, parties=parties)
        return CaseView()

    def accepted(self, ev: Event) -> None:
        self.book.add(ev, self.actor.acts_as if ev.station_id == self.actor.station_id
                      else None)
        for views in (self.stored, self.views):
            self._update(views, ev)
        if not ev.sealed and ev.type in BLOB_TYPES:
            self.referable.add(named_blobs(ev.type, ev.data()))

    def _update(self, views: dict[str, CaseView], ev: Event) -> None:
        view = views.get(ev.case_id, CaseView())
        if view.exists and (not ev.route or ev.route in view.routes) and \
                (not self.origin_division or self.origin_division in view.routes):
            return   # nothing new (most events: a note on a case already seen)
        # the routes insert_events will add: the event's route and its origin's division
        routes = set(view.routes) | {r for r in (ev.route, self.origin_division) if r}
        views[ev.case_id] = replace(
            view, exists=True, routes=frozenset(routes),
            division=view.division or (ev.route if ev.type == REGISTERED else ""),
            origin_station=view.origin_station or (
                ev.station_id if ev.type == REGISTERED else ""))
