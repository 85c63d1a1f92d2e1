"""The deterministic fold of a case's events into its state (same code on station and server).

Order never comes from wall clocks.  Events are sorted by ``(lamport, station_id,
station_seq)``: the Lamport number makes every action come after the actions its actor
had seen; the rest is an arbitrary but total tie-break, so every replica folds the same
set of events to the same state whatever order they arrived in.

Incompatible concurrent decisions are never silently overwritten.  Decision events
(受理/不予受理, 办结, 回访评价) carry ``supersedes``: the id of the decision of the same kind the
actor saw (or null).  If it is not the decision the fold currently holds, the case is marked
``needs_decision`` and both stay visible until a ``case.conflict_resolved`` event picks one.

Payload fields by event type (all optional fields may be absent):

* ``case.registered``: case_no, query_code_hash (``casenumber.query_code_hash``; older
  events carry query_code in clear instead), division, channel, category, statute_type,
  discipline (bool), received_at, clerk, petitioner{name, id_number, phone,
  address_division, address_detail, anonymous}, group{size, representatives[{name,
  id_number, phone}]}, subject{level, name, unit}, summary, account, demands,
  attachments[{sha256, name, size, mime}], links[case_id]
* ``case.amended``: field (dotted, e.g. ``petitioner.phone``), old, new, reason
* ``case.linked``: related[case_id], note
* ``case.accepted``: at, note, notify_channel, supersedes
* ``case.declined``: at, reason, other_channel, notify_channel, supersedes
* ``case.transferred``: at, kind (transfer|send), to_division, to_unit, deadline_days, note
* ``case.assigned``: at, to_division, to_unit, due, note, report_required (a 办结报告 is due)
* ``case.urged``: at, note, due
* ``case.extended``: at, days, reason, approved_by
* ``case.progress``: at, note
* ``case.concluded``: at, result, opinion, outcome (resolved|unresolved: 办结未解决 is a
  status of its own), supersedes
* ``case.served`` (送达 of a written reply; opens the 复查/复核 window): at (when recorded),
  reply (conclusion|review|rereview: the 处理意见书 or the 复查/复核意见书 served),
  served_on (ISO date the petitioner received it), method (``enums.ServeMethod``), note.
  A new reply of the same kind (a new conclusion, a redo) voids the 送达 of the old one;
  a later ``case.served`` for the same reply corrects an earlier one.  Checked by
  ``petition_core.served.validate_served``.
* ``case.followed_up``: at, satisfaction, method, note, supersedes
* ``case.review_requested``: at, kind (review|rereview), note
* ``case.review_decided``: at, kind, outcome (upheld|changed), note
* ``case.redo_ordered``: at, reason
* ``case.attachment_added``: attachment{sha256, name, size, mime}
* ``case.conflict_resolved``: group (decision|conclusion|satisfaction|amend:<field>),
  chosen_event_id, note
* ``case.signed`` (签收): at, note
* ``case.transfer_objected`` (转办异议): at, reason — the case returns to its sender
* ``case.extension_requested``: at, days, reason (pending until decided)
* ``case.extension_decided``: at, request_id, decision (approved|refused), days, note
* ``case.report_submitted`` (办结报告): at, report
* ``case.report_accepted``: at, report_id, note
* ``case.closed`` (终结): at, reason
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .enums import Status
from .events import Event, EventType

AMENDABLE_FIELDS = frozenset(
    {
        "channel", "category", "statute_type", "discipline", "received_at",
        "petitioner.name", "petitioner.id_number", "petitioner.phone",
        "petitioner.address_division", "petitioner.address_detail", "petitioner.anonymous",
        "group.size", "group.representatives",
        "subject.level", "subject.name", "subject.unit",
        "summary", "account", "demands",
    }
)

DECISION_GROUP = {
    EventType.ACCEPTED.value: "decision",
    EventType.DECLINED.value: "decision",
    EventType.CONCLUDED.value: "conclusion",
    EventType.FOLLOWED_UP.value: "satisfaction",
}
# fields that make two decisions "the same" (timestamps and notes may differ)
_DECISION_KEYS = {
    EventType.ACCEPTED.value: (),
    EventType.DECLINED.value: ("reason",),
    EventType.CONCLUDED.value: ("result",),
    EventType.FOLLOWED_UP.value: ("satisfaction",),
}


# the written replies whose 送达 is recorded (case.served "reply")
SERVED_REPLIES = ("conclusion", "review", "rereview")


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def sort_key(ev: Event) -> tuple[int, str, int]:
    return (ev.lamport, ev.station_id, ev.station_seq)


# Defence in depth: the gate (petition_core.schemas) keeps payloads that do not fit out of
# every store, but the fold must never raise on one that got in anyway (an older server, a
# database edited by hand): a wrong type reads as absent.
def _str(v: Any, default: str = "") -> str:
    return v if isinstance(v, str) else default


def _payload(ev: Event) -> dict[str, Any]:
    try:
        d = ev.data()
    except (ValueError, UnicodeDecodeError):
        return {}
    return d if isinstance(d, dict) else {}


def _strings(v: Any) -> list[str]:
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


def _attachments(v: Any) -> list[dict[str, Any]]:
    return [a for a in v if isinstance(a, dict) and isinstance(a.get("sha256"), str)] \
        if isinstance(v, list) else []


@dataclass
class Amendment:
    field: str
    old: Any
    new: Any
    reason: str
    actor: str
    occurred_at: str
    event_id: str


@dataclass
class Conflict:
    group: str
    event_ids: list[str]


@dataclass
class CaseState:
    case_id: str
    registered: bool = False
    sealed: bool = False               # content withheld from this reader
    case_no: str = ""
    query_code: str = ""               # only from events registered before hashing
    query_code_hash: str = ""
    origin_station: str = ""
    division: str = ""                 # where it was registered
    owner_division: str = ""           # who must act now (after 转办/交办)
    owner_unit: str = ""
    facts: dict[str, Any] = field(default_factory=dict)  # registered facts, amended in place
    status: Status = Status.REGISTERED
    accepted_at: str | None = None
    declined: dict[str, Any] | None = None
    assigned_due: str | None = None
    report_required: bool = False      # the last 交办 asked for a 办结报告
    signed_at: str | None = None       # 签收 of the current 转办/交办
    extension_days: int = 0
    extension_request: dict[str, Any] | None = None  # pending: {event_id, days, reason, at}
    report: dict[str, Any] | None = None   # {event_id, at, report, accepted_at}
    urge_due: str | None = None
    closed: dict[str, Any] | None = None   # 终结: {at, reason}
    objections: list[dict[str, Any]] = field(default_factory=list)
    conclusion: dict[str, Any] | None = None
    satisfaction: str | None = None
    followed_up_at: str | None = None
    transfers: list[dict[str, Any]] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)  # every 转办/交办: where from
    urges: int = 0
    redo_count: int = 0
    reviews: list[dict[str, Any]] = field(default_factory=list)
    served: dict[str, dict[str, Any]] = field(default_factory=dict)  # reply -> {on, method, at}
    attachments: list[dict[str, Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # in fold order: the timeline
    max_lamport: int = 0

    @property
    def needs_decision(self) -> bool:
        return bool(self.conflicts)

    @property
    def escalate(self) -> bool:
        """Local practice: redone 3 times or transferred 3 times → 提级督办."""
        return self.redo_count >= 3 or len(self.transfers) >= 3

    def fact(self, dotted: str, default: Any = None) -> Any:
        cur: Any = self.facts
        for part in dotted.split("."):
            if not isinstance(cur, dict) or part not in cur:
                return default
            cur = cur[part]
        return cur


def _set_fact(facts: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    cur = facts
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value


def fold(events: Iterable[Event], case_id: str | None = None) -> CaseState:
    """Fold one case's events (any order, duplicates by event_id ignored) into its state."""
    unique: dict[str, Event] = {}
    for ev in events:
        unique.setdefault(ev.event_id, ev)
    ordered = sorted(unique.values(), key=sort_key)
    if case_id is None:
        case_id = ordered[0].case_id if ordered else ""
    folder = Folder(case_id)
    for ev in ordered:
        folder.add(ev)
    return folder.state


class Folder:
    """The fold, one event at a time: ``add`` applies an event onto the state folded so
    far when it sorts after every event already folded (the usual case: a new action
    comes after the actions its actor had seen); an event that sorts earlier (a late
    arrival from an offline station) makes it fold the case again from all its events, so
    the state is always exactly ``fold(all events added)``.  The server keeps one per case
    it judges during a merge (sync_server.store.cases)."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.refolds = 0                               # how often an event came out of order
        self._reset()

    def _reset(self) -> None:
        self._st = CaseState(case_id=self.case_id)
        self._current: dict[str, Event] = {}          # decision group -> event holding it
        self._candidates: dict[str, list[Event]] = {}  # decision group -> conflicting events
        self._by_id: dict[str, Event] = {}

    def add(self, ev: Event) -> bool:
        """Fold ``ev`` in; False when it was already folded or belongs to another case."""
        if ev.case_id != self.case_id or ev.event_id in self._by_id:
            return False
        st = self._st
        if st.events and sort_key(ev) < sort_key(st.events[-1]):
            every = sorted([*st.events, ev], key=sort_key)
            self._reset()
            self.refolds += 1
            for e in every:
                self.add(e)
            return True
        self._by_id[ev.event_id] = ev
        st.events.append(ev)
        st.max_lamport = max(st.max_lamport, ev.lamport)
        _apply(st, ev, self._current, self._candidates, self._by_id)
        return True

    @property
    def state(self) -> CaseState:
        """The state folded so far (the live object: do not change it)."""
        self._st.conflicts = [
            Conflict(group=g, event_ids=[e.event_id for e in evs])
            for g, evs in sorted(self._candidates.items())
            if len(evs) > 1
        ]
        return self._st


def same_decision(a: Event, b: Event) -> bool:
    if a.type != b.type:
        return False
    da, db = _payload(a), _payload(b)
    return all(da.get(k) == db.get(k) for k in _DECISION_KEYS.get(a.type, ()))


def _apply(st: CaseState, ev: Event, current, candidates, by_id) -> None:
    t = ev.type
    if ev.sealed:
        # Content withheld: the event still counts in the timeline, and its clear-text
        # route still says where the case lives, so a sealed case is listed under the
        # right division and follows its transfers.
        if t == EventType.REGISTERED.value:
            st.registered = True
            st.sealed = True
            st.origin_station = ev.station_id
            if ev.route:
                st.division = st.division or ev.route
                st.owner_division = st.owner_division or ev.route
        elif t in (EventType.TRANSFERRED.value, EventType.ASSIGNED.value) and ev.route:
            st.owner_division = ev.route
        return
    d = _payload(ev)
    at = _str(d.get("at")) or ev.occurred_at

    group = DECISION_GROUP.get(t)
    if group is not None:
        held = current.get(group)
        sup = d.get("supersedes")
        if held is not None and sup != held.event_id and not same_decision(held, ev):
            # concurrent incompatible decision: keep both visible, do not overwrite
            lst = candidates.setdefault(group, [held])
            if ev not in lst:
                lst.append(ev)
            return
        if held is not None and sup != held.event_id:
            return  # same decision taken twice concurrently: nothing changes
        current[group] = ev
        candidates.pop(group, None)
    _effect(st, ev, d, at, current, candidates, by_id)


def _effect(st: CaseState, ev: Event, d: dict[str, Any], at: str, current, candidates,
            by_id) -> None:
    t = ev.type
    if t == EventType.REGISTERED.value:
        st.registered = True
        st.origin_station = ev.station_id
        st.case_no = _str(d.get("case_no"))
        st.query_code = _str(d.get("query_code"))
        st.query_code_hash = _str(d.get("query_code_hash"))
        st.division = _str(d.get("division"))
        st.owner_division = st.division
        facts = copy.deepcopy(d)
        for k in ("case_no", "query_code", "query_code_hash", "division", "attachments",
                  "links"):
            facts.pop(k, None)
        st.facts = facts
        st.attachments = _attachments(d.get("attachments"))
        st.links = _strings(d.get("links"))
        st.status = Status.REGISTERED
    elif t == EventType.AMENDED.value:
        fld = _str(d.get("field"))
        if fld in AMENDABLE_FIELDS:
            old_now = st.fact(fld)
            if old_now != d.get("old"):
                grp = "amend:" + fld
                prev = [a for a in st.amendments if a.field == fld]
                lst = candidates.setdefault(grp, [by_id[prev[-1].event_id]] if prev else [])
                lst.append(ev)
            _set_fact(st.facts, fld, d.get("new"))
            st.amendments.append(
                Amendment(fld, old_now, d.get("new"), d.get("reason", ""), ev.actor,
                          ev.occurred_at, ev.event_id)
            )
    elif t == EventType.LINKED.value:
        for rel in _strings(d.get("related")):
            if rel not in st.links and rel != st.case_id:
                st.links.append(rel)
    elif t == EventType.ACCEPTED.value:
        st.status = Status.ACCEPTED
        st.accepted_at = at
        st.declined = None
    elif t == EventType.DECLINED.value:
        st.status = Status.DECLINED
        st.declined = {k: d.get(k) for k in ("reason", "other_channel", "notify_channel")}
        st.declined["at"] = at
        st.accepted_at = None
    elif t == EventType.TRANSFERRED.value:
        st.transfers.append({**d, "at": at, "from": st.owner_division})
        st.moves.append({"at": at, "from": st.owner_division, "from_unit": st.owner_unit,
                         "status": st.status.value})
        st.owner_division = _str(d.get("to_division")) or st.owner_division
        st.owner_unit = _str(d.get("to_unit"))
        st.status = Status.TRANSFERRED
        st.signed_at = None
        st.extension_request = None
    elif t == EventType.ASSIGNED.value:
        st.moves.append({"at": at, "from": st.owner_division, "from_unit": st.owner_unit,
                         "status": st.status.value})
        st.owner_division = _str(d.get("to_division")) or st.owner_division
        st.owner_unit = _str(d.get("to_unit"))
        st.assigned_due = _str(d.get("due")) or None
        st.report_required = d.get("report_required") is True
        st.report = None
        st.status = Status.ASSIGNED
        st.signed_at = None
        st.extension_request = None
    elif t == EventType.URGED.value:
        st.urges += 1
        st.urge_due = _str(d.get("due")) or st.urge_due
    elif t == EventType.SIGNED.value:
        if st.status in (Status.TRANSFERRED, Status.ASSIGNED):
            st.signed_at = at
    elif t == EventType.TRANSFER_OBJECTED.value:
        if st.status in (Status.TRANSFERRED, Status.ASSIGNED) and st.moves:
            last = st.moves[-1]
            st.objections.append({"at": at, "reason": _str(d.get("reason")),
                                  "to_division": st.owner_division})
            st.owner_division = _str(last.get("from")) or st.division
            st.owner_unit = _str(last.get("from_unit"))
            try:
                st.status = Status(str(last.get("status")))
            except ValueError:
                st.status = Status.ACCEPTED if st.accepted_at else Status.REGISTERED
            st.signed_at = None
    elif t == EventType.EXTENSION_REQUESTED.value:
        days = d.get("days", 0)
        if isinstance(days, int) and not isinstance(days, bool) and 0 < days:
            st.extension_request = {"event_id": ev.event_id, "days": days,
                                    "reason": _str(d.get("reason")), "at": at}
    elif t == EventType.EXTENSION_DECIDED.value:
        req = st.extension_request
        if req is not None and d.get("request_id") == req["event_id"]:
            st.extension_request = None
            if d.get("decision") == "approved":
                days = d.get("days", req["days"])
                if isinstance(days, int) and not isinstance(days, bool) and 0 < days:
                    st.extension_days = min(30, st.extension_days + min(days, req["days"]))
    elif t == EventType.REPORT_SUBMITTED.value:
        st.report = {"event_id": ev.event_id, "at": at, "report": _str(d.get("report")),
                     "accepted_at": None}
    elif t == EventType.REPORT_ACCEPTED.value:
        if st.report is not None and d.get("report_id") == st.report["event_id"]:
            st.report["accepted_at"] = at
    elif t == EventType.CLOSED.value:
        st.closed = {"at": at, "reason": _str(d.get("reason"))}
        st.status = Status.CLOSED
    elif t == EventType.EXTENDED.value:
        days = d.get("days", 0)
        if isinstance(days, int) and not isinstance(days, bool) and 0 < days:
            st.extension_days = min(30, st.extension_days + days)
    elif t == EventType.CONCLUDED.value:
        st.conclusion = {k: d.get(k) for k in ("result", "opinion", "outcome")}
        st.conclusion["at"] = at
        st.status = Status.CONCLUDED_UNRESOLVED if d.get("outcome") == "unresolved" \
            else Status.CONCLUDED
        st.served.pop("conclusion", None)   # a new reply: its 送达 is still to come
    elif t == EventType.SERVED.value:
        reply, on = d.get("reply"), d.get("served_on")
        if reply in SERVED_REPLIES and isinstance(on, str) and _is_iso_date(on):
            st.served[reply] = {"on": on, "method": d.get("method"), "at": at}
    elif t == EventType.FOLLOWED_UP.value:
        st.satisfaction = _str(d.get("satisfaction")) or None
        st.followed_up_at = at
        st.status = Status.FOLLOWED_UP
    elif t == EventType.REVIEW_REQUESTED.value:
        st.reviews.append({"kind": _str(d.get("kind"), "review"), "requested_at": at})
        st.status = Status.REVIEWING
    elif t == EventType.REVIEW_DECIDED.value:
        kind = _str(d.get("kind"), "review")
        st.reviews.append({"kind": kind, "decided_at": at, "outcome": d.get("outcome")})
        if kind in ("review", "rereview"):
            st.served.pop(kind, None)   # a new 复查/复核意见书: its 送达 is still to come
        st.status = Status.CLOSED if kind == "rereview" else Status.CONCLUDED
        if kind == "rereview":
            st.closed = {"at": at, "reason": "复核"}
    elif t == EventType.REDO_ORDERED.value:
        st.redo_count += 1
        st.conclusion = None
        st.report = None
        st.served.pop("conclusion", None)
        st.satisfaction = None
        st.status = Status.ACCEPTED
        current["conclusion"] = ev  # a new conclusion must supersede the redo order
        current.pop("satisfaction", None)
        # the redo voids every conclusion and rating made before it, so conflicts between
        # them are moot (resolving one later must not bring a voided conclusion back)
        candidates.pop("conclusion", None)
        candidates.pop("satisfaction", None)
    elif t == EventType.ATTACHMENT_ADDED.value:
        att = _attachments([d.get("attachment")])
        if att and att[0]["sha256"] not in {a["sha256"] for a in st.attachments}:
            st.attachments.append(att[0])
    elif t == EventType.CONFLICT_RESOLVED.value:
        grp = _str(d.get("group"))
        chosen = by_id.get(_str(d.get("chosen_event_id")))
        if grp in candidates and chosen is not None and chosen in candidates[grp]:
            candidates.pop(grp)
            cd = _payload(chosen)
            if not grp.startswith("amend:"):
                current[grp] = chosen
                _effect(st, chosen, cd, _str(cd.get("at")) or chosen.occurred_at, current,
                        candidates, by_id)
            else:
                fld = grp[len("amend:"):]
                _set_fact(st.facts, fld, cd.get("new", cd.get(fld)))

