"""Shared fixtures: an isolated data folder, a migrated store, initialised services.

Kept small on purpose; package-specific fixtures live next to their tests.
"""
from __future__ import annotations

import pytest

from station_app.paths import AppPaths

# A village station of 洛党镇, 凤庆县 (the county of the seed report).
TEST_VILLAGE = "530921108203"      # 鹿鸣村民委员会
TEST_ADMIN = ("admin", "admin1234")


def pytest_configure(config: pytest.Config) -> None:
    """Password hashing at a test cost.  Production scrypt (N=2^17, 128 MiB, ~1 s) on
    every login of several hundred tests would add minutes and ~128 MiB per hash on a
    shared machine; the cost is a parameter stored with each hash, so nothing else
    changes.  tests/station/test_passwords.py checks the production cost itself (its
    ``real_scrypt`` fixture puts it back), and subprocesses always use it."""
    from station_app.services import accounts

    accounts.SCRYPT = dict(accounts.SCRYPT, n=2 ** 10)
    if not hasattr(config, "workerinput"):   # once, in the controller (pytest-xdist)
        _fresh_translations()
        _fresh_guide()


def _fresh_translations() -> None:
    """The compiled English catalogue (.qm, not in git) is built by scripts/setup.sh; a run of
    pytest straight after a merge that changed the .ts would otherwise test English against
    the old catalogue, and pass or fail depending on which test happened to rebuild it."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    folder = root / "petition_core" / "resources" / "translations"
    qm, ts = folder / "suqiu_en.qm", folder / "suqiu_en.ts"
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([sys.executable, str(root / "scripts" / "build_translations.py")],
                       check=True, capture_output=True)


def _fresh_guide() -> None:
    """The help folder (petition_core/resources/guide, not in git) is built from docs/ by
    scripts/build_guide.py in setup; rebuilt here when a source in docs/ is newer."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    built = root / "petition_core" / "resources" / "guide" / "GUIDE.md"
    sources = [root / "docs" / "GUIDE.md", root / "docs" / "quick-card.html",
               root / "station_app" / "ui" / "help_guide.py"]
    if not built.exists() or built.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        subprocess.run([sys.executable, str(root / "scripts" / "build_guide.py")], check=True,
                       capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--bundle", action="store_true", default=False,
                     help="also build the PyInstaller bundle and the .deb and test them "
                          "(tests/build; minutes; scripts/test.sh and CI pass it)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "bundle" in item.keywords:
            # with pytest-xdist (-n 2 --dist loadgroup, scripts/test.sh) the build's tests
            # share one worker and one build, while the other worker runs the rest
            item.add_marker(pytest.mark.xdist_group("bundle"))
    if config.getoption("--bundle"):
        return
    skip = pytest.mark.skip(reason="builds the bundle: run with --bundle (scripts/test.sh does)")
    for item in items:
        if "bundle" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def qapp_cls():
    """pytest-qt's QApplication, with the app's garbage-collection guard from the start."""
    from PySide6.QtWidgets import QApplication

    class GuardedApplication(QApplication):
        def __init__(self, *args):  # type: ignore[no-untyped-def]
            super().__init__(*args)
            from station_app.ui import enterkey, gcguard, wheelguard
            gcguard.install(self)
            wheelguard.install(self)   # as station_app.app._make_app does
            enterkey.install(self)

    return GuardedApplication


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread():
    """As the app does (station_app/ui/gcguard.py): once a QApplication exists, automatic
    garbage collection is off and collection happens here, on the main thread, between
    tests — never in a sync or database worker thread, where destroying a Qt object can
    deadlock the process."""
    import gc
    import sys

    qt = sys.modules.get("PySide6.QtWidgets")
    app = qt.QApplication.instance() if qt is not None else None
    if app is not None:
        from station_app.ui import gcguard
        gcguard.install(app)
    yield
    if app is not None or (qt is not None and qt.QApplication.instance() is not None):
        gc.collect()


@pytest.fixture
def tmp_paths(tmp_path) -> AppPaths:
    """A fresh data folder (never the user's real one)."""
    return AppPaths(tmp_path / "suqiu-data").ensure()


@pytest.fixture
def store(tmp_paths):
    """A store migrated to head; not yet initialised (no station row)."""
    from station_app.store import open_store

    st = open_store(tmp_paths)
    yield st
    st.close()


@pytest.fixture
def services(tmp_paths, store):
    """StationServices of an initialised village station with admin ``admin``/``admin1234``
    (use ``services.accounts.authenticate(*TEST_ADMIN)`` for the Operator)."""
    from station_app.services import StationServices

    svc = StationServices.from_store(tmp_paths, store)
    svc.setup.initialise(TEST_VILLAGE, "鹿鸣村群众诉求站", TEST_ADMIN[0], TEST_ADMIN[1],
                         "管理员")
    return svc


TEST_TOWNSHIP = "530921108000"     # 洛党镇, above TEST_VILLAGE


@pytest.fixture
def township_services(tmp_path):
    """StationServices of an initialised township station (洛党镇, above the test village)
    with admin ``admin``/``admin1234``: cases reach it as copies of the village's events."""
    from station_app.services import StationServices
    from station_app.store import open_store

    paths = AppPaths(tmp_path / "township-data").ensure()
    st = open_store(paths)
    svc = StationServices.from_store(paths, st)
    svc.setup.initialise(TEST_TOWNSHIP, "洛党镇群众诉求中心", TEST_ADMIN[0], TEST_ADMIN[1],
                         "管理员")
    yield svc
    st.close()
