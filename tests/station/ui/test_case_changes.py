"""The case screens and what changes under them (issue 8, C13 and C14), in the real window:
a case opens on 基本情况; the history names people and starts at the 登记时间; a change made
elsewhere refreshes the open case and the case book; an action on a case that changed since
the clerk looked is refused, the dialog says so, and what was typed is kept."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from station_app.app import _sample_form
from station_app.services import Changes
from station_app.ui.action_dialogs import AcceptDialog


@pytest.fixture
def admin(station_services):
    return station_services.accounts.authenticate("admin", "admin1234")


def _register(services, op, i=0, **over):
    form = _sample_form(services, i)
    form.update(over)
    return services.intake.register(form, op).case_id


def test_a_case_opens_on_basics_and_its_history_reads_in_its_own_times(
        main_window, station_services, admin, ui_runner, settle, qtbot):
    received = (datetime.now().astimezone() - timedelta(days=2)).replace(second=0, microsecond=0)
    a = _register(station_services, admin, 0, received_at=received.isoformat())
    b = _register(station_services, admin, 1)
    station_services.cases.progress(a, admin, note="已联系村委会")
    w = main_window
    w.open_case(a)
    settle(ui_runner)
    page = w.detail
    assert page.tabs.currentIndex() == 0
    page.tabs.setCurrentIndex(1)                                 # 办理过程
    first = page.timeline.topLevelItem(0)
    assert first.text(2) == "登记"
    assert first.text(0) == received.strftime("%Y-%m-%d %H:%M")  # the 登记时间, first
    assert {page.timeline.topLevelItem(i).text(1)
            for i in range(page.timeline.topLevelItemCount())} == {"管理员"}   # not "admin"
    qtbot.keyClick(w, Qt.Key.Key_F5)                              # a refresh keeps the tab
    settle(ui_runner)
    assert page.tabs.currentIndex() == 1
    w.go_back()
    w.open_case(b)
    settle(ui_runner)
    assert page.tabs.currentIndex() == 0 and page.detail.case_id == b


def test_a_change_made_elsewhere_refreshes_the_open_case(main_window, station_services, admin,
                                                         ui_runner, settle, qtbot):
    case = _register(station_services, admin)
    w = main_window
    w.open_case(case)
    settle(ui_runner)
    page = w.detail
    rows = page.timeline.topLevelItemCount()
    assert not page.notice.isVisible()
    elsewhere = QObject()          # another screen; the runner broadcasts what it changed
    cases = station_services.cases
    ui_runner.submit(lambda: cases.progress(case, admin, note="另一个窗口记下的"), owner=elsewhere)
    settle(ui_runner)
    settle(ui_runner)
    qtbot.waitUntil(lambda: page.timeline.topLevelItemCount() == rows + 1, timeout=10000)
    assert page.notice.isVisible() and "新的记录" in page.notice.text()
    # a change to another case leaves this one alone
    other = _register(station_services, admin, 2)
    loads: list[str] = []
    page.show_detail = lambda d, _orig=page.show_detail: (loads.append(d.case_id), _orig(d))
    ui_runner.broadcast(Changes.of_cases([other]))
    settle(ui_runner)
    assert loads == []


def test_the_case_book_follows_changes_and_keeps_the_selection(
        main_window, station_services, admin, ui_runner, settle, qtbot):
    for i in range(3):
        _register(station_services, admin, i)
    w = main_window
    w.show_page("casebook")
    settle(ui_runner)
    book = w.pages["casebook"]
    assert book.model.rowCount() == 3
    book.table.setCurrentIndex(book.model.index(2, 1))
    chosen = book.model.row_at(2).case_id
    services = station_services
    ui_runner.submit(lambda: services.intake.register(_sample_form(services, 5), admin),
                     owner=QObject())
    settle(ui_runner)
    qtbot.waitUntil(lambda: book.model.rowCount() == 4, timeout=10000)
    settle(ui_runner)
    assert book.model.row_at(book.table.currentIndex().row()).case_id == chosen


def test_a_stale_action_is_refused_and_the_draft_kept(main_window, station_services, admin,
                                                      ui_runner, settle, qtbot):
    case = _register(station_services, admin)
    w = main_window
    w.open_case(case)
    settle(ui_runner)
    page = w.detail
    before = station_services.cases.detail(case)
    # the clerk reads the case; meanwhile another clerk's window records a note on it
    station_services.cases.progress(case, admin, note="另一位值班员刚记下的")
    seen: dict[str, object] = {}

    def accept_then_look_again():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, AcceptDialog)
        dlg.widget("note").setPlainText("当场受理，已告知反映人")
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.stale, timeout=10000)
        seen["message"] = dlg.top_error.text()
        seen["button"] = dlg.ok_button.text()
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)   # 重新查看案件

    QTimer.singleShot(0, accept_then_look_again)
    assert page.run_action("accept") is False
    assert "刚刚有了新的记录" in seen["message"] and seen["button"] == "重新查看案件"
    assert station_services.cases.detail(case).status == before.status == "registered"
    settle(ui_runner)
    assert page.notice.isVisible() and "受理" in page.notice.text()
    assert page.detail.version != before.version        # the page shows the case as it is now

    def accept_again():
        dlg = QApplication.activeModalWidget()
        seen["draft"] = dlg.widget("note").toPlainText()
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, accept_again)
    assert page.run_action("accept") is True
    assert seen["draft"] == "当场受理，已告知反映人"
    assert station_services.cases.detail(case).status == "accepted"


def test_a_stale_serving_is_refused_and_its_date_kept(main_window, station_services, admin,
                                                      ui_runner, settle, qtbot):
    """记录送达 (c1) goes the way of every action: it carries the version the clerk saw, a
    stale one is refused, and the date typed is offered again."""
    from PySide6.QtCore import QDate

    from station_app.store.eventlog import now_iso
    from station_app.ui.action_dialogs import ServeDialog

    case = _register(station_services, admin, received_at=(
        datetime.now().astimezone() - timedelta(days=12)).isoformat(timespec="seconds"))
    cases = station_services.cases
    cases.now = lambda: (datetime.now().astimezone() - timedelta(days=10)).isoformat(
        timespec="seconds")                               # the reply went out ten days ago
    try:
        cases.accept(case, admin)
        cases.conclude(case, admin, result="已解决", opinion="已修复。")
    finally:
        cases.now = now_iso                               # the station's clock again
    w = main_window
    w.open_case(case)
    settle(ui_runner)
    page = w.detail
    station_services.cases.progress(case, admin, note="另一位值班员刚记下的")
    day = QDate.currentDate().addDays(-3)
    seen: dict[str, object] = {}

    def serve_then_look_again():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ServeDialog)
        dlg.widget("served_on").setDate(day)
        dlg.widget("method").setCurrentIndex(dlg.widget("method").findData("post"))
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.stale, timeout=10000)
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)   # 重新查看案件

    QTimer.singleShot(0, serve_then_look_again)
    assert page.run_action("serve") is False
    assert not any(t.type == "case.served" for t in station_services.cases.detail(case).timeline)
    settle(ui_runner)

    def serve_again():
        dlg = QApplication.activeModalWidget()
        seen["day"] = dlg.widget("served_on").date()
        seen["method"] = dlg.widget("method").currentData()
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, serve_again)
    assert page.run_action("serve") is True
    assert seen == {"day": day, "method": "post"}
    served = [t for t in station_services.cases.detail(case).timeline if t.type == "case.served"]
    assert len(served) == 1 and day.toString("yyyy-MM-dd") in served[0].summary


def test_the_runner_broadcasts_after_the_callers_own_callback(ui_runner, settle, qtbot):
    order: list[str] = []
    owner = QObject()
    got: list[tuple[Changes, object]] = []
    ui_runner.changed.connect(lambda c, who: (order.append("broadcast"), got.append((c, who))))
    ui_runner.submit(lambda: Changes.of_cases(["c1"]), lambda _r: order.append("done"),
                     owner=owner)
    ui_runner.submit(lambda: 42, lambda _r: order.append("plain"))      # no changes: silent
    settle(ui_runner)
    assert order == ["done", "broadcast", "plain"]
    assert got == [(Changes.of_cases(["c1"]), owner)]


def test_an_action_dialog_starts_in_its_first_field(main_window, station_services, admin,
                                                    ui_runner, settle, qtbot):
    """Found at the desk: the buttons were made before the fields, so the dialog opened
    with 受理 focused and the space in a typed note accepted the case."""
    case = _register(station_services, admin)
    w = main_window
    w.open_case(case)
    settle(ui_runner)
    seen: dict[str, object] = {}

    def type_a_note():
        dlg = QApplication.activeModalWidget()
        dlg.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg, timeout=5000)
        seen["focus"] = dlg.focusWidget()
        seen["first"] = dlg.widget("notify_channel")
        qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(dlg.focusWidget(), "note with spaces")
        seen["note"] = dlg.widget("note").toPlainText()
        seen["open"] = dlg.isVisible()
        dlg.reject()

    QTimer.singleShot(0, type_a_note)
    w.detail.run_action("accept")
    assert seen["focus"] is seen["first"]
    assert seen["open"] and seen["note"] == "note with spaces"
    assert station_services.cases.detail(case).status == "registered"


def test_the_keyboard_stays_on_the_action_after_a_dialog_is_cancelled(
        main_window, station_services, admin, ui_runner, settle, qtbot):
    case = _register(station_services, admin)
    w = main_window
    w.open_case(case)
    settle(ui_runner)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    page = w.detail
    page.action_buttons["progress"].setFocus()
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    qtbot.keyClick(page.action_buttons["progress"], Qt.Key.Key_Space)
    settle(ui_runner)                      # the page reloads the case: new buttons
    qtbot.waitUntil(lambda: w.focusWidget() is page.action_buttons["progress"], timeout=5000)
