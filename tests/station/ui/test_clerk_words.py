"""What a clerk reads and where files go (issue 8, C15, C16, C17), in the real window:
restore from 设置 with an administrator's password and a confirmation; English that stays
English (program name, titles, the case book's cells); empty lists that say so; the version
in 关于; save dialogs that open in 文档; viewer copies of attachments that stay private and
are removed when the program closes."""
from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox

from station_app.app import _sample_form
from station_app.services import AttachmentRef
from station_app.ui import attachment_open
from station_app.ui.casebook_model import COL_DUE
from station_app.ui.restore_dialog import RestoreDialog
from station_app.ui.wording import documents_dir, plain_size

ROOT = Path(__file__).resolve().parents[3]


class Poll:
    """Runs ``fn`` on the modal widget of type ``kind`` as soon as it is up."""

    def __init__(self, kind, fn):
        self.seen: list[object] = []
        self.timer = QTimer()
        self.timer.timeout.connect(lambda: self._tick(kind, fn))
        self.timer.start(20)

    def _tick(self, kind, fn):
        w = QApplication.activeModalWidget()
        if isinstance(w, kind) and w not in self.seen:
            self.seen.append(w)
            fn(w)

    def stop(self):
        self.timer.stop()


def test_plain_sizes(ui_app):
    assert plain_size(437) == "很小" and plain_size(60 * 1024) == "很小"
    assert plain_size(1260 * 1024) == "约 1.2 MB"
    assert plain_size(150 * 1024) == "约 0.1 MB"
    assert plain_size(3 * 1024 ** 3) == "约 3.0 GB"


def test_times_are_this_pcs_clock_time(monkeypatch):
    """The sync records UTC; a clerk in 云南 reads 10:30, not 02:30."""
    import time

    from station_app.ui.wording import local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time("2026-05-01T02:30:00+00:00") == "2026-05-01 10:30"
        assert local_time("2026-05-01T10:30:00+08:00") == "2026-05-01 10:30"
        assert local_time("2026-05-01T10:30") == "2026-05-01 10:30"       # no offset: as written
        assert local_time("") == ""
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_restore_from_settings(main_window, station_services, ui_runner, settle, qtbot):
    admin = station_services.accounts.authenticate("admin", "admin1234")
    kept = station_services.intake.register(_sample_form(station_services, 0), admin).case_id
    station_services.backup.backup_now()
    later = station_services.intake.register(_sample_form(station_services, 1), admin).case_id
    w = main_window
    w.show_page("settings")
    settle(ui_runner)
    settings = w.pages["settings"]
    assert settings.backups.count() == 1 and settings.restore_button.isEnabled()
    assert "suqiu-station" not in " ".join(lbl.text() for lbl in settings.findChildren(
        type(settings.no_backups)))
    steps: list[str] = []

    def drive(dlg: RestoreDialog):
        assert dlg.login.text() == "admin"
        assert dlg.password.nextInFocusChain() is dlg.confirm       # Tab reaches it in order
        dlg.password.setText("admin1234")
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)          # not confirmed yet
        steps.append(dlg.error.text())
        dlg.confirm.setChecked(True)
        dlg.password.setText("wrong-pass")
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.ok.isEnabled() and dlg.error.text() != steps[0],
                        timeout=20000)
        steps.append(dlg.error.text())
        dlg.password.setText("admin1234")
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)

    def done(box: QMessageBox):
        steps.append(box.text())
        box.accept()

    polls = [Poll(RestoreDialog, drive), Poll(QMessageBox, done)]
    try:
        settings.backups.setCurrentRow(0)
        qtbot.mouseClick(settings.restore_button, Qt.MouseButton.LeftButton)
        settle(ui_runner)
        qtbot.waitUntil(lambda: len(steps) == 3, timeout=30000)
    finally:
        for p in polls:
            p.stop()
    assert "请先勾选" in steps[0] and "密码不对" in steps[1] and "已恢复到" in steps[2]
    # everyone logs in again; the window is rebuilt from the restored data
    qtbot.waitUntil(lambda: w.duty.locked, timeout=10000)
    assert "数据已恢复" in w.duty.screen.message.text()
    kinds = {b.kind for b in station_services.backup.list_backups()}
    assert "pre-restore" in kinds                       # the data as it was is kept
    w.duty.screen.login.setText("admin")
    w.duty.screen.password.setText("admin1234")
    w.duty.screen.submit()
    settle(ui_runner)
    settle(ui_runner)
    assert not w.duty.locked
    for case in (kept, later):                          # nothing registered is lost
        assert station_services.cases.detail(case).case_id == case


def test_english_stays_english_and_cells_are_not_cut(demo_window, ui_runner, settle, qtbot):
    from station_app.ui.i18n import translations

    demo_window.set_language("en")
    try:
        assert translations().language == "en"
        assert QApplication.applicationDisplayName() == "Suqiu"
        assert demo_window.windowTitle() == demo_window.ctx.station.name    # no program name
        demo_window.set_large_font(True)
        demo_window.show_page("casebook")
        settle(ui_runner)
        book = demo_window.pages["casebook"]
        table, model = book.table, book.model
        fm = table.fontMetrics()
        width = table.columnWidth(COL_DUE)
        texts = [model.index(r, COL_DUE).data() for r in range(model.rowCount())]
        assert any("overdue" in t or "left" in t for t in texts)
        cut = [t for t in texts if fm.horizontalAdvance(t) + 12 > width and "(" not in t]
        assert cut == []
        # the whole text is there on hover, whatever the width
        tip = model.index(0, COL_DUE).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.split("\n")[0] == texts[0]
    finally:
        demo_window.set_large_font(False)
        demo_window.set_language("zh")


def test_empty_lists_say_so(main_window, station_services, ui_runner, settle):
    admin = station_services.accounts.authenticate("admin", "admin1234")
    case = station_services.intake.register(_sample_form(station_services, 0), admin).case_id
    main_window.open_case(case)
    settle(ui_runner)
    page = main_window.detail
    page.tabs.setCurrentIndex(3)                          # 关联和附件
    panel = page.attachments_panel
    assert panel.list.count() == 0 and not panel.list.isVisibleTo(page)
    assert panel.empty.isVisibleTo(page) and panel.empty.text() == "这个案件没有附件。"
    assert not panel.open_button.isVisibleTo(page)
    assert page.links.count() == 0 and page.no_links.isVisibleTo(page)


def test_about_names_the_version(main_window, qtbot):
    from importlib.metadata import version

    texts: list[str] = []

    def read(box: QMessageBox):
        texts.append(box.text())
        box.accept()

    poll = Poll(QMessageBox, read)
    try:
        main_window._about()
    finally:
        poll.stop()
    assert texts and version("suqiu") in texts[0]


def test_the_save_pdf_dialog_opens_in_documents(ui_app, station_services, ui_runner, qtbot):
    from station_app.ui.documents import DocumentActions

    actions = DocumentActions(station_services, ui_runner, "receipt")
    qtbot.addWidget(actions)
    actions.set_case("x", "530921108203-2026-0001")
    seen: list[str] = []

    def look(dlg: QFileDialog):
        seen.append(dlg.directory().absolutePath())
        seen.append(dlg.selectedFiles()[0] if dlg.selectedFiles() else "")
        labels.extend(w.text() for w in dlg.findChildren(QLabel) if w.text())
        dlg.reject()

    labels: list[str] = []

    poll = Poll(QFileDialog, look)
    try:
        qtbot.mouseClick(actions.pdf_button, Qt.MouseButton.LeftButton)
    finally:
        poll.stop()
    assert seen and Path(seen[0]) == documents_dir()
    assert Path(seen[1]).name.endswith("530921108203-2026-0001.pdf")
    assert str(ROOT) not in seen[0]
    # Qt's Chinese catalogue lacks this Qt's "&Look in:" / "Files of &type:": ours are used
    assert labels and all(re.search(r"[\u4e00-\u9fff]", t) for t in labels), labels


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_viewer_copies_are_private_never_follow_links_and_go_on_close(
        main_window, station_services, tmp_path):
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 200)
    ref: AttachmentRef = station_services.intake.import_attachment(photo)
    # an older version's shared folder, with a link planted where a copy would go
    legacy = Path(tempfile.gettempdir()) / attachment_open.LEGACY_FOLDER / ref.sha256[:16]
    legacy.mkdir(parents=True, exist_ok=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    planted = legacy / "现场照片.png"
    planted.unlink(missing_ok=True)
    planted.symlink_to(victim)

    copy = attachment_open.viewer_copy(station_services.paths, ref)
    folder = attachment_open.viewer_dir()
    assert copy.parent.parent == folder and folder.name.startswith("suqiu-view-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert copy.read_bytes() == photo.read_bytes()
    assert victim.read_text() == "untouched"
    # opening it again (the viewer may still hold it) gives the same private copy
    assert attachment_open.viewer_copy(station_services.paths, ref) == copy

    main_window.close()
    assert not folder.exists() and not legacy.parent.exists()
    assert victim.read_text() == "untouched"                 # the link went, not its target
