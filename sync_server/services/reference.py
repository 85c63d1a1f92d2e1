"""County-kept reference data that reaches every station by sync (issue 9 item 1;
decisions/0009): the register of the county's units (its departments, township 站所, a
centre's proper name) and the holiday table (one State Council notice a year).

Each unit row and each holiday year is one ``reference_data`` row holding the data and a
:class:`~petition_core.protocol.ReferenceRecord` signed with the county key (the key that
signs the station register, decisions/0004).  ``pos`` orders all of them: a station pulls
what changed after its ``reference_cursor`` (:func:`records_after`).  Writers are
serialised (SQLite BEGIN IMMEDIATE, PostgreSQL advisory lock) so a cursor never skips a
position.  Everything the county types or loads is checked like a station checks it
(``unit_row``, ``WorkCalendar.from_dict``), row by row: one bad row is refused with its
code and the others are kept.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from petition_core.clocks import WorkCalendar
from petition_core.divisions import DivisionTree
from petition_core.protocol import (
    REF_HOLIDAYS,
    REF_ROUTE,
    REF_UNIT,
    ReferenceRecord,
    canonical_json,
    sign_reference,
)
from petition_core.unit_register import UnitRegister, read_register_file
from petition_core.units import (
    UNIT_DUPLICATE,
    UNIT_UNKNOWN,
    RowRefusal,
    Unit,
    UnitError,
    unit_row,
)

from ..store.models import reference_data
from . import utcnow
from .identity import ServerIdentity

log = logging.getLogger(__name__)

REFERENCE_LOCK_KEY = 7_270_009
HOLIDAYS_INVALID = "holidays_invalid"


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": REFERENCE_LOCK_KEY})


def _put(conn: Connection, ident: ServerIdentity, kind: str, key: str,
         data: dict[str, Any]) -> None:
    _lock(conn)
    pos = int(conn.execute(select(func.coalesce(func.max(reference_data.c.pos), 0)))
              .scalar_one()) + 1
    now = utcnow()
    signed = sign_reference(ident.key, ReferenceRecord(ident.server_id, kind, key, pos, data,
                                                       now))
    values = dict(pos=pos, data=canonical_json(data),
                  record=canonical_json(signed["reference"]), signature=signed["sig"],
                  updated_at=now)
    res = conn.execute(reference_data.update().where(reference_data.c.kind == kind,
                                                     reference_data.c.key == key)
                       .values(**values))
    if res.rowcount == 0:
        conn.execute(reference_data.insert().values(kind=kind, key=key, **values))


def _begin(engine: Engine):
    return engine.execution_options(sqlite_immediate=True).begin()


MAX_RECORDS_PER_PULL = 500   # a whole register comes over a few syncs on a slow line


def records_after(conn: Connection, cursor: int,
                  limit: int = MAX_RECORDS_PER_PULL) -> tuple[list[dict[str, Any]], int]:
    """The signed reference records after ``cursor`` (at most ``limit``) and the new
    cursor (the last one's position: the rest come at the next pull)."""
    rows = conn.execute(select(reference_data).where(reference_data.c.pos > cursor)
                        .order_by(reference_data.c.pos).limit(limit)).all()
    if not rows:
        return [], cursor
    return ([{"reference": json.loads(bytes(r.record).decode("utf-8")), "sig": r.signature}
             for r in rows], int(rows[-1].pos))


def _data(conn: Connection, kind: str) -> dict[str, dict[str, Any]]:
    return {r.key: json.loads(bytes(r.data).decode("utf-8")) for r in conn.execute(
        select(reference_data.c.key, reference_data.c.data)
        .where(reference_data.c.kind == kind)).all()}


# ---- units --------------------------------------------------------------------------------

def register_of(conn: Connection) -> UnitRegister:
    """The shipped registers with this county's rows on top (a county row replaces the
    shipped row of its code)."""
    rows = {u["code"]: u for u in UnitRegister.load_default().to_rows()}
    rows.update(_data(conn, REF_UNIT))
    reg, refused = UnitRegister.from_rows(DivisionTree.load_default(), list(rows.values()))
    for r in refused:    # written through the checks below: only a changed tree gets here
        log.warning("unit register row %s refused: %s", r.unit, r.code)
    return reg


def current_register(engine: Engine) -> UnitRegister:
    with engine.connect() as conn:
        return register_of(conn)


def add_unit(engine: Engine, ident: ServerIdentity, row: dict[str, Any]) -> Unit:
    """Register a new unit (a department).  UnitError: the row's own codes, or
    ``unit_duplicate`` when the code is registered already (codes are never reused)."""
    with _begin(engine) as conn:
        unit = unit_row(row, DivisionTree.load_default())
        reg = register_of(conn)
        if unit.code in {u.code for u in reg.departments(include_inactive=True)}:
            raise UnitError(UNIT_DUPLICATE, unit.code)
        _put(conn, ident, REF_UNIT, unit.code, unit.to_row())
    log.info("unit %s registered", unit.code)
    return unit


def change_unit(engine: Engine, ident: ServerIdentity, code: str, *,
                name: str | None = None, active: bool | None = None) -> Unit:
    """Rename (the old name stays as an alias, for the picker and old free text) or
    (de)activate a registered unit.  UnitError ``unit_unknown`` and the row's codes."""
    with _begin(engine) as conn:
        reg = register_of(conn)
        old = reg.get(code) if isinstance(code, str) else None
        if old is None or (old.code not in {u.code for u in reg.departments(
                include_inactive=True)} and old.code not in _data(conn, REF_UNIT)
                and name is None):
            raise UnitError(UNIT_UNKNOWN, str(code))
        row = old.to_row()
        if name is not None and name != old.name:
            row["aliases"] = [old.name, *old.aliases][:8]
            row["name"] = name
        if active is not None:
            row["active"] = active
        unit = unit_row(row, DivisionTree.load_default())
        _put(conn, ident, REF_UNIT, unit.code, unit.to_row())
    log.info("unit %s changed", unit.code)
    return unit


def import_units(engine: Engine, ident: ServerIdentity,
                 path: Path) -> tuple[list[Unit], list[RowRefusal]]:
    """Load a register file ``{"scope": …, "units": [rows]}``: every good row is stored
    (replacing that code's row), each bad row refused with its code."""
    scope, rows = read_register_file(path)
    reg, refused = UnitRegister.from_rows(DivisionTree.load_default(), rows, scope=scope)
    units = [u for u in (reg.get(r["code"]) for r in reg.to_rows()) if u is not None]
    with _begin(engine) as conn:
        for unit in units:
            _put(conn, ident, REF_UNIT, unit.code, unit.to_row())
    log.info("unit register %s imported: %d rows, %d refused", scope, len(units), len(refused))
    return units, refused


# ---- holidays -----------------------------------------------------------------------------

@dataclass(frozen=True)
class YearRefusal:
    year: str
    code: str
    detail: str = ""


def holiday_years(doc: Any) -> tuple[dict[str, dict[str, Any]], list[YearRefusal]]:
    """The years of a holiday file (the shape of ``resources/holidays/cn.json``), each
    checked alone by ``WorkCalendar.from_dict``; a bad year is refused, the others kept."""
    years = doc.get("years") if isinstance(doc, dict) else None
    if not isinstance(years, dict):
        return {}, [YearRefusal("", HOLIDAYS_INVALID, "no 'years' object")]
    good: dict[str, dict[str, Any]] = {}
    refused: list[YearRefusal] = []
    for key, entry in years.items():
        try:
            if not (isinstance(key, str) and key.isdigit() and 1900 <= int(key) <= 2199):
                raise ValueError("year")
            WorkCalendar.from_dict({"years": {key: entry}})
            data = {"holidays": sorted(entry.get("holidays", [])),
                    "workdays": sorted(entry.get("workdays", [])),
                    "notice": str(entry.get("notice", ""))[:200]}
        except (ValueError, TypeError, AttributeError) as exc:
            refused.append(YearRefusal(str(key)[:10], HOLIDAYS_INVALID, str(exc)[:100]))
            continue
        good[key] = data
    return good, refused


def load_holidays(engine: Engine, ident: ServerIdentity,
                  path: Path) -> tuple[list[str], list[YearRefusal]]:
    """Load a new State Council notice (a holiday file); returns the years stored."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [], [YearRefusal("", HOLIDAYS_INVALID, str(exc)[:100])]
    good, refused = holiday_years(doc)
    with _begin(engine) as conn:
        for year, data in sorted(good.items()):
            _put(conn, ident, REF_HOLIDAYS, year, data)
    log.info("holiday years loaded: %s; %d refused", ",".join(sorted(good)), len(refused))
    return sorted(good), refused


# ---- routing (item 8) ---------------------------------------------------------------------

def set_route(engine: Engine, ident: ServerIdentity, category: str, unit: str) -> str:
    """The county's default handling unit for ``category``.  UnitError:
    ``route_category_invalid``, the unit codes, ``unit_unknown``, ``unit_inactive``."""
    from petition_core.routing import route_row

    category, unit = route_row(category, {"unit": unit})
    with _begin(engine) as conn:
        found = register_of(conn).require(unit)
        if not found.active:
            raise UnitError("unit_inactive", unit)
        _put(conn, ident, REF_ROUTE, category, {"category": category, "unit": unit})
    log.info("route %s → %s", category, unit)
    return unit


def routes(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {k: str(v.get("unit")) for k, v in _data(conn, REF_ROUTE).items()}
