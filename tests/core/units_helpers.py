"""A 凤庆县 case moving between units, event by event (tests of ownership and permissions)."""
from __future__ import annotations

from typing import Any

from core_helpers import EventFactory, registered_data

from petition_core.events import Event
from petition_core.fold import CaseState, fold

PROVINCE = "530000000000"
CITY = "530900000000"
COUNTY = "530921000000"
MZ = "530921000000.mz"            # 凤庆县民政局
LC = "530921000000.lc"            # 凤庆县林草局
TOWN = "530921108000"             # 洛党镇
SFS = "530921108000.sfs"          # 洛党镇司法所 (a township 站所)
VILLAGE = "530921108201"          # 洛党村
OTHER_VILLAGE = "530921108202"
OTHER_TOWN = "530921101000"       # 凤山镇
# stations by id → their unit (what the county-signed register tells)
STATION_UNITS = {"V": VILLAGE, "T": TOWN, "C": COUNTY, "MZ": MZ, "LC": LC, "CITY": CITY,
                 "SFS": SFS, "P": PROVINCE}


def station_unit(station_id: str) -> str | None:
    return STATION_UNITS.get(station_id)


_GROUPS = {"accepted": "decision", "declined": "decision", "concluded": "conclusion",
           "followed_up": "satisfaction"}
# a new conclusion supersedes the redo order as well (fold.py)
_SEEN = {**_GROUPS, "redo_ordered": "conclusion"}


class Story:
    """Events of one case in the order they happen (each sees all before it)."""

    def __init__(self) -> None:
        self.factory = EventFactory()
        self.events: list[Event] = []

    def do(self, station: str, type_: str, **data: Any) -> Story:
        """Append one event; a decision supersedes the one its station saw (the latest of
        its group), as the station's services write it."""
        lamport = len(self.events) + 1
        group = _GROUPS.get(type_)
        if group is not None and "supersedes" not in data:
            seen = [e for e in self.events if _SEEN.get(e.type[5:]) == group]
            data["supersedes"] = seen[-1].event_id if seen else None
        self.events.append(self.factory.make("case." + type_, data, station=station,
                                             lamport=lamport))
        return self

    def register(self, station: str = "V", division: str = VILLAGE) -> Story:
        return self.do(station, "registered", **registered_data(division=division))

    def transfer(self, station: str, to: str, to_unit: str = "") -> Story:
        div = to.split(".")[0]
        return self.do(station, "transferred", to_division=div, to_unit=to_unit or to)

    def assign(self, station: str, to: str) -> Story:
        return self.do(station, "assigned", to_division=to.split(".")[0], to_unit=to,
                       due="2026-04-30T17:00:00+08:00")

    def state(self) -> CaseState:
        return fold(self.events)
