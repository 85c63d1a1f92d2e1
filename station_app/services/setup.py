"""First-run setup: which division this station serves, the unit it acts as, and its first
administrator.

The station's level follows its division (a village code makes a village station, a
township code a township centre, a county, city or province code that level's centre).  A
station may also act as a department of its division (县民政局 ``530921000000.mz``, issue 9;
decisions/0006 and 0009): its unit.  The unit is kept in the setting ``station.unit``
and read through :func:`station_unit` / :meth:`SetupService.unit` — every service that
needs "who is this station" asks there.
"""
from __future__ import annotations

import dataclasses
import logging

from sqlalchemy.orm import Session

from petition_core.divisions import DivisionTree, level_of_code
from petition_core.enums import Level, Role
from petition_core.ids import uuid7
from petition_core.permissions import LEVEL_ROLES
from petition_core.unit_register import UnitRegister
from petition_core.units import UnitError, division_of

from ..store import Store, set_setting
from ..store.eventlog import now_iso
from ..store.models import OperatorRow, Station
from ..store.units import K_UNIT, station_unit, synced_routes, synced_unit_rows
from . import accounts as acc

__all__ = ["K_UNIT", "SetupService", "roles_for_level", "station_unit", "unit_register"]
from .types import Changes, Operator, ServiceError, StationInfo

log = logging.getLogger(__name__)

STATION_LEVELS = (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE)
STATION_NAME_MAX = 40   # printed in the head of every receipt and notice


def unit_register(session: Session) -> UnitRegister:
    """The units this station knows: the shipped registers with the county's synced rows
    on top (a synced row replaces the shipped row of its code: a rename, a deactivation)."""
    rows = {u["code"]: u for u in UnitRegister.load_default().to_rows()}
    for row in synced_unit_rows(session):
        rows[row["code"]] = row
    reg, _refused = UnitRegister.from_rows(DivisionTree.load_default(), list(rows.values()))
    return reg


def check_unit(register: UnitRegister, division: str, unit: str) -> str:
    """``unit`` when a station of ``division`` may act as it: a well-formed code of that
    division (its centre, or a department not under a village), known and active.
    ServiceError with the unit code (unit_code_invalid, unit_under_village, unit_unknown,
    unit_inactive …) or ``unit_division_mismatch``."""
    try:
        found = register.require(unit)
    except UnitError as exc:
        raise ServiceError(exc.code, unit=str(unit)[:30]) from None
    if division_of(unit) != division:
        raise ServiceError("unit_division_mismatch", unit=unit)
    if not found.active:
        raise ServiceError("unit_inactive", unit=unit)
    return unit


def to_info(st: Station) -> StationInfo:
    tree = DivisionTree.load_default()
    return StationInfo(station_id=st.station_id, station_code=st.station_code,
                       division=st.division, division_name=tree.full_name(st.division),
                       level=st.level, name=st.name, created_at=st.created_at)


def roles_for_level(level: Level | int) -> list[Role]:
    """The roles an operator of a station of ``level`` may have (permissions.LEVEL_ROLES),
    in the order of the Role enum (the first-run and settings pickers list them)."""
    allowed = LEVEL_ROLES[Level(int(level))]
    return [r for r in Role if r in allowed]


class SetupService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def is_initialised(self) -> bool:
        """True once the station row exists (the first-run wizard is skipped)."""
        with self._store.read() as s:
            return s.get(Station, 1) is not None

    def station(self) -> StationInfo:
        """The station's identity; ServiceError('not_initialised') before setup."""
        with self._store.read() as s:
            st = s.get(Station, 1)
            if st is None:
                raise ServiceError("not_initialised")
            return to_info(st)

    def unit(self) -> str:
        """The unit this station acts as (``530921000000.mz``, or its division);
        ServiceError('not_initialised') before setup."""
        with self._store.read() as s:
            unit = station_unit(s)
        if unit is None:
            raise ServiceError("not_initialised")
        return unit

    def default_unit_for(self, category: str) -> str:
        """The unit a case of ``category`` is proposed to go to (item 8): the county's
        routing table (synced), else by the kind of unit (涉纪涉腐 → 纪委监委, 涉法涉诉 →
        政法委, else 信访局), else the county centre.  The county is the one above this
        station (a city or province station: its own division).
        ServiceError('not_initialised') before setup."""
        from petition_core.routing import default_unit_for

        with self._store.read() as s:
            unit = station_unit(s)
            if unit is None:
                raise ServiceError("not_initialised")
            reg, table = unit_register(s), synced_routes(s)
        div = division_of(unit)
        county = div[:6] + "000000" if level_of_code(div) >= Level.COUNTY else div
        return default_unit_for(category, register=reg, county=county, table=table)

    def register(self) -> UnitRegister:
        """The units this station knows (shipped + the county's synced rows): the 转办 /
        交办 unit picker searches it.  Immutable, so safe to hand to the UI thread."""
        with self._store.read() as s:
            return unit_register(s)

    def picker_scope(self) -> str:
        """The unit under which the 转办 / 交办 picker offers units: the county above this
        station (for a city or province station, its own division's centre).
        ServiceError('not_initialised') before setup."""
        div = division_of(self.unit())
        return div[:6] + "000000" if level_of_code(div) >= Level.COUNTY else div

    def units(self, division: str) -> list[tuple[str, str]]:
        """``(code, name)`` of the active departments a station of ``division`` may act as
        (the first-run picker), by code; empty for a village."""
        with self._store.read() as s:
            reg = unit_register(s)
        return [(u.code, u.name) for u in reg.departments(division)]

    def initialise(self, division_code: str, station_name: str, admin_login: str,
                   admin_password: str, admin_display_name: str,
                   role: Role | str = Role.ADMIN, *, unit: str | None = None) -> StationInfo:
        """Create the station, its unit and its first operator in one transaction.

        ``unit``: a department of the division this station acts as (县民政局
        ``530921000000.mz``); None or the division itself: the division's centre.
        ServiceError codes: already_initialised, division_unknown, division_level, the unit
        codes (unit_unknown, unit_under_village, unit_division_mismatch, unit_inactive …),
        role_not_for_level (a county role at a village: permissions.LEVEL_ROLES), plus the
        account codes (login_invalid, password_too_short, role_invalid …) and
        station_name_invalid."""
        code = (division_code or "").strip()
        tree = DivisionTree.load_default()
        if tree.get(code) is None:
            raise ServiceError("division_unknown")
        level = level_of_code(code)
        if level not in STATION_LEVELS:
            raise ServiceError("division_level",
                               level=int(level))
        name = acc.clean_display("station_name_invalid", station_name, STATION_NAME_MAX)
        r = acc.parse_role(role)
        if r not in LEVEL_ROLES[level]:
            raise ServiceError("role_not_for_level", role=r.value, level=int(level))
        with self._store.session() as s:
            if s.get(Station, 1) is not None:
                raise ServiceError("already_initialised")
            own_unit = check_unit(unit_register(s), code, unit) if unit else code
            st = Station(id=1, station_id=uuid7(), station_code=code, division=code,
                         level=int(level), name=name, created_at=now_iso())
            s.add(st)
            set_setting(s, K_UNIT, own_unit)
            acc.add_operator(s, admin_login, admin_display_name, admin_password, r)
            s.flush()
            info = to_info(st)
        log.info("station initialised (level %s, unit %s)", int(level), own_unit)
        return info

    def rename(self, op: Operator, new_name: str) -> StationInfo:
        """An administrator renames the station (a wrong name chosen at first run, a merged
        village).  Only the name changes: the station id, its division code and its key are
        its identity for sync and enrollment and stay as they are.  Receipts printed from now
        on carry the new name; the county's station list keeps the name given at enrollment
        until the county changes it.  ServiceError codes: permission_denied (not an enabled
        administrator), station_name_invalid (empty, control characters, > 40 characters),
        not_initialised."""
        name = acc.clean_display("station_name_invalid", new_name, STATION_NAME_MAX)
        with self._store.session() as s:
            row = s.get(OperatorRow, getattr(op, "login", ""))
            if row is None or row.disabled or row.role != Role.ADMIN.value:
                raise ServiceError("permission_denied")
            st = s.get(Station, 1)
            if st is None:
                raise ServiceError("not_initialised")
            renamed = st.name != name
            if renamed:
                st.name = name
                log.info("station renamed")
            info = to_info(st)
        # the runner broadcasts it: open screens that show the name or settings refresh
        return dataclasses.replace(info, changes=Changes(station=True)) if renamed else info
