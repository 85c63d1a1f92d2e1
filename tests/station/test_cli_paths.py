"""Paths, logging set-up and the suqiu-station command line (demo, backup, restore)."""
from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from station_app import cli, logging_setup
from station_app.paths import AppPaths


def test_paths_override_order(tmp_path, monkeypatch):
    monkeypatch.setenv("SUQIU_DATA_DIR", str(tmp_path / "env"))
    assert AppPaths.default(str(tmp_path / "flag")).root == tmp_path / "flag"
    assert AppPaths.default().root == tmp_path / "env"
    monkeypatch.delenv("SUQIU_DATA_DIR")
    assert AppPaths.default().root.name == "suqiu"
    p = AppPaths(tmp_path / "x")
    assert not p.root.exists()                 # nothing created until ensure()
    p.ensure()
    assert all(d.is_dir() for d in (p.attachments_dir, p.backups_dir, p.logs_dir,
                                    p.keys_dir, p.bundles_dir))
    assert p.db_path.parent == p.root


def test_demo_backup_restore_via_cli(tmp_path, capsys):
    data = str(tmp_path / "demo")
    assert cli.main(["--data-dir", data, "demo", "--cases", "24"]) == 0
    out = capsys.readouterr().out
    assert "24 件案件" in out and "demo" in out and "demo1234" in out
    con = sqlite3.connect(Path(data) / "station.db")
    statuses = dict(con.execute("SELECT status, count(*) FROM case_index GROUP BY 1"))
    con.close()
    assert sum(statuses.values()) == 24 and statuses.get("followed_up", 0) >= 15
    # a second demo into the same folder is refused, nothing changed
    assert cli.main(["demo", "--data-dir", data]) == 1
    assert "已经有数据" in capsys.readouterr().err
    assert cli.main(["backup", "--data-dir", data]) == 0
    backup = capsys.readouterr().out.split("：", 1)[1].strip()
    assert Path(backup).exists()
    assert cli.main(["--data-dir", data, "restore", backup]) == 0
    assert "恢复完成" in capsys.readouterr().out
    assert cli.main(["--data-dir", data, "restore", str(tmp_path / "nope.db")]) == 1
    assert "[backup_missing]" in capsys.readouterr().err
    assert cli.main(["--data-dir", data, "demo", "--cases", "-1"]) == 1


def test_demo_follows_the_seed_mix(tmp_path):
    """190 demo cases: the report's categories and satisfaction (slow-ish: uses the
    services like a clerk would)."""
    from station_app.demo import DEMO_VILLAGE, fill_demo
    from station_app.services import StationServices

    svc = StationServices.open(AppPaths(tmp_path / "d"))
    try:
        svc.setup.initialise(DEMO_VILLAGE, "站", "demo", "demo1234", "演示")
        res = fill_demo(svc, cases=190, seed=3)
        assert res.cases == 190
        c = svc.casebook.counts()
        assert c.overdue >= 2 and c.open >= 5
    finally:
        svc.close()
    con = sqlite3.connect(tmp_path / "d" / "station.db")
    cats = dict(con.execute("SELECT category, count(*) FROM case_index GROUP BY 1"))
    sats = dict(con.execute("SELECT satisfaction, count(*) FROM case_index"
                            " WHERE satisfaction IS NOT NULL GROUP BY 1"))
    events = con.execute("SELECT count(*) FROM event").fetchone()[0]
    con.close()
    assert cats["infrastructure"] == 43 and cats["other"] == 35 and cats["land"] == 23
    assert (sats["basically"], sats["dissatisfied"]) == (20, 3)
    assert sats["satisfied"] > 100 and events > 190 * 3


def test_cli_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as ei:
        cli.main(["--data-dir", str(tmp_path), "backup", "--bogus"])
    assert ei.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["restore"])                  # FILE missing


@pytest.mark.qt_no_exception_capture
def test_logging_setup_writes_file_and_crashes(tmp_path, monkeypatch):
    monkeypatch.setattr(logging_setup, "_configured", False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    try:
        paths = AppPaths(tmp_path / "l").ensure()
        logging_setup.configure(paths)
        logging_setup.configure(paths)          # idempotent
        logging.getLogger("station_app.test").info("hello log")
        try:
            raise RuntimeError("boom in a worker")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        t = threading.Thread(target=lambda: 1 / 0)
        t.start()
        t.join()
        for h in root.handlers:
            h.flush()
        text = (paths.logs_dir / logging_setup.LOG_FILE).read_text("utf-8")
        assert "hello log" in text and "boom in a worker" in text
        assert "ZeroDivisionError" in text
        assert len([h for h in root.handlers if h not in handlers]) == 1
    finally:
        for h in root.handlers[:]:
            if h not in handlers:
                root.removeHandler(h)
                h.close()
        root.setLevel(level)
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
