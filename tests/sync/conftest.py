"""Fixtures for the sync tests: a real server process, real station stores, ``--soak``."""
from __future__ import annotations

import pytest

from station_app.sync.engine import SyncEngine

from .server_proc import ServerProcess
from .stations import Area, TestStation, make_station, new_area


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", default=False,
                     help="run the randomised sync fault tests with thousands of examples")


@pytest.fixture
def soak(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--soak"))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One real server process shared by the tests that never stop it (each test works in
    its own :class:`Area`, so views stay exact)."""
    srv = ServerProcess(tmp_path_factory.mktemp("shared-server")).start()
    yield srv
    srv.stop()


@pytest.fixture
def own_server(tmp_path):
    """A server process for one test alone (tests that kill or stop it)."""
    srv = ServerProcess(tmp_path / "server").start()
    yield srv
    srv.stop()


@pytest.fixture
def area() -> Area:
    return new_area()


def _factory(root, srv: ServerProcess):
    made: list[TestStation] = []

    def make(division: str, name: str = "测试站", *, enroll: bool = True,
             url: str | None = None) -> TestStation:
        st = make_station(root / f"st{len(made)}", division, name)
        made.append(st)
        if enroll:
            SyncEngine(st.store, st.paths, server_url=url or srv.url).enroll(
                srv.enroll_code(division))
        return st

    return make, made


@pytest.fixture
def station_factory(tmp_path, server):
    """make(division, name) → an enrolled station; ``enroll=False`` leaves it unenrolled."""
    make, made = _factory(tmp_path, server)
    yield make
    for st in made:
        st.close()


@pytest.fixture
def own_station_factory(tmp_path, own_server):
    make, made = _factory(tmp_path, own_server)
    yield make
    for st in made:
        st.close()


def engine(st: TestStation, url: str | None = None, **kw) -> SyncEngine:
    """A fresh engine for a station (as each CLI run or UI sync builds one)."""
    return SyncEngine(st.store, st.paths, server_url=url, **kw)
