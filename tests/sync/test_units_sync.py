"""Every level enrolls with a real server process (issue 9; decisions/0009): a county
department set up at first run enrolls with a code the county made for that unit (the
server's own CLI), and keeps its unit; a code for another unit enrolls nothing."""
from __future__ import annotations

import re

import pytest

from petition_core.enums import Role
from station_app.paths import AppPaths
from station_app.services import StationServices
from station_app.store import get_setting
from station_app.sync.engine import K_ENROLLED, SyncEngine
from station_app.sync.transport import SyncError
from station_app.sync.trust import load_trust

COUNTY = "530921000000"
MZ = "530921000000.mz"


def _cli_code(server, *args: str) -> str:
    res = server.cli("enroll", *args)
    assert res.returncode == 0, res.stderr
    return re.search(r"enrollment code: ([A-Z2-9]{4}-[A-Z2-9]{4})", res.stdout).group(1)


@pytest.fixture
def department(tmp_path):
    svc = StationServices.open(AppPaths(tmp_path / "mz"))
    svc.setup.initialise(COUNTY, "凤庆县民政局", "mzj", "admin1234", "李", Role.COUNTY, unit=MZ)
    yield svc
    svc.close()


def test_a_department_enrolls_with_a_code_for_its_unit(server, department):
    from sqlalchemy import select

    from sync_server.store.db import make_engine, normalize_url
    from sync_server.store.models import stations

    e = SyncEngine(department.store, department.paths, server_url=server.url)
    with pytest.raises(SyncError) as exc:
        e.enroll(_cli_code(server, "--unit", "530921000000.jw"))   # 纪委's code
    assert exc.value.code == "enroll_unit_mismatch"
    with department.store.read() as s:
        assert get_setting(s, K_ENROLLED) is None and load_trust(s) is None

    ans = e.enroll(_cli_code(server, "--unit", MZ))
    assert ans["unit"] == MZ and e.enrolled()
    assert department.setup.unit() == MZ
    engine = make_engine(normalize_url(str(server.db)))
    try:
        with engine.connect() as conn:
            assert conn.execute(select(stations.c.unit).where(
                stations.c.station_id == ans["station_id"])).scalar_one() == MZ
    finally:
        engine.dispose()


def test_a_county_centre_enrolls(server, tmp_path):
    svc = StationServices.open(AppPaths(tmp_path / "county"))
    try:
        svc.setup.initialise(COUNTY, "凤庆县群众诉求中心", "admin", "admin1234", "王")
        ans = SyncEngine(svc.store, svc.paths, server_url=server.url).enroll(
            _cli_code(server, "--unit", COUNTY))
        assert (ans["unit"], ans["level"]) == (COUNTY, 3)
    finally:
        svc.close()
