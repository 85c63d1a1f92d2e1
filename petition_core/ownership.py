"""Who a case belongs to, folded from its events (issue 9 item 2; decisions/0006).

Each case has

* the **registering** unit: the unit of the station that registered it (it met the
  petitioner: it prints the documents and does the 回访);
* the **handling** unit (承办单位): who must act now — first the registering unit, then the
  receiver of each 转办 (``case.transferred``) or 交办 (``case.assigned``);
* the **supervising** unit: who transferred or assigned it to the handling unit (it approves
  extensions, urges, sends a conclusion back);
* the **reviewing** unit, once a 复查/复核 is asked: the level above the unit whose reply is
  reviewed (:func:`review_unit`);
* the history of every hand-over, and every unit that has handled it (a unit that held the
  case before and holds nothing else now is ``former``: it may still see it).

Events written before units existed name a 12-digit division (``to_division`` / the route)
and 承办单位 as free text (``to_unit``).  A ``to_unit`` that is a unit code is used as it is;
free text that names exactly one registered department of that division (with a register)
is that department; anything else is the division's centre.  Which unit a *station* is:
``station_unit(station_id)`` from the caller (the county-signed register knows each
station's division); without it, the registration's division stands for the registering
unit, and the previous handler for whoever transferred.

Pure: no I/O, deterministic for the same set of events in any order (the fold's order).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .enums import Labelled
from .events import Event, EventType
from .fold import CaseState, sort_key
from .unit_register import UnitRegister
from .units import (
    UnitError,
    ancestors,
    centre_of,
    is_unit_code,
    parent_of,
    parse_unit_code,
)

StationUnit = Callable[[str], "str | None"]
T = EventType


class Relation(Labelled):
    """A unit's relation to a case.  A unit may hold several (a township that registered
    a case and transferred it is registering and supervising)."""

    HANDLING = ("handling", "承办单位")
    SUPERVISING = ("supervising", "转办/交办单位")
    REGISTERING = ("registering", "登记单位")
    REVIEWING = ("reviewing", "复查/复核机关")
    ABOVE = ("above", "上级单位")
    FORMER = ("former", "曾经手单位")   # handled or passed it on before, holds nothing else now
    NONE = ("none", "无关单位")


# the order :func:`relation` reports one relation in (the strongest first)
RELATION_ORDER = (Relation.HANDLING, Relation.REVIEWING, Relation.SUPERVISING,
                  Relation.REGISTERING, Relation.ABOVE, Relation.FORMER)


@dataclass(frozen=True)
class Handover:
    """One change of hands: registered, transferred, assigned, sent back (redo), or a
    复查/复核 opened at the reviewing unit."""

    kind: str          # "register" | "transfer" | "assign" | "redo" | "review" | "rereview"
                       # | "objection" (转办异议: back to the sender)
    to_unit: str
    by_unit: str       # the unit that moved it ("" when nobody can tell)
    at: str
    event_id: str


@dataclass(frozen=True)
class Parties:
    registering: str = ""
    registering_station: str = ""
    handling: str = ""
    supervising: str | None = None
    reviewing: str | None = None
    concluded_by: str | None = None      # the handler whose 办结 is current
    handlers: tuple[str, ...] = ()       # every unit that has handled it, in order
    history: tuple[Handover, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.handling)


def _valid(code: object) -> str | None:
    return code if isinstance(code, str) and is_unit_code(code) else None


def target_unit(division: object, to_unit: object = "",
                register: UnitRegister | None = None) -> str | None:
    """The unit a 转办/交办 names: ``to_unit`` when it is a unit code; free text naming one
    registered department of ``division``; else the division's centre (None: unreadable)."""
    code = _valid(to_unit)
    if code is not None:
        return code
    div = _valid(division)
    if div is None or parse_unit_code(div)[1]:
        return None
    if register is not None and isinstance(to_unit, str) and to_unit.strip():
        found = register.find_by_name(div, to_unit)
        if found is not None:
            return found.code
    return centre_of(div)


def review_unit(unit: str, register: UnitRegister | None = None) -> str | None:
    """Who decides a 复查 of ``unit``'s reply (Art. 35: the level above): for a department,
    the same department one level up when the register has it (``530900000000.mz``), else
    the centre above; for a centre, its parent centre.  None above a province."""
    try:
        div, suffix = parse_unit_code(unit)
    except UnitError:
        return None
    above = parent_of(div)
    if above is None:
        return None
    if suffix and register is not None and f"{above}.{suffix}" in register:
        return f"{above}.{suffix}"
    return above


def _station_unit(station_unit: StationUnit | None, station_id: str) -> str | None:
    return _valid(station_unit(station_id)) if station_unit is not None else None


def derive_parties(events: Iterable[Event], *, station_unit: StationUnit | None = None,
                   register: UnitRegister | None = None) -> Parties:
    """Fold the parties of one case from its events (any order; duplicates ignored)."""
    unique: dict[str, Event] = {}
    for ev in events:
        unique.setdefault(ev.event_id, ev)
    p: dict = {"registering": "", "registering_station": "", "handling": "",
               "supervising": None, "reviewing": None, "concluded_by": None}
    handlers: list[str] = []
    history: list[Handover] = []
    last_reviewer: str | None = None
    before_move: list[tuple[str, str | None]] = []   # (handling, supervising) before each move
    for ev in sorted(unique.values(), key=sort_key):
        d = ev.data()
        at = d.get("at") or ev.occurred_at
        actor = _station_unit(station_unit, ev.station_id)
        t = ev.type
        if t == T.REGISTERED.value:
            if p["registering"]:
                continue     # a second registration of one case id changes nothing
            unit = actor or target_unit(d.get("division") or ev.route)
            if unit is None:
                continue
            p.update(registering=unit, registering_station=ev.station_id, handling=unit)
            handlers.append(unit)
            history.append(Handover("register", unit, unit, at, ev.event_id))
        elif not p["handling"]:
            continue         # nothing is known of a case before its registration
        elif t in (T.TRANSFERRED.value, T.ASSIGNED.value):
            to = target_unit(d.get("to_division") or ev.route, d.get("to_unit", ""), register)
            if to is None:
                continue
            by = actor or p["handling"]
            before_move.append((p["handling"], p["supervising"]))
            p.update(handling=to, supervising=by if by != to else p["supervising"],
                     concluded_by=None)
            if to not in handlers:
                handlers.append(to)
            kind = "transfer" if t == T.TRANSFERRED.value else "assign"
            history.append(Handover(kind, to, by, at, ev.event_id))
        elif t == T.TRANSFER_OBJECTED.value:
            # 转办异议 (Art. 23): the case goes back to the unit that sent it
            if before_move and history and history[-1].kind in ("transfer", "assign"):
                back, sup = before_move.pop()
                p.update(handling=back, supervising=sup)
                history.append(Handover("objection", back, actor or "", at, ev.event_id))
        elif t == T.CONCLUDED.value:
            p["concluded_by"] = p["handling"]
        elif t == T.REDO_ORDERED.value:
            p["concluded_by"] = None
            history.append(Handover("redo", p["handling"], actor or p["supervising"] or "",
                                    at, ev.event_id))
        elif t == T.REVIEW_REQUESTED.value:
            kind = "rereview" if d.get("kind") == "rereview" else "review"
            if kind == "rereview" and last_reviewer:
                base = last_reviewer
            else:
                base = p["concluded_by"] or p["handling"]
            reviewer = review_unit(base, register)
            if reviewer is not None:
                p["reviewing"] = reviewer
                history.append(Handover(kind, reviewer, actor or "", at, ev.event_id))
        elif t == T.REVIEW_DECIDED.value and p["reviewing"]:
            last_reviewer = p["reviewing"]
    return Parties(**p, handlers=tuple(handlers), history=tuple(history))


def parties_of(state: CaseState, *, station_unit: StationUnit | None = None,
               register: UnitRegister | None = None) -> Parties:
    """:func:`derive_parties` of a folded case (its events are already in fold order)."""
    return derive_parties(state.events, station_unit=station_unit, register=register)


def relations(parties: Parties, unit: str) -> frozenset[Relation]:
    """Every relation ``unit`` has to the case (empty: none)."""
    if not parties.known or not is_unit_code(unit):
        return frozenset()
    out = set()
    if unit == parties.handling:
        out.add(Relation.HANDLING)
    if unit == parties.supervising:
        out.add(Relation.SUPERVISING)
    if unit == parties.registering:
        out.add(Relation.REGISTERING)
    if unit == parties.reviewing:
        out.add(Relation.REVIEWING)
    if any(unit in ancestors(c) for c in (parties.handling, parties.registering) if c):
        out.add(Relation.ABOVE)
    if not out and unit in _former(parties):
        out.add(Relation.FORMER)
    return frozenset(out)


def _former(parties: Parties) -> set[str]:
    return set(parties.handlers) | {h.by_unit for h in parties.history
                                    if h.kind in ("transfer", "assign") and h.by_unit}


def visibility_units(parties: Parties) -> frozenset[str]:
    """Every unit whose stations may see the case (any relation but ``none``): the parties,
    every former holder, and every centre above the handling or registering unit.  What a
    server's per-case visibility rows hold, so a pull can match a station's unit exactly."""
    if not parties.known:
        return frozenset()
    units = _former(parties) | {parties.handling, parties.registering}
    units |= {u for u in (parties.supervising, parties.reviewing) if u}
    for c in (parties.handling, parties.registering):
        units |= set(ancestors(c))
    return frozenset(units)


def relation(parties: Parties, unit: str) -> Relation:
    """The strongest of :func:`relations` (``RELATION_ORDER``), or ``Relation.NONE``."""
    held = relations(parties, unit)
    return next((r for r in RELATION_ORDER if r in held), Relation.NONE)
