"""The login's quick start path (issue 12): the login window is shown before SQLAlchemy, the
sync stack, the pinyin tables and the main window's pages are imported, and it still logs
in, throttles wrong passwords and opens the main window.  Timing is not asserted here
(benchmarks/bench_start.py measures it); what is checked is what was imported by the time
the login window first painted, in a real program run in a fresh interpreter."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from station_app.quickstart import START_MARKER, probe
from station_app.ui.login import LoginDialog
from station_app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[3]

# What the login does not need (issue 12 item 2).
HEAVY = ("sqlalchemy", "alembic", "requests", "urllib3", "pypinyin", "station_app.sync",
         "station_app.store.db", "station_app.store.models", "station_app.services.station",
         "station_app.services.sync_service", "station_app.ui.intake_form",
         "station_app.ui.main_window", "petition_core.pinyin", "petition_core.divisions")

RECORDER = r"""
import sys
class Recorder:
    def find_spec(self, name, path=None, target=None):
        print("import " + name, flush=True)
        return None
sys.meta_path.insert(0, Recorder())
"""


def _heavy(names: list[str]) -> list[str]:
    return sorted({n for n in names for h in HEAVY if n == h or n.startswith(h + ".")})


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_login_is_shown_before_the_heavy_imports(station_paths):
    """The program as a clerk starts it (``suqiu-station --data-dir …``): by the first
    paint of the login window none of HEAVY is imported; the services open after it."""
    code = RECORDER + (
        "from station_app.cli import main\n"
        "sys.exit(main(['--data-dir', sys.argv[1]]))\n")
    env = _child_env()
    env["SUQIU_START_MARKER"] = "exit"
    proc = subprocess.run([sys.executable, "-c", code, str(station_paths.root)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert START_MARKER in lines, proc.stdout[-2000:]
    at = lines.index(START_MARKER)
    before = [ln.split()[1] for ln in lines[:at] if ln.startswith("import ")]
    assert "station_app.ui.login" in before
    assert _heavy(before) == []
    # the same run, after the login painted: the store opens in the background
    after = [ln.split()[1] for ln in lines[at:] if ln.startswith("import ")]
    assert "station_app.store.db" in after


def test_login_path_modules_import_light():
    """Importing the modules of the login path pulls in none of HEAVY."""
    code = ("import sys\n"
            "import station_app.cli, station_app.app, station_app.quickstart\n"
            "import station_app.ui.login, station_app.ui.runner, station_app.ui.theme\n"
            "import station_app.services, station_app.store.migrations\n"
            "print('\\n'.join(sorted(sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code], env=_child_env(), capture_output=True,
                          text=True, timeout=120, check=True)
    assert _heavy(proc.stdout.split()) == []


def test_probe_takes_the_quick_path_only_when_certain(station_paths, fresh_paths, tmp_path):
    assert probe(station_paths.db_path).name == "鹿鸣村群众诉求站"
    assert probe(fresh_paths.db_path) is None                   # first run: no database
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert probe(junk) is None
    old = tmp_path / "old.db"                                   # to migrate: full path
    import shutil
    shutil.copy(station_paths.db_path, old)
    con = sqlite3.connect(old)
    con.execute("UPDATE alembic_version SET version_num = '0006'")
    con.commit()
    con.close()
    assert probe(old) is None
    empty = tmp_path / "empty.db"                               # at head, not set up
    shutil.copy(station_paths.db_path, empty)
    con = sqlite3.connect(empty)
    con.execute("DELETE FROM station")
    con.commit()
    con.close()
    assert probe(empty) is None


def test_quick_path_keeps_the_throttle_and_opens_the_window(station_paths, ui_app):
    """Through the quick path: four wrong passwords make the login wait (login_guard),
    the wait is shown in the dialog; the right password of another login then opens the
    main window."""
    from station_app.app import main
    from station_app.services import StationServices

    svc = StationServices.open(station_paths)      # a second operator to log in with
    admin = svc.accounts.authenticate("admin", "admin1234")
    svc.accounts.create_operator("clerk", "值班员", "mima12345", "village", actor=admin)
    svc.close()
    assert probe(station_paths.db_path) is not None
    seen: dict[str, object] = {"tries": 0, "errors": []}

    def poke():
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog) and modal.ok.isEnabled():
            errors = seen["errors"]
            assert isinstance(errors, list)
            if modal.error.isVisible() and len(errors) < int(seen["tries"]):
                errors.append(modal.error.text())
            if int(seen["tries"]) < 4:
                seen["tries"] = int(seen["tries"]) + 1
                modal.login.setText("admin")
                modal.password.setText("wrong-password")
                modal.submit()
            elif len(errors) == 4 and "clerk" not in seen:
                seen["clerk"] = True
                modal.login.setText("clerk")
                modal.password.setText("mima12345")
                modal.submit()
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows:
            seen["operator"] = windows[0].ctx.operator.login
            windows[0].close()
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(poke)
    timer.start(30)
    assert main(station_paths, ["suqiu-station"]) == 0
    timer.stop()
    errors = seen["errors"]
    assert isinstance(errors, list) and len(errors) == 4
    assert all("密码" in e for e in errors[:3])              # the three free mistakes
    assert "秒" in errors[3] and errors[3] != errors[2]       # the fourth: wait N seconds
    assert seen["operator"] == "clerk"


def test_a_failed_migration_at_start_is_told_and_undone(station_paths, ui_app):
    """The station's database is behind (revision 0006) and its migration fails: the
    program puts the backup back and tells the clerk in Chinese (exit code 2)."""
    from PySide6.QtWidgets import QMessageBox

    from station_app import backup as files
    from station_app.app import main
    from station_app.store.db import alembic_config, make_engine

    engine = make_engine(station_paths.db_path)
    from alembic import command
    command.downgrade(alembic_config(engine), "0006")
    engine.dispose()
    con = sqlite3.connect(station_paths.db_path)
    con.execute("CREATE TABLE pulled_quarantine (x INTEGER)")   # 0007 will fail on it
    con.commit()
    con.close()
    assert probe(station_paths.db_path) is None                # not at head: the full path
    told: list[str] = []

    def poke():
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox):
            told.append(modal.text())
            modal.accept()

    timer = QTimer()
    timer.timeout.connect(poke)
    timer.start(30)
    assert main(station_paths, ["suqiu-station"]) == 2
    timer.stop()
    assert len(told) == 1 and "恢复成升级前" in told[0] and "suqiu-pre-migrate-" in told[0]
    [saved] = [b for b in files.list_files(station_paths.backups_dir) if b.pre_migrate]
    con = sqlite3.connect(station_paths.db_path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0006",)
    con.close()
    assert saved.path.name in told[0]


def test_the_cli_still_offers_every_command(tmp_path):
    """Starting the app leaves the sync commands out of the parser; help and the sync
    commands themselves still have them."""
    run = [sys.executable, "-m", "station_app.cli"]
    out = subprocess.run([*run, "-h"], env=_child_env(), capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "enroll" in out and "selftest" in out
    sync_help = subprocess.run([*run, "--data-dir", str(tmp_path / "d"), "enroll", "-h"],
                               env=_child_env(), capture_output=True, text=True, timeout=120)
    assert sync_help.returncode == 0, sync_help.stderr
