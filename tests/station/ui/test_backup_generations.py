"""Restore from inside the app works from every backup generation the station keeps
(issue 12 item 4): the 7 daily and 4 weekly ones the rotation leaves, a copy taken before a
migration (an older schema, migrated again on restore), and the pre-restore copy a restore
itself leaves.  Each restore goes through the real RestoreDialog (administrator's password,
confirmation) on the worker thread, as the settings page opens it.

Each generation carries a marker that a restore does not merge back (a row of the
``setting`` table), so the test sees which file was put in place; the event log is merged
back (services/backup.py), so every case registered up to then is still there and no case
number is used twice.  Also here: the USB watcher and its setting in 设置."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from station_app import backup as files
from station_app.app import _sample_form as sample_form
from station_app.store import set_setting
from station_app.ui import UiContext
from station_app.ui.i18n import UiPrefs
from station_app.ui.restore_dialog import RestoreDialog, backup_line

TEST_ADMIN = ("admin", "admin1234")

MARK = "test.generation"


def _mark_of(db: Path) -> str | None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (MARK,)).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def _pre_migrate_copy(db: Path, folder: Path, when: datetime, mark: str) -> Path:
    """This station's database as the previous release (revision 0006) left it, saved
    the way store/db.py saves it before migrating."""
    from alembic import command

    from station_app.store.db import alembic_config, make_engine

    work = folder.parent / "old-release.db"
    src = sqlite3.connect(db)
    dst = sqlite3.connect(work)
    src.backup(dst)
    dst.execute("UPDATE setting SET value = ? WHERE key = ?", (mark, MARK))
    dst.commit()
    src.close()
    dst.close()
    engine = make_engine(work)
    command.downgrade(alembic_config(engine), "0006")
    engine.dispose()
    return files.make_backup(work, folder, prefix=files.PRE_MIGRATE, now=when)


def _restore_in_dialog(ctx, info, qtbot):
    dlg = RestoreDialog(ctx, info)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.login.text() == TEST_ADMIN[0]
    dlg.password.setText(TEST_ADMIN[1])
    dlg.confirm.setChecked(True)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted
                    or (dlg.ok.isEnabled() and dlg.error.isVisible()), timeout=30000)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error.text()
    return dlg.value


def test_restore_from_every_kept_generation(station_services, station_paths, ui_runner,
                                            settle, qtbot):
    svc = station_services
    admin = svc.accounts.authenticate(*TEST_ADMIN)
    backups = station_paths.backups_dir
    today = datetime.now().replace(microsecond=0)
    # one case and one backup a day for six weeks, the way a station lives
    for day in range(42, 0, -1):
        svc.intake.register(sample_form(svc, day), admin)
        with svc.store.session() as s:
            set_setting(s, MARK, f"day-{day}")
        files.make_backup(station_paths.db_path, backups, now=today - timedelta(days=day))
    _pre_migrate_copy(station_paths.db_path, backups, today - timedelta(hours=1), "old-release")
    files.rotate(backups)
    kept = svc.backup.list_backups()
    kinds = [b.kind for b in kept]
    assert kinds.count("pre-migrate") == 1
    # 7 days + up to 4 older weeks (the newest week's is one of the 7 days)
    assert 9 <= kinds.count("auto") <= 11
    assert all(backup_line(b) for b in kept)                 # each can be shown in the list

    ctx = UiContext(services=svc, runner=ui_runner, operator=admin, station=svc.setup.station(),
                    prefs=UiPrefs(station_paths.root))
    registered: list[str] = []
    for n, info in enumerate(kept):
        mark = _mark_of(Path(info.path))
        restored = _restore_in_dialog(ctx, info, qtbot)
        settle(ui_runner)
        assert restored.restored_from.path == info.path
        assert Path(restored.pre_restore.path).is_file()
        assert _mark_of(station_paths.db_path) == mark        # that file is in place now
        # at head again (the pre-migration copy was migrated), nothing lost, no number reused
        con = sqlite3.connect(station_paths.db_path)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            == files_head()
        numbers = [r[0] for r in con.execute("SELECT case_no FROM case_index")]
        con.close()
        assert len(numbers) == 42 + len(registered) == len(set(numbers))
        assert set(registered) <= set(numbers)
        registered.append(svc.intake.register(sample_form(svc, 100 + n), admin).case_no)
    assert len(set(registered)) == len(kept)
    # the restores' own pre-restore copies are generations too (one per restore until the
    # next backup's rotation keeps the last three)
    pre = [b for b in svc.backup.list_backups() if b.kind == "pre-restore"]
    assert len(pre) == len(kept)
    before = _mark_of(Path(pre[0].path))
    restored = _restore_in_dialog(ctx, pre[0], qtbot)
    settle(ui_runner)
    assert restored.restored_from.kind == "pre-restore"
    assert _mark_of(station_paths.db_path) == before


def files_head() -> str:
    from station_app.store.migrations import HEAD_REVISION

    return HEAD_REVISION


def test_usb_watcher_copies_when_a_stick_comes_and_the_setting_is_on(
        main_window, station_services, ui_runner, settle, qtbot, tmp_path):
    from station_app.ui.usb_watch import UsbWatcher

    settings = main_window.pages["settings"]
    main_window.show_page("settings")
    settle(ui_runner)
    assert not settings.usb_copy.isChecked()
    inserted: list[Path] = []
    watcher = UsbWatcher(station_services, ui_runner, drives=lambda: list(inserted))
    told: list[str] = []
    watcher.told.connect(told.append)
    stick = tmp_path / "stick"
    stick.mkdir()
    inserted.append(stick)
    watcher.poll()                                         # setting off: nothing copied
    settle(ui_runner)
    assert told == [] and list(stick.iterdir()) == []
    settings.usb_copy.click()                              # the clerk turns it on
    settle(ui_runner)
    assert station_services.backup.usb_copy_enabled()
    inserted.clear()
    watcher.poll()                                         # pulled out …
    inserted.append(stick)
    watcher.poll()                                         # … and put in again
    settle(ui_runner)
    assert told and "已复制到U盘" in told[-1]
    assert [p.suffix for p in stick.rglob("suqiu-*.db")] == [".db"]
    watcher.poll()                                         # still in: not copied again
    settle(ui_runner)
    assert len(told) == 1
    shutil.rmtree(stick)
    stick.write_text("not a folder any more")
    inserted.clear()
    watcher.poll()
    inserted.append(stick)
    watcher.poll()
    settle(ui_runner)
    assert "U盘" in told[-1] and "没能复制" in told[-1]
