"""Who may write what: the one authorization rule the station's services and the county
server's merge both apply (issue 7, A2).

``check_event(actor, event, case)`` is pure: it judges one event from what the caller knows
of the acting station and of the case, and returns a :class:`Refusal`
(``event_not_permitted``, with the reason in ``detail``) or None.  The rules today:

1. **Level.**  A station produces only the event types its level may produce
   (:data:`LEVEL_EVENTS`).
2. **Registration within its subtree.**  A ``case.registered`` must name a route (the
   case's division) inside the actor's own division, and a case id nobody registered yet.
3. **Only cases visible to it.**  Any other event needs a case that exists and is visible
   to the actor: one of the case's routes lies within the actor's division (the server's
   notion, table ``case_routes``: the registration division, transfer/assignment targets,
   and the divisions of the stations that acted on the case; docs/PROTOCOL.md "Pull").
4. **Only blobs it may reference.**  Attachments an event names must be blobs the actor
   (or the relay that carries its events) uploaded, or that its jurisdiction already
   references (``referable``, computed by the caller).

Who is the actor: always the identity the judging server holds (never a division a request
or a bundle claims).  A station pushing its own events is itself as enrolled (server-
assigned id and division); a relayed or imported bundle's events are judged with the
*village* (the bundle's signer, as enrolled) as actor; events a lower-level server relays
upward are judged as the origin station where the county-signed register places it.

Issue 9 extends this function (ownership: the handling unit, the supervising unit, the
registering station; more levels and departments).  The seam is here on purpose: callers
pass an :class:`Actor` and a :class:`CaseView` and get a verdict, so new rules are new data
in these two records and new lines below, not new call sites.
"""
from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from .divisions import jurisdiction_prefix, level_of_code
from .enums import Level
from .events import EventType
from .fold import CaseState
from .ownership import Parties
from .permissions import (
    ACTOR_INVALID,
    action_for_event,
    allowed,
    server_actor,
)
from .schemas import named_blobs
from .units import UnitError

EVENT_NOT_PERMITTED = "event_not_permitted"   # registered in petition_core.codes

T = EventType
_HANDLING = frozenset({
    T.REGISTERED, T.AMENDED, T.LINKED, T.ACCEPTED, T.DECLINED, T.TRANSFERRED, T.PROGRESS,
    T.EXTENDED, T.CONCLUDED, T.SERVED, T.FOLLOWED_UP, T.REVIEW_REQUESTED, T.ATTACHMENT_ADDED,
    T.CONFLICT_RESOLVED, T.SIGNED, T.TRANSFER_OBJECTED, T.EXTENSION_REQUESTED,
    T.REPORT_SUBMITTED,
})
# What each level may produce.  Villages and townships handle what reaches them (受理 to
# 办结 and 回访, a petitioner's 复查 request); a township also assigns (交办), urges (督办)
# and sends a conclusion back (发回重办) to its villages; 复查/复核 decisions are made from
# the county up.  The station's own gate (station_app/services/gatecheck.py, no folded
# state in hand) still judges with this table; the server no longer does for the events of
# a registered case: permissions.allowed decides there, with the role table of
# permissions.py (ROLE_ACTIONS, LEVEL_STAFF), which is stricter (a village's staff neither
# approves an extension nor resolves a conflict).  This table goes when the station's
# services call permissions.allowed (issue 9, station side).
LEVEL_EVENTS: dict[Level, frozenset[str]] = {
    Level.VILLAGE: frozenset(t.value for t in _HANDLING),
    Level.TOWNSHIP: frozenset(t.value for t in _HANDLING | {
        T.ASSIGNED, T.URGED, T.REDO_ORDERED, T.EXTENSION_DECIDED, T.REPORT_ACCEPTED,
        T.CLOSED}),
}
LEVEL_EVENTS[Level.COUNTY] = LEVEL_EVENTS[Level.TOWNSHIP] | {T.REVIEW_DECIDED.value}
LEVEL_EVENTS[Level.CITY] = LEVEL_EVENTS[Level.COUNTY]
LEVEL_EVENTS[Level.PROVINCE] = LEVEL_EVENTS[Level.COUNTY]
_REGISTERED = T.REGISTERED.value


@dataclass(frozen=True)
class Actor:
    """The station an event is judged as coming from (``unit``: the unit it acts as,
    petition_core.units; "" = its division's centre)."""

    station_id: str
    division: str
    level: Level
    unit: str = ""

    @classmethod
    def of(cls, station_id: str, division: str, unit: str | None = None) -> Actor:
        return cls(station_id, division, level_of_code(division),
                   unit if unit and unit != division else "")

    @property
    def acts_as(self) -> str:
        return self.unit or self.division


@dataclass(frozen=True)
class CaseView:
    """What the judge knows of the case an event belongs to (before the event)."""

    exists: bool = False
    division: str = ""                      # where it was registered ("" if unknown)
    routes: frozenset[str] = field(default_factory=frozenset)  # divisions it is visible in
    origin_station: str = ""                # the station that registered it
    # the case's folded state and parties, when the judge keeps them (the server: table
    # ``cases``): the permission matrix (permissions.allowed) then decides, not ``routes``
    state: CaseState | None = None
    parties: Parties | None = None


@dataclass(frozen=True)
class Refusal:
    code: str
    detail: str = ""
    errors: tuple[Any, ...] = ()            # FieldErrors, for a content refusal


def within(code: str, division: str) -> bool:
    """True when ``code`` lies in (or is) ``division`` (same rule as protocol.within)."""
    try:
        return bool(code) and code.startswith(jurisdiction_prefix(division))
    except ValueError:
        return False


def visible(case: CaseView, division: str) -> bool:
    try:
        prefix = jurisdiction_prefix(division)
    except ValueError:
        return False
    return any(r.startswith(prefix) for r in case.routes if r)


def _no(detail: str) -> Refusal:
    return Refusal(EVENT_NOT_PERMITTED, detail)


def _matrix(actor: Actor, etype: str, data: Any, case: CaseView) -> Refusal | None:
    """permissions.allowed for the station's unit with its level's staff role (the server
    cannot tell operators apart); the refusal carries the matrix's code and parameters."""
    assert case.state is not None
    action = action_for_event(etype, data if isinstance(data, dict) else None)
    if action is None:
        return _no(f"type {etype} not judged")
    try:
        who = server_actor(actor.acts_as)
    except (UnitError, KeyError):
        return Refusal(ACTOR_INVALID, "unit")
    verdict = allowed(case.state, who, action, parties=case.parties)
    if verdict:
        return None
    detail = ",".join(f"{k}={v}" for k, v in sorted(verdict.params.items()))
    return Refusal(verdict.code, detail)


def check_event(actor: Actor, event: Any, case: CaseView, *, data: Any = None,
                referable: Container[str] | None = None) -> Refusal | None:
    """Judge one event (an ``Event``, or anything with ``type`` and ``route``).  ``data``:
    its decoded payload (None when sealed: attachments are then not visible).
    ``referable``: the blobs this actor may name (None: not checked here)."""
    etype = event.type if isinstance(event.type, str) and not isinstance(event.type, T) \
        else str(event.type.value)
    judged_by_matrix = case.state is not None and etype != _REGISTERED
    if not judged_by_matrix and etype not in LEVEL_EVENTS.get(actor.level, frozenset()):
        return _no(f"type {etype} not produced at level {int(actor.level)}")
    if etype == _REGISTERED:
        if case.exists:
            return _no("case already registered")
        if not event.route or not within(event.route, actor.division):
            return _no("registration outside the station's division")
    elif not case.exists:
        return _no("case unknown")
    elif case.state is not None:
        refusal = _matrix(actor, etype, data, case)
        if refusal is not None:
            return refusal
    elif not visible(case, actor.division):
        return _no("case not visible to the station")
    if referable is not None and data is not None:
        for sha in named_blobs(etype, data):
            if sha not in referable:
                return _no(f"attachment {sha[:12]} not uploaded by the station")
    return None
