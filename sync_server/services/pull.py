"""Pull: the change log after a cursor, filtered to a station's jurisdiction.

A case is visible to a station when any of its routes (registration division, transfer or
assignment target, or the division of a station that acted on it) lies within the
station's division.  Visibility can start late (a case transferred in), so the window that
contains the route's ``added_pos`` also carries the case's earlier events ("backfill").
Reads take no lock: writers commit positions in increasing order (see merge.py), and we
read the top position first, so nothing below the returned cursor can appear later.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Row, and_, exists, func, or_, select, true

from petition_core.protocol import division_prefix

from ..store.models import case_routes, events


@dataclass(frozen=True)
class PullResult:
    events: list[dict[str, Any]]
    cursor: int
    more: bool


def _range(division: str) -> tuple[str, str]:
    prefix = division_prefix(division)
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


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


def pull(engine: Engine, *, division: str, cursor: int, limit: int,
         own: tuple[str, int] | None = None,
         held: Mapping[str, int] | None = None) -> PullResult:
    """``own=(station_id, through)``: leave out that station's events with station_seq ≤
    through (the puller's own events, which it already holds).  ``held``: the same for
    other stations, ``{station_id: through}`` (a township holds the events of the villages
    whose bundles it relayed: they need not come back to it)."""
    lo, hi = _range(division)
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
        visible = exists().where(
            case_routes.c.case_id == events.c.case_id,
            case_routes.c.division.between(lo, hi),
        )
        main = conn.execute(
            select(*_COLS)
            .where(events.c.server_pos > cursor, events.c.server_pos <= top, visible, keep)
            .order_by(events.c.server_pos)
            .limit(limit)
        ).all()
        main, cut = _within_budget(main)
        if cut or len(main) == limit:
            new_cursor, more = main[-1].server_pos, main[-1].server_pos < top
        else:
            new_cursor, more = top, False
        # Cases that became visible inside (cursor, new_cursor] and were not visible before.
        r_new = case_routes.alias("r_new")
        r_old = case_routes.alias("r_old")
        newly = (
            select(r_new.c.case_id)
            .where(
                r_new.c.division.between(lo, hi),
                r_new.c.added_pos > cursor,
                r_new.c.added_pos <= new_cursor,
                ~exists().where(
                    r_old.c.case_id == r_new.c.case_id,
                    r_old.c.division.between(lo, hi),
                    r_old.c.added_pos <= cursor,
                ),
            )
        )
        back: Sequence[Row[Any]] = []
        if cursor > 0:
            back = conn.execute(
                select(*_COLS)
                .where(events.c.server_pos <= cursor, events.c.case_id.in_(newly), keep)
                .order_by(events.c.server_pos)
            ).all()
    seen: set[str] = set()
    out = []
    for r in [*back, *main]:
        if r.event_id not in seen:
            seen.add(r.event_id)
            out.append(row_to_wire(r))
    return PullResult(out, new_cursor, more)
