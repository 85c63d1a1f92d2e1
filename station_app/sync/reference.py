"""County-signed reference data on the station (issue 9 item 1; decisions/0009): the unit
register rows and holiday years the county keeps, pulled with their own cursor.

Every record is hostile until checked: its signature must be the county key this station
trusts (the enrollment answer's) and name that server; then its data is checked like the
county checked it (``unit_row``; ``WorkCalendar.from_dict``).  One bad record is refused
with a code and logged; the others are stored (setting ``ref.<kind>.<key>``, newest
``rev`` wins).  A record whose signature does not verify keeps the cursor where it was, so
the genuine one comes again; a signed record this version cannot read is skipped.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from petition_core import protocol as P
from petition_core.clocks import WorkCalendar
from petition_core.divisions import DivisionTree
from petition_core.routing import route_row
from petition_core.units import UnitError, unit_row

from ..store import get_setting, set_setting
from ..store.models import SettingRow
from ..store.units import K_REF_PREFIX, synced_holiday_years

log = logging.getLogger(__name__)

K_REF_CURSOR = "sync.reference_cursor"


@dataclass
class Stored:
    units: int = 0
    holidays: int = 0
    routes: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)   # (kind:key, code)
    forged: bool = False


def _check(rec: P.ReferenceRecord) -> dict[str, Any]:
    """The record's data, checked for its kind; UnitError / ValueError when bad."""
    if rec.kind == P.REF_UNIT:
        unit = unit_row(rec.data, DivisionTree.load_default())
        if unit.code != rec.key:
            raise UnitError("unit_code_invalid", "key")
        return unit.to_row()
    if rec.kind == P.REF_ROUTE:
        category, code = route_row(rec.key, rec.data)
        return {"category": category, "unit": code}
    if not (rec.key.isdigit() and 1900 <= int(rec.key) <= 2199):
        raise ValueError("year")
    WorkCalendar.from_dict({"years": {rec.key: rec.data}})
    return {"holidays": list(rec.data.get("holidays", [])),
            "workdays": list(rec.data.get("workdays", [])),
            "notice": str(rec.data.get("notice", ""))[:200]}


def store_references(session: Session, server_id: str, server_key: str,
                     signed: Iterable[Any]) -> Stored:
    out = Stored()
    for item in signed:
        try:
            rec = P.verify_reference(item, server_key, issuer=server_id)
        except P.ProtocolError as exc:
            out.refused.append(("?", exc.code))
            out.forged = out.forged or exc.code == "reference_bad_signature"
            log.warning("reference record refused: %s", exc.code)
            continue
        name = f"{rec.kind}:{rec.key[:32]}"
        try:
            data = _check(rec)
        except UnitError as exc:
            out.refused.append((name, exc.code))
            log.warning("reference record %s refused: %s", name, exc.code)
            continue
        except (ValueError, TypeError, AttributeError):
            out.refused.append((name, "reference_malformed"))
            log.warning("reference record %s refused: reference_malformed", name)
            continue
        key = f"{K_REF_PREFIX}{rec.kind}.{rec.key}"
        old = get_setting(session, key)
        if old is not None and json.loads(old).get("rev", 0) >= rec.rev:
            continue
        set_setting(session, key, json.dumps({"rev": rec.rev, "data": data, "signed": item},
                                             ensure_ascii=False, sort_keys=True))
        if rec.kind == P.REF_UNIT:
            out.units += 1
        elif rec.kind == P.REF_ROUTE:
            out.routes += 1
        else:
            out.holidays += 1
    if out.holidays:
        install_holidays(session)
    return out


def install_holidays(session: Session) -> None:
    """Count working days with the holiday years this station got by sync."""
    bad = WorkCalendar.install_synced(synced_holiday_years(session))
    if bad:
        log.warning("stored holiday years not used: %s", ",".join(bad))


MAX_HANDED_ON = 2000   # reference records a township hands on in one return bundle


def signed_records(session: Session) -> list[dict[str, Any]]:
    """The county-signed records this station stored, as signed (a township hands them on
    to its villages in return bundles; each village checks them again)."""
    out: list[dict[str, Any]] = []
    for value in session.execute(select(SettingRow.value).where(
            SettingRow.key.startswith(K_REF_PREFIX)).order_by(SettingRow.key)).scalars():
        try:
            signed = json.loads(value).get("signed")
        except (ValueError, AttributeError):
            continue
        if isinstance(signed, dict):
            out.append(signed)
        if len(out) >= MAX_HANDED_ON:
            break
    return out

