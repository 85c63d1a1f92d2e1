"""Issue 7 A4: two stations of one division, or a reinstalled PC without its backup, never
make the same case number.  Real station folders (set up, enrolled and registering cases
through the station's own services) against a real county server process, and the
county's own ``suqiu-server enroll --station`` for the reinstalled PC."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from petition_core.casenumber import parse_case_no
from station_app.paths import AppPaths
from station_app.services import StationServices
from sync_server.cli import main as server_cli

from . import stations
from .conftest import engine

VILLAGE = "530921108203"     # 鹿鸣村 (the setup service needs a real division)


def _form() -> dict:
    received = (datetime.now().astimezone() - timedelta(days=1)).isoformat(timespec="minutes")
    return {"channel": "visit", "category": "land", "statute_type": "appeal",
            "received_at": received,
            "petitioner": {"name": "李建华", "id_number": "53092119800101123X",
                           "phone": "13812345678", "address_division": VILLAGE,
                           "address_detail": "大村村民小组"},
            "summary": "承包地被邻居占用", "account": "我家承包地被邻居占用约半亩。",
            "demands": "请求调解"}


class _Station:
    def __init__(self, root, name: str):  # type: ignore[no-untyped-def]
        self.svc = StationServices.open(AppPaths(root))
        self.svc.setup.initialise(VILLAGE, name, "admin", "admin1234", "管理员")
        self.op = self.svc.accounts.authenticate("admin", "admin1234")

    def register(self) -> str:
        return self.svc.intake.register(_form(), self.op).case_no

    def sync(self):  # type: ignore[no-untyped-def]
        st = stations.TestStation(self.svc.paths, self.svc.store, VILLAGE)
        return engine(st).sync_once()

    @property
    def station_id(self) -> str:
        return self.svc.setup.station().station_id


def test_two_stations_of_one_division_and_a_reinstalled_pc_never_share_a_number(
        own_server, tmp_path, capsys):
    a, b = _Station(tmp_path / "a", "鹿鸣村诉求站"), _Station(tmp_path / "b", "鹿鸣村第二站")
    try:
        numbers = [a.register(), b.register()]            # before enrollment: provisional
        assert numbers[0] != numbers[1]
        assert all(parse_case_no(n).series[0].isalpha() for n in numbers)
        for st in (a, b):
            st.svc.sync.enroll(own_server.url, own_server.enroll_code(VILLAGE))
        numbers += [a.register(), b.register()]
        year = numbers[2].split("-")[1]
        # station number 1 keeps the short form, number 2 writes its number
        assert numbers[2] == f"{VILLAGE}-{year}-0002"
        assert numbers[3] == f"{VILLAGE}-{year}-2-0002"
        for st in (a, b):
            assert st.sync().applied == 2

        # a's PC is reinstalled without its backup: the county issues a code for it
        capsys.readouterr()          # only the command's own output below
        assert server_cli(["enroll", "--station", a.station_id, "--db",
                           str(own_server.db)]) == 0
        # the code on its own line: anything else printed before (a provisional case
        # number's series, a station id) must not be taken for it
        code = re.search(r"Re-enrollment code for station \S+: ([A-Z2-9]{4}-[A-Z2-9]{4})$",
                         capsys.readouterr().out, re.M).group(1)
        c = _Station(tmp_path / "c", "鹿鸣村诉求站")
        try:
            c.svc.sync.enroll(own_server.url, code)
            assert c.station_id == a.station_id            # the same station, again
            numbers.append(c.register())                   # its counter starts over …
            assert numbers[-1] == f"{VILLAGE}-{year}-3-0001"  # … under a new number
            r = c.sync()
            assert r.applied == 1 and r.rejected == 0      # after a's events, not on them
            assert r.pulled >= 2                           # and a's cases come back to it
        finally:
            c.svc.close()
        assert len(set(numbers)) == len(numbers) == 5
        assert all(parse_case_no(n) for n in numbers)
    finally:
        a.svc.close()
        b.svc.close()
