"""Qt fixtures for the station UI tests (shared with the intake engineer's tests).

* Qt runs offscreen (set in pytest_configure before any QApplication exists; pass
  ``--onscreen`` to watch the tests).
* ``ui_runner``: the real background Runner; ``settle(runner)`` waits for its work and callbacks.
* ``fresh_services``: services on an empty data folder (first run not done).
* ``station_services``: an initialised village station, admin ``admin``/``admin1234``.
* ``demo_services``: the same station filled with demo cases — built once per session and
  copied per test, so every test gets its own database cheaply.
* ``main_window`` / ``demo_window``: a shown MainWindow on the above, with the admin logged in.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from station_app.paths import AppPaths

TEST_VILLAGE = "530921108203"
TEST_ADMIN = ("admin", "admin1234")
DEMO_CASES = 40


def pytest_addoption(parser):
    try:
        parser.addoption("--onscreen", action="store_true", help="show Qt windows during tests")
    except ValueError:  # another conftest added it already
        pass


def pytest_configure(config):
    if not config.getoption("--onscreen", default=False):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def ui_app(qapp):
    """The QApplication with the station theme and Chinese UI."""
    from station_app.ui.i18n import translations
    from station_app.ui.theme import apply_theme

    translations().apply("zh")
    apply_theme(qapp, False)
    yield qapp
    translations().apply("zh")
    apply_theme(qapp, False)


@pytest.fixture
def ui_runner(ui_app):
    from station_app.ui.runner import Runner

    runner = Runner()
    yield runner
    runner.shutdown()


@pytest.fixture
def settle(qtbot):
    """settle(runner): wait until the runner is idle and its callbacks ran."""

    def _settle(runner, timeout: int = 20000) -> None:
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=timeout)
        qtbot.wait(1)

    return _settle


def _open(paths: AppPaths):
    from station_app.services import StationServices

    return StationServices.open(paths)


@pytest.fixture
def fresh_paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "fresh").ensure()


@pytest.fixture
def fresh_services(fresh_paths):
    svc = _open(fresh_paths)
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def _station_template(tmp_path_factory) -> Path:
    """One initialised (empty) station per session; tests get a copy (cheaper than running
    the migrations and the password hash for every test)."""
    root = tmp_path_factory.mktemp("station-template")
    paths = AppPaths(root / "data").ensure()
    svc = _open(paths)
    try:
        svc.setup.initialise(TEST_VILLAGE, "鹿鸣村群众诉求站", TEST_ADMIN[0], TEST_ADMIN[1],
                             "管理员")
    finally:
        svc.close()
    return paths.root


@pytest.fixture
def station_paths(tmp_path, _station_template) -> AppPaths:
    target = tmp_path / "station"
    shutil.copytree(_station_template, target)
    return AppPaths(target).ensure()


@pytest.fixture
def station_services(station_paths):
    svc = _open(station_paths)
    yield svc
    svc.close()


def sample_form(services, i: int = 0, **overrides):
    """A valid registration form for this station (the app's selftest uses the same)."""
    from station_app.app import _sample_form

    form = _sample_form(services, i)
    form.update(overrides)
    return form


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    """One demo-filled data folder per test session (copied for each test)."""
    root = tmp_path_factory.mktemp("demo-template")
    paths = AppPaths(root / "data").ensure()
    svc = _open(paths)
    try:
        svc.setup.initialise(TEST_VILLAGE, "鹿鸣村群众诉求站", TEST_ADMIN[0], TEST_ADMIN[1],
                             "管理员")
        try:
            from station_app.demo import fill_demo
        except ImportError:
            fill_demo = None
        if fill_demo is not None:
            fill_demo(svc, cases=DEMO_CASES, seed=7)
        else:
            op = svc.accounts.authenticate(*TEST_ADMIN)
            for i in range(DEMO_CASES):
                svc.intake.register(sample_form(svc, i), op)
    finally:
        svc.close()
    return paths.root


@pytest.fixture
def demo_paths(tmp_path, _demo_template) -> AppPaths:
    target = tmp_path / "demo"
    shutil.copytree(_demo_template, target)
    return AppPaths(target).ensure()


@pytest.fixture
def demo_services(demo_paths):
    svc = _open(demo_paths)
    yield svc
    svc.close()


def make_window(services, runner, paths: AppPaths, qtbot):
    from station_app.ui import UiContext
    from station_app.ui.i18n import UiPrefs
    from station_app.ui.main_window import MainWindow

    op = services.accounts.authenticate(*TEST_ADMIN)
    ctx = UiContext(services=services, runner=runner, operator=op,
                    station=services.setup.station(), prefs=UiPrefs(paths.root))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def main_window(station_services, station_paths, ui_runner, qtbot, settle):
    window = make_window(station_services, ui_runner, station_paths, qtbot)
    settle(ui_runner)
    yield window
    ui_runner.wait_idle()


@pytest.fixture
def demo_window(demo_services, demo_paths, ui_runner, qtbot, settle):
    window = make_window(demo_services, ui_runner, demo_paths, qtbot)
    settle(ui_runner)
    yield window
    ui_runner.wait_idle()


@pytest.fixture
def type_text(qtbot):
    """type_text(widget, text): keystrokes for ASCII; Chinese arrives like an input-method
    commit (QTest.keyClicks aborts on non-ASCII characters)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    def _type(widget, text: str) -> None:
        if text.isascii():
            qtbot.keyClicks(widget, text)
            return
        widget.setFocus()
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)

    return _type


@pytest.fixture
def window_factory(ui_runner, qtbot):
    """window_factory(services, paths) -> a shown MainWindow (for tests that set something
    up first, e.g. a translator)."""
    return lambda services, paths: make_window(services, ui_runner, paths, qtbot)
