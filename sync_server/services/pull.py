"""Pull: the change log after a cursor, filtered to what a station's unit may see.

A case is visible to a station when table ``case_units`` has a row for the case and the
station's unit (services/cases.py, folded from petition_core.ownership at merge): the
cases registered in its subtree, the cases its unit handles, has handled or supervises,
the cases it reviews, and for levels above, every case in its subtree.  A row's ``view``
is ``full`` or ``followup``: a unit that only registered the case or passed it on gets
only ``cases.FOLLOWUP_TYPES`` (docs/PROTOCOL.md "Pull").  Visibility can start or widen
late (a case transferred in), so the window that contains the row's ``since_pos`` also
carries the case's earlier events ("backfill").
Reads take no lock: writers commit positions in increasing order (see merge.py), and we
read the top position first, so nothing below the returned cursor can appear later.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Row, and_, exists, func, or_, select, true

from ..store.cases import FOLLOWUP_TYPES, VIEW_FULL
from ..store.models import case_units, events, repeat_matches

MAX_REPEATS = 1000   # per answer (a window of 2000 events holds far fewer registrations)


@dataclass(frozen=True)
class PullResult:
    events: list[dict[str, Any]]
    cursor: int
    more: bool
    repeats: list[dict[str, Any]] = field(default_factory=list)


def repeat_to_wire(r: Any) -> dict[str, Any]:
    """One ``repeats`` item (docs/PROTOCOL.md): ids, the earlier case's number, the reason
    and score, and the 越级 flag; never a name, an ID number or text."""
    d: dict[str, Any] = {"case_id": r.case_id, "matched_case_id": r.matched_case_id,
                         "matched_case_no": r.matched_case_no, "reason": r.reason,
                         "score": round(float(r.score), 4)}
    if r.flag:
        d["flag"] = r.flag
    return d


def row_to_wire(r: Any) -> dict[str, Any]:
    """Rebuild ``Event.to_wire()`` from stored columns; sealed payloads byte-for-byte."""
    d: dict[str, Any] = {
        "event_id": r.event_id, "case_id": r.case_id, "station_id": r.station_id,
        "station_seq": r.station_seq, "type": r.type, "lamport": r.lamport, "actor": r.actor,
        "occurred_at": r.occurred_at, "payload_enc": r.payload_enc, "route": r.route,
        "schema_version": r.schema_version,
    }
    payload = bytes(r.payload)
    if r.payload_enc == "json":
        d["payload"] = json.loads(payload.decode("utf-8"))
    else:
        d["payload_b64"] = base64.b64encode(payload).decode("ascii")
    return d


_COLS = [events.c[n] for n in (
    "server_pos", "event_id", "case_id", "station_id", "station_seq", "type", "lamport",
    "actor", "occurred_at", "payload_enc", "route", "schema_version", "payload")]


# Payload bytes as they travel (sealed ones base64) per answer: well under what a station
# accepts (16 MiB compressed — sealed payloads do not compress — and 32 MiB decompressed),
# whatever limit it asked for (2000 events could carry 2000 × 256 KiB otherwise).
PAYLOAD_BUDGET = 8 * 1024 * 1024


def _within_budget(rows: Sequence[Row[Any]]) -> tuple[Sequence[Row[Any]], bool]:
    """The longest prefix of ``rows`` within PAYLOAD_BUDGET (always at least one row)."""
    total = 0
    for i, r in enumerate(rows):
        n = len(r.payload)
        total += n if r.payload_enc == "json" else (n + 2) // 3 * 4  # sealed go as base64
        if total > PAYLOAD_BUDGET and i > 0:
            return rows[:i], True
    return rows, False


def _leave_out(held: Mapping[str, int]) -> Any:
    """A filter keeping every event except those of ``held``'s stations up to their seq."""
    parts = [and_(events.c.station_id == sid, events.c.station_seq <= n)
             for sid, n in sorted(held.items()) if n > 0]
    return ~or_(*parts) if parts else true()


def _seen_by(unit: str, *conds: Any) -> Any:
    """The event's case has a ``case_units`` row for ``unit`` (matching ``conds``) whose
    view shows the event's type."""
    return exists().where(
        case_units.c.case_id == events.c.case_id, case_units.c.unit == unit, *conds,
        or_(case_units.c.view == VIEW_FULL, events.c.type.in_(sorted(FOLLOWUP_TYPES))))


def pull(engine: Engine, *, unit: str | None = None, division: str | None = None,
         cursor: int, limit: int, own: tuple[str, int] | None = None,
         held: Mapping[str, int] | None = None) -> PullResult:
    """What the station acting as ``unit`` may see after ``cursor`` (``division``: the
    same, for a station whose unit is its division's centre).  ``own=(station_id,
    through)``: leave out that station's events with station_seq ≤ through (the puller's
    own events, which it already holds).  ``held``: the same for other stations,
    ``{station_id: through}`` (a township holds the events of the villages whose bundles it
    relayed: they need not come back to it)."""
    who = unit or division or ""
    skip = dict(held or {})
    if own is not None:
        skip[own[0]] = max(own[1], skip.get(own[0], 0))
    keep = _leave_out(skip)
    limit = max(1, limit)
    with engine.connect() as conn:
        top: int = conn.execute(
            select(func.coalesce(func.max(events.c.server_pos), 0))).scalar_one()
        if cursor >= top:
            # cursor > top: the server was restored from an older backup; start over at top.
            return PullResult([], min(cursor, top), False)
        main = conn.execute(
            select(*_COLS)
            .where(events.c.server_pos > cursor, events.c.server_pos <= top,
                   _seen_by(who), keep)
            .order_by(events.c.server_pos)
            .limit(limit)
        ).all()
        main, cut = _within_budget(main)
        if cut or len(main) == limit:
            new_cursor, more = main[-1].server_pos, main[-1].server_pos < top
        else:
            new_cursor, more = top, False
        # Cases that became visible to the unit (or widened from the follow-up view)
        # inside (cursor, new_cursor]: their earlier events too.
        back: Sequence[Row[Any]] = []
        if cursor > 0:
            back = conn.execute(
                select(*_COLS)
                .where(events.c.server_pos <= cursor, keep,
                       _seen_by(who, case_units.c.since_pos > cursor,
                                case_units.c.since_pos <= new_cursor))
                .order_by(events.c.server_pos)
            ).all()
        # repeats found by registrations merged inside this window, on cases the unit sees
        reps = conn.execute(
            select(repeat_matches)
            .where(repeat_matches.c.found_pos > cursor, repeat_matches.c.found_pos <= new_cursor,
                   exists().where(case_units.c.case_id == repeat_matches.c.case_id,
                                  case_units.c.unit == who))
            .order_by(repeat_matches.c.found_pos, repeat_matches.c.case_id,
                      repeat_matches.c.matched_case_id, repeat_matches.c.reason)
            .limit(MAX_REPEATS)
        ).all()
    seen: set[str] = set()
    out = []
    for r in [*back, *main]:
        if r.event_id not in seen:
            seen.add(r.event_id)
            out.append(row_to_wire(r))
    return PullResult(out, new_cursor, more, [repeat_to_wire(r) for r in reps])
