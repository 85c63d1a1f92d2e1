"""The unit this station acts as (issue 9; decisions/0006, 0009), kept in the setting
``station.unit``: its division's centre, or a department ``<division>.<suffix>``.  Written
by the first-run setup, confirmed by enrollment; read through :func:`station_unit` by every
part that needs "who is this station" (services, sync, the UI through SetupService.unit)."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .eventlog import get_setting
from .models import SettingRow, Station

K_UNIT = "station.unit"
K_REF_PREFIX = "ref."       # ref.unit.<code>, ref.holidays.<year>: checked county records


def station_unit(session: Session) -> str | None:
    """The unit this station acts as: the setting, else (a station set up before units) its
    division's centre; None before setup."""
    unit = get_setting(session, K_UNIT)
    if unit:
        return unit
    st = session.get(Station, 1)
    return st.division if st is not None else None


def _synced(session: Session, kind: str) -> dict[str, Any]:
    prefix = f"{K_REF_PREFIX}{kind}."
    out: dict[str, Any] = {}
    for key, value in session.execute(select(SettingRow.key, SettingRow.value).where(
            SettingRow.key.startswith(prefix))).all():
        try:
            out[key[len(prefix):]] = json.loads(value)["data"]
        except (ValueError, KeyError, TypeError):
            continue
    return out


def synced_unit_rows(session: Session) -> list[dict[str, Any]]:
    """The unit register rows the county sent (checked when stored)."""
    return list(_synced(session, "unit").values())


def synced_holiday_years(session: Session) -> dict[str, Any]:
    """``{"2027": {"holidays": [...], "workdays": [...]}}`` the county sent."""
    return _synced(session, "holidays")


def synced_routes(session: Session) -> dict[str, str]:
    """The county's routing table: category → default handling unit."""
    return {k: str(v.get("unit")) for k, v in _synced(session, "route").items()
            if isinstance(v, dict)}
