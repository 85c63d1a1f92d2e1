"""The unit this station acts as (issue 9; decisions/0006, 0009), kept in the setting
``station.unit``: its division's centre, or a department ``<division>.<suffix>``.  Written
by the first-run setup, confirmed by enrollment; read through :func:`station_unit` by every
part that needs "who is this station" (services, sync, the UI through SetupService.unit)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from .eventlog import get_setting
from .models import Station

K_UNIT = "station.unit"


def station_unit(session: Session) -> str | None:
    """The unit this station acts as: the setting, else (a station set up before units) its
    division's centre; None before setup."""
    unit = get_setting(session, K_UNIT)
    if unit:
        return unit
    st = session.get(Station, 1)
    return st.division if st is not None else None
