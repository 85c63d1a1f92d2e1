"""First-run setup: which division this station serves and its first administrator.

The station's level follows its division (a village code makes a village station, a
township code a township centre); county and above run the sync server, not this app.
"""
from __future__ import annotations

import dataclasses
import logging

from petition_core.divisions import DivisionTree, level_of_code
from petition_core.enums import Level, Role
from petition_core.ids import uuid7

from ..store import Store
from ..store.eventlog import now_iso
from ..store.models import OperatorRow, Station
from . import accounts as acc
from .types import Changes, Operator, ServiceError, StationInfo

log = logging.getLogger(__name__)

STATION_LEVELS = (Level.VILLAGE, Level.TOWNSHIP)
STATION_NAME_MAX = 40   # printed in the head of every receipt and notice


def to_info(st: Station) -> StationInfo:
    tree = DivisionTree.load_default()
    return StationInfo(station_id=st.station_id, station_code=st.station_code,
                       division=st.division, division_name=tree.full_name(st.division),
                       level=st.level, name=st.name, created_at=st.created_at)


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

    def initialise(self, division_code: str, station_name: str, admin_login: str,
                   admin_password: str, admin_display_name: str,
                   role: Role | str = Role.ADMIN) -> StationInfo:
        """Create the station and its first operator in one transaction.
        ServiceError codes: already_initialised, division_unknown, division_level, plus the
        account codes (login_invalid, password_too_short, …) and station_name_invalid."""
        code = (division_code or "").strip()
        tree = DivisionTree.load_default()
        if tree.get(code) is None:
            raise ServiceError("division_unknown")
        level = level_of_code(code)
        if level not in STATION_LEVELS:
            raise ServiceError("division_level",
                               level=int(level))
        name = acc.clean_display("station_name_invalid", station_name, STATION_NAME_MAX)
        with self._store.session() as s:
            if s.get(Station, 1) is not None:
                raise ServiceError("already_initialised")
            st = Station(id=1, station_id=uuid7(), station_code=code, division=code,
                         level=int(level), name=name, created_at=now_iso())
            s.add(st)
            acc.add_operator(s, admin_login, admin_display_name, admin_password, role)
            s.flush()
            info = to_info(st)
        log.info("station initialised (level %s)", int(level))
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
