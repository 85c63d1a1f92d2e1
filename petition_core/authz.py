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
    EVENT_ACTIONS,
    LEVEL_STAFF,
    ROLE_ACTIONS,
    action_for_event,
    allowed,
    server_actor,
)
from .schemas import named_blobs
from .units import UnitError

EVENT_NOT_PERMITTED = "event_not_permitted"   # registered in petition_core.codes

T = EventType
_REGISTERED = T.REGISTERED.value


def _level_events(level: Level) -> frozenset[str]:
    role = LEVEL_STAFF[level]
    return frozenset({_REGISTERED} | {t for t, a in EVENT_ACTIONS.items()
                                      if a in ROLE_ACTIONS[role]})


# What each level may produce at all: a registration, and the events whose action
# (permissions.EVENT_ACTIONS) the level's staff role may take (permissions.ROLE_ACTIONS /
# LEVEL_STAFF): the one table, not a copy.  Whether the station's unit may take it on this
# case is permissions.allowed, below.
LEVEL_EVENTS: dict[Level, frozenset[str]] = {lv: _level_events(lv) for lv in LEVEL_STAFF}


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
    if etype not in LEVEL_EVENTS.get(actor.level, frozenset()):
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
