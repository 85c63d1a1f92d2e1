"""The case_index projection and its FTS5 twin, recomputed from a case's events by the fold.

Written with SQLAlchemy Core on a Connection so the same code serves the live store and the
0002 migration's backfill.  Only columns present in the table are written, so an old
migration that backfills never trips over columns a later revision adds.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from petition_core.enums import Status
from petition_core.events import Event
from petition_core.fold import CaseState, fold
from petition_core.ownership import Parties, StationUnit, parties_of
from petition_core.queues import QueueFacts

from . import grams

log = logging.getLogger(__name__)

DONE_STATUSES = frozenset({Status.DECLINED.value, Status.CONCLUDED.value,
                           Status.CONCLUDED_UNRESOLVED.value, Status.FOLLOWED_UP.value,
                           Status.CLOSED.value})
FTS_TABLE = "case_fts"
FTS_COLUMNS = ("case_no", "petitioner_name", "name_keys", "summary", "account", "demands",
               "subject")
FTS_CREATE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
              + ", ".join(FTS_COLUMNS) + ", tokenize='trigram')")


def work_calendar():
    """The working-day calendar (data, not code).  Loaded and cached in one place,
    ``WorkCalendar.load_default``, so a new holiday table reaches every screen and the
    projection at once; after replacing it call ``refresh_due_dates``."""
    from petition_core.clocks import WorkCalendar

    return WorkCalendar.load_default()


def missing_years_of(due: str | None) -> tuple[int, ...]:
    """``(year,)`` when a stored due date lies in a year whose official holiday calendar is
    not loaded (it was counted from the statutory holidays), else ``()``."""
    if not due:
        return ()
    try:
        d = date.fromisoformat(due[:10])
    except ValueError:
        return ()
    return work_calendar().missing_years(d, d)


def _iso(d: Any) -> str | None:
    if d is None:
        return None
    return d.isoformat() if hasattr(d, "isoformat") else str(d)[:10]


def due_date_of(state: CaseState, today: date | None = None) -> str | None:
    """The next statutory deadline of an open case (ISO date), or None."""
    if not state.registered or state.sealed or state.status.value in DONE_STATUSES:
        return None
    from petition_core.clocks import next_due

    try:
        clock = next_due(state, work_calendar(), today or date.today())
    except (OverflowError, ValueError, TypeError, AttributeError):   # out of any sane range
        log.warning("no deadline for case %s: its dates are out of range", state.case_id)
        return None
    due = _iso(clock.due) if clock is not None else None
    return due[:10] if due is not None else None


def _parties(state: CaseState, station_unit: StationUnit | None) -> Parties:
    try:
        return parties_of(state, station_unit=station_unit)
    except (ValueError, TypeError, AttributeError):   # a payload the gate should have kept out
        log.warning("no parties for case %s: unreadable events", state.case_id)
        return Parties()


def row_for(state: CaseState, doc_id: int, updated_pos: int,
            station_unit: StationUnit | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The case_index row and the FTS document of one folded case (its ``query_code`` is
    the clear code of an old event; ``refresh`` fills in the local one of a new case).
    ``station_unit`` says which unit a station's events were made by (this station's own:
    :func:`own_unit_of`), for the workbench queue columns (petition_core.queues)."""
    from petition_core.pinyin import name_search_text

    f = state.fact
    pet = state.facts.get("petitioner")
    pet = pet if isinstance(pet, dict) else {}   # the fold never raises; nor does this
    anonymous = bool(pet.get("anonymous"))
    name = "" if state.sealed else str(pet.get("name") or "")
    division = state.division or next((e.route for e in state.events
                                       if e.type == "case.registered" and e.route), "")
    due = due_date_of(state)
    subject = state.facts.get("subject") or {}
    row = {
        "case_id": state.case_id,
        "doc_id": doc_id,
        "case_no": state.case_no,
        "query_code": state.query_code,
        "division": division,
        "owner_division": state.owner_division or division,
        "status": state.status.value,
        "is_open": state.status.value not in DONE_STATUSES,
        "category": str(f("category") or ""),
        "channel": str(f("channel") or ""),
        "statute_type": str(f("statute_type") or ""),
        "received_at": str(f("received_at") or ""),
        "petitioner_name": name,
        "petitioner_division": str(pet.get("address_division") or ""),
        "anonymous": anonymous,
        "id_number": str(pet.get("id_number") or ""),
        "phone": str(pet.get("phone") or ""),
        "name_keys": name_search_text(name) if name else "",
        "summary": str(f("summary") or ""),
        "due_date": due,
        "due_key": due or "9999-12-31",
        "concluded_at": (state.conclusion or {}).get("at"),
        "satisfaction": state.satisfaction,
        "needs_decision": state.needs_decision,
        "sealed": state.sealed,
        "repeat_count": len(state.links),
        "updated_pos": updated_pos,
    }
    qf = QueueFacts.of(state, _parties(state, station_unit))
    row.update(handling_unit=qf.handling_unit, supervising_unit=qf.supervising_unit,
               reviewing_unit=qf.reviewing_unit, stage=qf.stage.value,
               report_pending=qf.report_pending, urged=qf.urged)
    doc = {
        "case_no": state.case_no,
        "petitioner_name": name,
        "name_keys": row["name_keys"],
        "summary": row["summary"],
        "account": str(f("account") or ""),
        "demands": str(f("demands") or ""),
        "subject": " ".join(str(subject.get(k) or "") for k in ("name", "unit")).strip()
        if isinstance(subject, dict) else "",
    }
    return row, doc


def _table_columns(conn: Connection) -> list[str]:
    return [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(case_index)")]


_LOAD = text(
    "SELECT event_id, case_id, station_id, station_seq, type, lamport, actor, occurred_at,"
    " payload, payload_enc, route, schema_version, local_pos FROM event"
    " WHERE case_id = :c ORDER BY local_pos")
_LOCAL_CODE = text("SELECT code FROM local_query_code WHERE case_id = :c")
_FTS_DELETE = text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :r")
_FTS_INSERT = text(f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (:rowid, "
                   + ", ".join(":" + c for c in FTS_COLUMNS) + ")")


@functools.lru_cache(maxsize=8)
def _upsert(names: tuple[str, ...]):  # -> TextClause
    return text(f"INSERT OR REPLACE INTO case_index ({', '.join(names)}) VALUES ("
                + ", ".join(":" + n for n in names) + ")")


def _load_events(conn: Connection, case_id: str) -> tuple[list[Event], int, int]:
    rows = conn.execute(_LOAD, {"c": case_id}).all()
    events = [Event(*r[:12]) for r in rows]
    return events, rows[0][12], rows[-1][12]


_OWN = text("SELECT s.station_id, COALESCE((SELECT NULLIF(value, '') FROM setting"
            " WHERE key = 'station.unit'), s.division) FROM station s WHERE s.id = 1")


def own_unit_of(conn: Connection) -> StationUnit | None:
    """``station_id -> unit`` knowing only this station's own unit (the setting
    ``station.unit``, else its division's centre; store.units.station_unit); other
    stations' events read as ownership.derive_parties says without it."""
    row = conn.execute(_OWN).first()
    if row is None or not row[1]:
        return None
    mine, unit = row[0], row[1]
    return lambda sid: unit if sid == mine else None


def refresh(conn: Connection, case_ids: Iterable[str]) -> None:
    """Recompute the projection rows of ``case_ids`` (inside the caller's transaction)."""
    cols = _table_columns(conn)
    own = own_unit_of(conn) if "handling_unit" in cols else None
    has_fts = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).first() is not None
    has_grams = grams.has_table(conn)
    has_local_codes = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'local_query_code'").first() is not None
    for case_id in case_ids:
        events, first_pos, last_pos = _load_events(conn, case_id)
        if not events:
            continue
        row, doc = row_for(fold(events, case_id), first_pos, last_pos, own)
        if not row["query_code"] and has_local_codes:   # registered here, after hashing
            row["query_code"] = conn.execute(_LOCAL_CODE, {"c": case_id}).scalar() or ""
        _write(conn, cols, row, doc if has_fts else None, has_grams)


_OLD = text("SELECT doc_id, " + ", ".join(grams.GRAM_COLUMNS)
            + " FROM case_index WHERE case_id = :c")


def _write(conn: Connection, cols: list[str], row: dict[str, Any],
           doc: dict[str, str] | None, has_grams: bool = False) -> None:
    old = None
    if has_grams:   # the contentless gram table deletes by the tokens it was given
        prev = conn.execute(_OLD, {"c": row["case_id"]}).first()
        old = (prev[0], grams.grams_of(prev[1:])) if prev is not None else None
    names = tuple(c for c in cols if c in row)
    conn.execute(_upsert(names), {n: row[n] for n in names})
    if doc is not None:
        if old is not None and old[0] != row["doc_id"]:
            conn.execute(_FTS_DELETE, {"r": old[0]})
        conn.execute(_FTS_DELETE, {"r": row["doc_id"]})
        conn.execute(_FTS_INSERT, {"rowid": row["doc_id"], **doc})
    if has_grams:
        grams.replace(conn, old, (row["doc_id"],
                                  grams.grams_of(row[c] for c in grams.GRAM_COLUMNS)))


_OPEN_CASES = text("SELECT case_id FROM case_index WHERE is_open = 1")
_SET_DUE = text("UPDATE case_index SET due_date = :d, due_key = :k WHERE case_id = :c")


def refresh_due_dates(conn: Connection) -> int:
    """Recompute the stored next deadline of every open case (after the rule of counting
    changed, or a county loaded a new holiday table); returns how many changed."""
    changed = 0
    for (case_id,) in conn.execute(_OPEN_CASES).all():
        events, _first, _last = _load_events(conn, case_id)
        if not events:
            continue
        due = due_date_of(fold(events, case_id))
        old = conn.execute(text("SELECT due_date FROM case_index WHERE case_id = :c"),
                           {"c": case_id}).scalar()
        if due != old:
            conn.execute(_SET_DUE, {"d": due, "k": due or "9999-12-31", "c": case_id})
            changed += 1
    log.info("due dates refreshed: %d changed", changed)
    return changed


def rebuild_all(conn: Connection, batch: int = 500) -> int:
    """Recompute every case's projection from the event log (migration backfill, repair)."""
    case_ids = [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT case_id FROM event")]
    for i in range(0, len(case_ids), batch):
        refresh(conn, case_ids[i:i + batch])
    log.info("projection rebuilt for %d cases", len(case_ids))
    return len(case_ids)
