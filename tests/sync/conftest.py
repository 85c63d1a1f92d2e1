"""Fixtures for the sync tests: a real server process, real station stores, ``--soak``."""
from __future__ import annotations

import pytest

from station_app.sync.engine import SyncEngine

from .server_proc import ServerProcess
from .stations import TestStation, make_station


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", default=False,
                     help="run the randomised sync fault tests with thousands of examples")


@pytest.fixture
def soak(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--soak"))


@pytest.fixture
def server(tmp_path):
    srv = ServerProcess(tmp_path / "server").start()
    yield srv
    srv.stop()


@pytest.fixture
def station_factory(tmp_path, server):
    """make(division, name) → an enrolled station; ``enroll=False`` leaves it unenrolled."""
    made: list[TestStation] = []

    def make(division: str, name: str = "测试站", *, enroll: bool = True,
             url: str | None = None) -> TestStation:
        st = make_station(tmp_path / f"st{len(made)}", division, name)
        made.append(st)
        if enroll:
            SyncEngine(st.store, st.paths, server_url=url or server.url).enroll(
                server.enroll_code(division))
        return st

    yield make
    for st in made:
        st.close()


def engine(st: TestStation, url: str | None = None, **kw) -> SyncEngine:
    """A fresh engine for a station (as each CLI run or UI sync builds one)."""
    return SyncEngine(st.store, st.paths, server_url=url, **kw)
