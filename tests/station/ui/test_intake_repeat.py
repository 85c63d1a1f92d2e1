"""Repeat check before saving, and attachments on the intake form (real services, real files)."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import zlib

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from station_app.ui import UiContext
from station_app.ui.i18n import UiPrefs
from station_app.ui.intake_form import IntakePage
from station_app.ui.runner import Runner

ADMIN = ("admin", "admin1234")
GOOD_ID = "11010519491231002X"


@pytest.fixture
def ctx(services, tmp_paths):
    runner = Runner()
    yield UiContext(services=services, runner=runner,
                    operator=services.accounts.authenticate(*ADMIN),
                    station=services.setup.station(), prefs=UiPrefs(tmp_paths.root))
    runner.shutdown()


@pytest.fixture
def page(ctx, qtbot):
    p = IntakePage(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 740)
    p.show()
    return p


def commit_text(widget, text: str) -> None:
    """Chinese arrives from the input method as a committed string."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def fill(qtbot, page, *, name: str, summary: str, id_number: str = "",
         account: str = "村里的路被雨水冲坏了。") -> None:
    commit_text(page.petitioner.name, name)
    if id_number:
        qtbot.keyClicks(page.petitioner.id_number, id_number)
    page.content.category.setCurrentIndex(page.content.category.findData("infrastructure"))
    commit_text(page.content.summary, summary)
    commit_text(page.content.account, account)


def n_cases(services) -> int:
    con = sqlite3.connect(services.paths.db_path)
    try:
        return con.execute("select count(*) from case_index").fetchone()[0]
    finally:
        con.close()


def register_through_form(qtbot, page, **kw) -> str:
    fill(qtbot, page, **kw)
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    case_id = blocker.args[0]
    qtbot.mouseClick(page.success.continue_button, Qt.MouseButton.LeftButton)
    return case_id


def save_until_dialog(qtbot, page):
    with qtbot.waitSignal(page.check_finished, timeout=10000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.repeat_dialog is not None and page.repeat_dialog.isVisible(),
                    timeout=5000)
    return page.repeat_dialog


# ---- repeat check ----------------------------------------------------------------------------
def test_same_id_listed_and_linking_creates_the_link(qtbot, page, services):
    first = register_through_form(qtbot, page, name="张三", summary="村口路灯坏了三个月",
                                  id_number=GOOD_ID)
    fill(qtbot, page, name="张三", summary="再次反映医保费问题", id_number=GOOD_ID)
    dlg = save_until_dialog(qtbot, page)
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 1).text() == "同一身份证号码"
    assert dlg.table.item(0, 3).text() == services.cases.detail(first).case_no
    assert "同一身份证号码 1 件" in dlg.counts_label.text()
    assert dlg.selected_case_ids() == [first]  # exact ID match is ticked in advance
    assert n_cases(services) == 1  # nothing saved while the clerk decides
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    second = blocker.args[0]
    assert [lv.case_id for lv in services.cases.detail(second).links] == [first]
    assert n_cases(services) == 2


def test_unticked_match_is_not_linked(qtbot, page, services):
    register_through_form(qtbot, page, name="李梅", summary="反映低保评定不公平",
                          id_number=GOOD_ID)
    fill(qtbot, page, name="李梅", summary="反映山林边界争议", id_number=GOOD_ID)
    dlg = save_until_dialog(qtbot, page)
    dlg.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert services.cases.detail(blocker.args[0]).links == ()


def test_same_name_same_village_and_open_case(qtbot, page, services):
    first = register_through_form(qtbot, page, name="王大山", summary="反映自来水管爆裂无人修")
    fill(qtbot, page, name="王大山", summary="反映土地承包合同到期")
    dlg = save_until_dialog(qtbot, page)
    reasons = [dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())]
    assert "同村同名" in reasons
    assert dlg.selected_case_ids() == []  # a name match needs the clerk's look first
    qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.case_preview is not None and page.case_preview.detail
                    is not None, timeout=10000)
    preview = page.case_preview
    assert preview.detail.case_id == first and preview.window().isVisible()
    qtbot.mouseClick(preview.back, Qt.MouseButton.LeftButton)  # back to the decision
    assert not preview.window().isVisible() and dlg.isVisible()
    assert n_cases(services) == 1


def test_back_to_edit_saves_nothing(qtbot, page, services):
    register_through_form(qtbot, page, name="赵四", summary="反映村道塌方", id_number=GOOD_ID)
    fill(qtbot, page, name="赵四", summary="反映村道塌方无人管", id_number=GOOD_ID)
    dlg = save_until_dialog(qtbot, page)
    qtbot.mouseClick(dlg.back_button, Qt.MouseButton.LeftButton)
    assert n_cases(services) == 1
    assert page.stack.currentIndex() == 0 and page.save_button.isEnabled()
    assert page.petitioner.name.text() == "赵四"  # the clerk's input is kept


# ---- attachments -------------------------------------------------------------------------------
def _png(path, w: int = 2, h: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path.write_bytes(data)
    return data


def add_and_wait(qtbot, page, paths) -> None:
    with qtbot.waitSignal(page.attachments.import_finished, timeout=10000):
        page.attachments.add_files(paths)


def test_attachments_imported_listed_deduplicated_and_saved(qtbot, page, services, tmp_path):
    photo = tmp_path / "来信扫描.png"
    data = _png(photo)
    copy = tmp_path / "same.png"
    copy.write_bytes(data)
    add_and_wait(qtbot, page, [photo])
    table = page.attachments.table
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "来信扫描.png"
    assert table.item(0, 1).text() == f"{len(data)} B"
    add_and_wait(qtbot, page, [copy])  # same content: stored and listed once
    assert table.rowCount() == 1 and "内容相同" in page.attachments.message()

    fill(qtbot, page, name="钱七", summary="反映危房改造补助未到位")
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    atts = services.cases.detail(blocker.args[0]).attachments
    sha = hashlib.sha256(data).hexdigest()
    assert [(a.sha256, a.name, a.size) for a in atts] == [(sha, "来信扫描.png", len(data))]
    stored = [p for p in services.paths.attachments_dir.rglob("*") if p.is_file()]
    assert any(p.name.startswith(sha) for p in stored)


def test_bad_attachments_refused_with_reason(qtbot, page, tmp_path):
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ" + b"\x00" * 100)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    add_and_wait(qtbot, page, [exe])
    assert page.attachments.table.rowCount() == 0
    assert "virus.exe" in page.attachments.message() and "没有添加" in page.attachments.message()
    add_and_wait(qtbot, page, [empty])
    assert "空" in page.attachments.message()
    add_and_wait(qtbot, page, [tmp_path / "missing.png"])
    assert "找不到" in page.attachments.message()
    assert page.attachments.refs() == []


def test_remove_attachment_before_saving(qtbot, page, services, tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    _png(a, 2, 2)
    _png(b, 3, 3)
    add_and_wait(qtbot, page, [a, b])
    assert page.attachments.table.rowCount() == 2
    page.attachments.table.selectRow(0)
    qtbot.mouseClick(page.attachments.remove_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in page.attachments.refs()] == ["b.png"]
    fill(qtbot, page, name="孙八", summary="反映集体林地被侵占")
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert [x.name for x in services.cases.detail(blocker.args[0]).attachments] == ["b.png"]


def test_repeat_dialog_by_keyboard(qtbot, page, services):
    """Space ticks the current row, Enter saves (the default button)."""
    first = register_through_form(qtbot, page, name="周九", summary="反映灌溉水渠堵塞")
    fill(qtbot, page, name="周九", summary="反映宅基地被占用")
    dlg = save_until_dialog(qtbot, page)
    dlg.table.setFocus()
    dlg.table.setCurrentCell(0, 0)
    assert dlg.selected_case_ids() == []
    qtbot.keyClick(dlg.table, Qt.Key.Key_Space)
    assert dlg.selected_case_ids() == [first]
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.keyClick(dlg, Qt.Key.Key_Return)
    assert [lv.case_id for lv in services.cases.detail(blocker.args[0]).links] == [first]
