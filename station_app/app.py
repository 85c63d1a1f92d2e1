"""Composition root of the station desktop program (the only place that builds things).

``main(paths, argv)``: QApplication with the CJK font set explicitly, logging, language,
theme; first run → FirstRunWizard, otherwise LoginDialog; then the MainWindow; the daily
backup runs in the background once the window is up.

``selftest(paths)``: offscreen; makes a throwaway demo station when ``paths`` is empty, opens
the window, walks every main page (dashboard, intake, case book, a case's detail, settings,
sync when present) and checks each rendered something.  Exit 0 means a packaged build can
start, read its data and draw Chinese text.
"""
from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

APP_NAME = "诉求通"


def _setup_logging(paths: Any) -> None:
    """Rotating log file + crash hook (idempotent; the CLI may have done it already)."""
    from .logging_setup import configure

    configure(paths)


def _make_app(argv: list[str]):
    from PySide6.QtWidgets import QApplication

    from .ui import enterkey, gcguard, wheelguard

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    gcguard.install(app)   # Qt objects must never be collected in a worker thread
    wheelguard.install(app)  # the wheel scrolls forms; it changes a field only in use
    enterkey.install(app)  # Enter presses the focused button, not only in dialogs
    app.setApplicationName("suqiu")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("suqiu")
    return app


def _prepare(app: Any, paths: Any):
    """Preferences, language and theme — before any window exists."""
    from .ui.i18n import UiPrefs, translations
    from .ui.theme import apply_theme

    prefs = UiPrefs(paths.root)
    translations().apply(prefs.language)
    apply_theme(app, prefs.large_font)
    return prefs


class _OpenServices:
    """The station's services, opened once, on first use, from any thread.

    The quick path (quickstart.probe) shows the login before this runs: the worker thread
    opens the store while the clerk types, and the credential check (``accounts``) waits
    for it there, never in the window's thread."""

    def __init__(self, paths: Any, services: Any = None) -> None:
        import threading

        self._paths = paths
        self._lock = threading.Lock()
        self._services = services

    def get(self) -> Any:
        with self._lock:
            if self._services is None:
                from .services import StationServices

                self._services = StationServices.open(self._paths)
            return self._services

    def warm_up(self) -> Any:
        """Open the services, then load what the main window will need and that is safe
        off the window's thread (no Qt): the division tree, the sync client's and the
        intake checks' libraries.  Runs while the clerk types the password."""
        services = self.get()
        import importlib

        from petition_core.divisions import DivisionTree

        DivisionTree.load_default()
        for name in ("station_app.services.sync_service", "petition_core.textcheck"):
            try:
                importlib.import_module(name)
            except ImportError:    # optional pieces: the window says what is missing
                log.warning("prefetch of %s failed", name)
        return services

    @property
    def opened(self) -> Any:
        """The services if already open (None otherwise); never opens them."""
        return self._services

    @property
    def accounts(self) -> Any:
        return self.get().accounts


def _on_first_paint(widget: Any, callback: Any) -> Any:
    """Call ``callback()`` once, after ``widget`` first painted (the window is on screen)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001 - Qt name
            if event.type() == QEvent.Type.Paint:
                widget.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    watcher = _FirstPaint(widget)
    widget.installEventFilter(watcher)
    return watcher


def _start_marker(login: Any) -> None:
    """``SUQIU_START_MARKER`` set: print a marker once the login window has painted
    (benchmarks/bench_start.py); ``=exit`` then closes it, so the program ends."""
    from .quickstart import START_MARKER, START_MARKER_ENV

    mode = os.environ.get(START_MARKER_ENV)
    if not mode:
        return
    print(START_MARKER, flush=True)
    if mode == "exit":
        login.reject()


def _cannot_open(app: Any, exc: BaseException) -> int:
    from PySide6.QtWidgets import QMessageBox

    from .ui.messages import describe_exception

    log.error("cannot open the station database: %s", type(exc).__name__,
              exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.critical(None, "", app.translate(  # title: the program name (Qt)
        "App", "无法打开本站数据，请联系县里技术人员。\n%1").replace(
            "%1", describe_exception(exc)))
    return 2


def main(paths: Any, argv: list[str] | None = None) -> int:
    """Run the station program; returns the process exit code.

    Quick path (issue 12): a station already set up and at head gets its login window
    before SQLAlchemy, the services, the sync stack or the main window are imported; the
    services open on the worker thread once the login has painted.  Otherwise (first run,
    a database to migrate, anything the probe cannot read) the services open first."""
    argv = list(sys.argv if argv is None else argv)
    from .filemodes import restrict_umask, secure_tree

    restrict_umask()
    before = paths.entries()   # a cancelled first run leaves the folder as it found it
    paths.ensure()
    secure_tree(paths.root)   # an install made before files were private
    _setup_logging(paths)
    app = _make_app(argv)
    prefs = _prepare(app, paths)

    from PySide6.QtWidgets import QDialog

    from .quickstart import probe
    from .ui.login import LoginDialog
    from .ui.runner import Runner

    quick = probe(paths.db_path)
    opener = _OpenServices(paths)
    if quick is None:
        try:
            opener.get()
        except Exception as exc:  # noqa: BLE001 - the clerk needs a sentence, the log the detail
            return _cannot_open(app, exc)
    runner = Runner()
    first_run = quick is None and not opener.get().setup.is_initialised()
    open_failed: list[BaseException] = []
    try:
        first_login = ""
        if first_run:
            from .ui.first_run import FirstRunWizard

            wizard = FirstRunWizard(opener.get(), runner)
            if wizard.exec() != QDialog.DialogCode.Accepted or wizard.operator is None:
                return 1
            first_login = wizard.operator.login
        # Also after the wizard: typing the new password once more is the moment the
        # clerk proves to themselves they remember it.
        station_name = quick.name if quick is not None else opener.get().setup.station().name
        login = LoginDialog(opener, runner, station_name)
        if first_login:
            login.login.setText(first_login)
            login.password.setFocus()

        def failed_to_open(exc: BaseException) -> None:
            open_failed.append(exc)
            login.reject()

        def painted() -> None:
            _start_marker(login)
            if opener.opened is None:
                runner.submit(opener.warm_up, None, failed_to_open, owner=login)

        _on_first_paint(login, painted)
        accepted = login.exec() == QDialog.DialogCode.Accepted
        if open_failed:
            return _cannot_open(app, open_failed[0])
        if not accepted or login.operator is None:
            return 0
        services = opener.get()
        from .ui import UiContext
        from .ui.main_window import MainWindow

        ctx = UiContext(services=services, runner=runner, operator=login.operator,
                        station=services.setup.station(), prefs=prefs)
        window = MainWindow(ctx)
        window.show()
        avail = window.screen().availableGeometry()
        if avail.width() <= 1366 or avail.height() <= 768:
            window.showMaximized()  # an old 1366×768 PC: use the whole screen
        else:
            window.resize(1366, 768)
        runner.submit(services.backup.daily_backup_if_due, None,
                      lambda exc: log.warning("daily backup failed: %s", type(exc).__name__))
        from .ui.usb_watch import UsbWatcher

        usb = UsbWatcher(services, runner, parent=window)
        usb.told.connect(lambda text: window.statusBar().showMessage(text, 15000))
        usb.start()
        return app.exec()
    finally:
        runner.shutdown()
        services = opener.opened
        if services is not None:
            unfinished = first_run and not services.setup.is_initialised()
            services.close()
            if unfinished:
                _discard_first_run(paths, before)


def _discard_first_run(paths: Any, before: Any) -> None:
    """The wizard was cancelled: no half-made data folder is left behind (the next start
    begins the first run again from nothing)."""
    from .logging_setup import close_file

    log.info("first run cancelled; removing what it created")
    close_file()
    paths.discard_unfinished(before)


# ---- selftest -----------------------------------------------------------------------------
def settle(app: Any, runner: Any, rounds: int = 50) -> None:
    """Let queued background work and its callbacks finish (tests and selftest)."""
    for _ in range(rounds):
        runner.wait_idle()
        app.processEvents()
        if not runner.is_busy():
            app.processEvents()
            return


def _fill_demo_station(services: Any) -> None:
    """A throwaway demo station with a dozen cases (selftest in an empty folder)."""
    from . import demo

    if not services.setup.is_initialised():
        demo.initialise_demo_station(services)
    demo.fill_demo(services, cases=12)


def _sample_form(services: Any, i: int) -> dict[str, Any]:
    """A valid registration form (tests and benchmarks)."""
    station = services.setup.station()
    now = datetime.now().astimezone().replace(microsecond=0).isoformat()
    return {
        "division": station.station_code, "channel": "visit", "category": "infrastructure",
        "statute_type": "appeal", "discipline": False, "received_at": now,
        "petitioner": {"name": f"李{'明华国'[i % 3]}", "anonymous": False,
                       "address_division": station.station_code},
        "summary": f"村道第{i + 1}段路面损坏，雨天无法通行",
        "account": "村民反映通往组里的道路被雨水冲坏，请求修复。", "demands": "尽快修复道路",
    }


def selftest(paths: Any) -> int:
    """Open every main page offscreen and check each draws something; 0 when all pass."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    paths.ensure()
    _setup_logging(paths)
    app = _make_app([sys.argv[0] if sys.argv else "suqiu-station"])
    prefs = _prepare(app, paths)

    from PySide6.QtGui import QFontDatabase

    from .services import CaseQuery, StationServices
    from .ui import UiContext
    from .ui.main_window import MainWindow
    from .ui.runner import Runner

    problems: list[str] = []
    if "Noto Sans CJK SC" not in QFontDatabase.families():
        problems.append("font 'Noto Sans CJK SC' not installed: Chinese may show as boxes")
    services = StationServices.open(paths)
    runner = Runner()
    try:
        if not services.setup.is_initialised():
            # Only a fresh folder gets demo data; a real station is never written to.
            _fill_demo_station(services)
        operator = next((o for o in services.accounts.list_operators() if not o.disabled), None)
        if operator is None:
            print("selftest: no operator", file=sys.stderr)
            return 1
        ctx = UiContext(services=services, runner=runner, operator=operator,
                        station=services.setup.station(), prefs=prefs)
        window = MainWindow(ctx)
        window.show()
        settle(app, runner)
        for key in list(window.pages):
            window.show_page(key)
            settle(app, runner)
            problems += _check_rendered(window.pages[key], key)
        rows = services.casebook.query(CaseQuery(limit=1)).rows
        if rows:
            window.open_case(rows[0].case_id)
            settle(app, runner)
            problems += _check_rendered(window.detail, "detail")
            loaded = window.detail.detail if window.detail is not None else None
            if loaded is None or loaded.case_id != rows[0].case_id:
                problems.append("detail: case did not load")
        else:
            print("selftest: no cases here; case detail not checked")
        window.open_guide()                     # the offline help travels with the program
        settle(app, runner)
        if not window.guide_window.loaded:
            problems.append("help: the user guide is missing (scripts/build_guide.py)")
        from .ui.help_guide import card_html
        if not card_html():
            problems.append("help: the quick card is missing (scripts/build_guide.py)")
        window.guide_window.close()
        window.close()
        settle(app, runner)
    except Exception as exc:  # noqa: BLE001 - report, do not crash the packager
        log.exception("selftest crashed")
        problems.append(f"crash: {type(exc).__name__}: {exc}")
    finally:
        runner.shutdown()
        services.close()
    for p in problems:
        print("selftest:", p, file=sys.stderr)
    print("selftest:", "OK" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


def _check_rendered(widget: Any, name: str) -> list[str]:
    from PySide6.QtWidgets import QLabel

    image = widget.grab().toImage()
    if image.isNull() or image.width() < 50 or image.height() < 50:
        return [f"{name}: nothing drawn"]
    texts = [lbl.text() for lbl in widget.findChildren(QLabel) if lbl.isVisibleTo(widget)]
    if not any(t.strip() for t in texts):
        return [f"{name}: no visible text"]
    colours = {image.pixel(x, y) for x in range(0, image.width(), 17)
               for y in range(0, image.height(), 17)}
    if len(colours) < 3:
        return [f"{name}: blank page"]
    return []
