"""案件详情 and its action dialogs, driven like a clerk: accept → conclude → follow up,
inline errors, refusals that change nothing, corrections that keep the old value."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from station_app.ui.action_dialogs import (
    AcceptDialog,
    ConcludeDialog,
    DeclineDialog,
    FollowUpDialog,
    ProgressDialog,
    dialog_for,
)
from station_app.ui.case_edit_dialogs import AmendDialog


@pytest.fixture
def case_id(station_services):
    from station_app.app import _sample_form

    op = station_services.accounts.authenticate("admin", "admin1234")
    return station_services.intake.register(_sample_form(station_services, 0), op).case_id


@pytest.fixture
def page(main_window, case_id, ui_runner, settle):
    main_window.open_case(case_id)
    settle(ui_runner)
    assert main_window.detail.detail is not None
    return main_window.detail


def _events(services, case_id) -> int:
    return len(services.cases.detail(case_id).timeline)


def _ok(qtbot, dlg):
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)


def _open(page, cls):
    dlg = cls(page._ctx, page.detail, page)
    dlg.show()
    return dlg


def test_header_facts_and_buttons(page, case_id, station_services):
    d = station_services.cases.detail(case_id, page._ctx.operator)
    assert d.case_no in page.title.text()
    assert page.status.text().startswith("已登记")
    assert set(page.action_buttons) == set(d.allowed_actions) - {"resolve_conflict"}
    assert "accept" in page.action_buttons and "conclude" not in page.action_buttons
    assert page.timeline.topLevelItemCount() == len(d.timeline) == 1
    assert page.clocks.topLevelItemCount() == len(d.clocks)
    assert any(page.clocks.topLevelItem(i).text(3).startswith("剩")
               for i in range(page.clocks.topLevelItemCount()))


def test_accept_conclude_follow_up_through_the_buttons(page, case_id, station_services,
                                                      ui_runner, settle, qtbot, type_text):
    """The real path: button → modal dialog → service → page shows the new state."""

    def drive(fill):
        def run():
            dlg = QApplication.activeModalWidget()
            fill(dlg)
            _ok(qtbot, dlg)
        QTimer.singleShot(0, run)

    def fill_accept(dlg):
        assert isinstance(dlg, AcceptDialog)
        dlg.widget("notify_channel").setCurrentIndex(dlg.widget("notify_channel").findData("phone"))

    drive(fill_accept)
    assert page.run_action("accept") is True
    assert page.status.text().startswith("已受理")
    assert "conclude" in page.action_buttons

    def fill_conclude(dlg):
        assert isinstance(dlg, ConcludeDialog)
        type_text(dlg.widget("result").lineEdit(), "问题已解决")
        type_text(dlg.widget("opinion"), "已协调村委会修复道路，经现场核实已通行。")

    drive(fill_conclude)
    assert page.run_action("conclude") is True
    assert page.status.text().startswith("已办结")
    assert "follow_up" in page.action_buttons

    def fill_follow(dlg):
        assert isinstance(dlg, FollowUpDialog)
        qtbot.mouseClick(dlg.satisfaction_buttons["basically"], Qt.MouseButton.LeftButton)

    drive(fill_follow)
    assert page.run_action("follow_up") is True
    assert page.status.text().startswith("已回访")
    d = station_services.cases.detail(case_id)
    assert d.satisfaction == "basically" and d.conclusion["result"] == "问题已解决"
    types = [page.timeline.topLevelItem(i).text(2)
             for i in range(page.timeline.topLevelItemCount())]
    assert types[0] == "登记" and len(types) == 4
    shown = [page.facts.itemAt(i).widget().text() for i in range(page.facts.count())
             if page.facts.itemAt(i).widget() is not None]
    assert "基本满意" in shown and "问题已解决" in shown


def test_required_fields_inline_and_nothing_written(page, case_id, station_services, qtbot):
    before = _events(station_services, case_id)
    dlg = _open(page, DeclineDialog)
    _ok(qtbot, dlg)
    assert dlg.isVisible()
    assert dlg.error_label("reason").text() == "此项必须填写。"
    assert dlg.error_label("other_channel").text() == "此项必须填写。"
    assert dlg.widget("reason").property("invalid") is True
    assert _events(station_services, case_id) == before


def test_decline_with_reason(page, case_id, station_services, ui_runner, settle, qtbot, type_text):
    dlg = _open(page, DeclineDialog)
    dlg.widget("reason").setCurrentIndex(0)
    type_text(dlg.widget("other_channel"), "向县人民法院起诉")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        _ok(qtbot, dlg)
    page.show_detail(dlg.result_detail)
    assert page.status.text().startswith("不予受理")
    assert page.print_notice.text() == "打印不予受理告知" and page.print_notice.isEnabled()
    assert station_services.cases.detail(case_id).declined["other_channel"] == "向县人民法院起诉"


def test_stale_page_refusal_is_explained_and_changes_nothing(page, case_id, station_services,
                                                           ui_runner, settle, qtbot):
    """Someone else accepted the case after this page was loaded: the service refuses."""
    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.decline(case_id, op, reason="不属于本机关职责范围",
                                   other_channel="县法院")
    before = _events(station_services, case_id)
    dlg = _open(page, AcceptDialog)                 # built from the stale (registered) detail
    _ok(qtbot, dlg)
    settle(ui_runner)
    assert dlg.isVisible() and dlg.result_detail is None
    # the action carried the version the clerk saw: refused as stale, not judged anew
    assert "刚刚有了新的记录" in dlg.top_error.text()
    assert "错误代码" not in dlg.top_error.text()
    assert dlg.ok_button.text() == "重新查看案件"
    assert _events(station_services, case_id) == before
    assert station_services.cases.detail(case_id).status == "declined"


def test_service_validation_lands_under_the_field(page, case_id, station_services, ui_runner,
                                                  settle, qtbot, type_text):
    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.accept(case_id, op)
    page.refresh()
    settle(ui_runner)
    before = _events(station_services, case_id)
    dlg = _open(page, ProgressDialog)
    type_text(dlg.widget("note"), "已联系村委会\U0001F600")      # an emoji the printer cannot carry
    _ok(qtbot, dlg)
    settle(ui_runner)
    assert dlg.isVisible()
    assert dlg.error_label("note").text() == "不能使用表情符号，请改用文字。"
    assert _events(station_services, case_id) == before
    dlg.widget("note").setPlainText("已联系村委会，约定周五现场查看。")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        _ok(qtbot, dlg)
    assert _events(station_services, case_id) == before + 1


def test_request_extension_button_and_reply_print_button(page, case_id, station_services,
                                                          ui_runner, settle, qtbot, type_text):
    """延期 is asked (the level above decides); after 办结 the page offers the 处理意见书."""
    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.accept(case_id, op)
    page.refresh()
    settle(ui_runner)
    assert "request_extension" in page.action_buttons
    assert "decide_extension" not in page.action_buttons     # not the village's to decide
    assert not page.print_reply.isVisibleTo(page) and not page.print_urge.isVisibleTo(page)
    dlg = _open(page, dialog_for("request_extension", page._ctx, page.detail, page).__class__)
    type_text(dlg.widget("reason"), "需要等县自然资源局测绘结果")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        _ok(qtbot, dlg)
    page.show_detail(dlg.result_detail)
    assert any(page.timeline.topLevelItem(i).text(2) == "申请延期"
               for i in range(page.timeline.topLevelItemCount()))
    assert "request_extension" not in page.action_buttons    # one request at a time
    station_services.cases.conclude(case_id, op, result="已解决", opinion="已修复。")
    page.refresh()
    settle(ui_runner)
    assert page.print_reply.isVisibleTo(page)


def test_amend_keeps_old_value_in_timeline(page, case_id, station_services, qtbot, type_text):
    dlg = _open(page, AmendDialog)
    dlg.field_combo.setCurrentIndex(dlg.field_combo.findData("summary"))
    assert dlg.old_label.text() == page.detail.summary
    type_text(dlg.new_widget, "村道第1段路面塌陷，雨天无法通行")
    type_text(dlg.widget("reason"), "登记时写错")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        _ok(qtbot, dlg)
    page.show_detail(dlg.result_detail)
    last = page.timeline.topLevelItem(page.timeline.topLevelItemCount() - 1).text(3)
    assert "→" in last and "村道第1段路面损坏" in last and "塌陷" in last and "登记时写错" in last
    assert station_services.cases.detail(case_id).summary == "村道第1段路面塌陷，雨天无法通行"


def test_amend_same_value_refused(page, case_id, station_services, ui_runner, settle, qtbot,
                                  type_text):
    before = _events(station_services, case_id)
    dlg = _open(page, AmendDialog)
    dlg.field_combo.setCurrentIndex(dlg.field_combo.findData("summary"))
    dlg.new_widget.setText(page.detail.summary)
    type_text(dlg.widget("reason"), "核对")
    _ok(qtbot, dlg)
    settle(ui_runner)
    assert dlg.isVisible() and "不需要更正" in dlg.top_error.text()
    assert _events(station_services, case_id) == before


def test_every_allowed_action_has_a_dialog(page):
    for action in page.detail.allowed_actions:
        if action == "resolve_conflict":
            continue
        dlg = dialog_for(action, page._ctx, page.detail, page)
        assert dlg is not None and dlg.ok_button.text()
        dlg.deleteLater()


def test_link_by_case_number(page, case_id, station_services, ui_runner, settle, qtbot,
                             type_text):
    from station_app.app import _sample_form
    from station_app.ui.case_edit_dialogs import LinkDialog

    op = station_services.accounts.authenticate("admin", "admin1234")
    other = station_services.intake.register(_sample_form(station_services, 2), op)
    dlg = _open(page, LinkDialog)
    qtbot.keyClicks(dlg.widget("case_no"), "530921108203-2026-9999")
    _ok(qtbot, dlg)
    settle(ui_runner)
    assert dlg.isVisible() and dlg.top_error.text() == "要关联的案件不存在。"
    dlg.widget("case_no").setText(other.case_no)
    type_text(dlg.widget("note"), "同一段村道")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        _ok(qtbot, dlg)
    page.show_detail(dlg.result_detail)
    assert page.links.item(0).text() == other.case_no
    assert other.case_id in [link.case_id for link in station_services.cases.detail(case_id).links]


def test_attachments_open_with_the_system_viewer_and_say_when_not_here(
        main_window, station_services, ui_runner, settle, qtbot, tmp_path, monkeypatch):
    """双击 opens a copy under its own name; one not synced yet, or of a kind we never
    open, gets a plain explanation instead."""
    import hashlib

    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from station_app.app import _sample_form

    photo = tmp_path / "现场照片.png"
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4   # the magic is what intake checks
    photo.write_bytes(data)
    att = station_services.intake.import_attachment(photo)
    pdf = tmp_path / "村委会回复.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
    reply = station_services.intake.import_attachment(pdf)
    form = dict(_sample_form(station_services, 1))
    odd = {"sha256": hashlib.sha256(data).hexdigest(), "name": "..\\\\运行我.exe",
           "size": len(data), "mime": "application/octet-stream"}
    form["attachments"] = [att.to_payload(), reply.to_payload(), odd]
    op = station_services.accounts.authenticate("admin", "admin1234")
    case_id = station_services.intake.register(form, op).case_id
    # as on a township PC where the village's file has not arrived yet
    from station_app.services.attachments import stored_path
    stored_path(station_services.paths, reply.sha256).unlink()
    main_window.open_case(case_id)
    settle(ui_runner)
    panel = main_window.detail.attachments_panel
    assert panel.list.count() == 3 and "同步后可打开" in panel.list.item(1).text()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    panel.open_item(panel.list.item(0))
    settle(ui_runner)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=5000)
    assert opened[0].endswith("现场照片.png")
    with open(opened[0], "rb") as fh:
        assert fh.read() == data
    panel.open_item(panel.list.item(1))
    panel.open_item(panel.list.item(2))
    settle(ui_runner)
    qtbot.waitUntil(lambda: len(told) == 2, timeout=5000)
    assert len(opened) == 1
    assert "还没有同步到本机" in told[0] and "另存为" in told[1]
    # saving works for the odd one, under a harmless name
    from station_app.ui import attachment_open
    assert attachment_open.safe_name(panel._current(panel.list.item(2))) == "运行我.exe"
    target = tmp_path / "saved.bin"

    def choose():   # the clerk types the file name into the real save dialog
        from PySide6.QtWidgets import QApplication, QFileDialog

        dlg = QApplication.activeModalWidget()
        if isinstance(dlg, QFileDialog):
            dlg.selectFile(str(target))
            dlg.accept()

    from PySide6.QtCore import QTimer

    poll = QTimer()
    poll.timeout.connect(choose)
    poll.start(20)
    panel.list.setCurrentRow(2)
    try:
        panel.save_item()
    finally:
        poll.stop()
    settle(ui_runner)
    qtbot.waitUntil(target.exists, timeout=5000)
    assert target.read_bytes() == data
