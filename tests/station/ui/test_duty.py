"""Who is at the desk (issue 8, C9): the window locks after the station's idle minutes,
切换值班员 from the menu or Ctrl+L, unlocking needs the password, and another operator taking
over makes every later record theirs.  Driven through the real window, by keyboard."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from petition_core.enums import Role
from station_app.app import _sample_form
from station_app.ui.action_dialogs import ProgressDialog


@pytest.fixture
def clerk(station_services):
    admin = station_services.accounts.authenticate("admin", "admin1234")
    return station_services.accounts.create_operator("clerk2", "李值班", "clerk12345",
                                                     Role.VILLAGE, actor=admin)


@pytest.fixture
def case_id(station_services):
    op = station_services.accounts.authenticate("admin", "admin1234")
    return station_services.intake.register(_sample_form(station_services, 0), op).case_id


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _unlock(qtbot, window, runner, settle, login: str, password: str) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    screen = window.duty.screen
    screen.login.clear()
    _type(qtbot, screen.login, login)
    qtbot.keyClick(screen.login, Qt.Key.Key_Return)         # Enter moves to the password
    assert screen.password.hasFocus()
    _type(qtbot, screen.password, password)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    settle(runner)


def test_idle_lock_covers_the_window_and_keeps_a_draft(main_window, station_services, case_id,
                                                       ui_runner, settle, qtbot):
    w = main_window
    assert w.duty.idle.minutes == 15                      # the station's default, read at start
    w.open_case(case_id)
    settle(ui_runner)
    # the clerk starts a note, then walks away from the desk
    seen: dict[str, object] = {}

    def type_then_leave():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ProgressDialog)
        dlg.widget("note").setPlainText("已电话联系反映人，约定明天上门")
        assert not w.duty.idle.check(now=time.monotonic() + 14 * 60)     # not yet
        assert w.duty.idle.check(now=time.monotonic() + 16 * 60)
        seen["dialog_closed"] = not dlg.isVisible()

    QTimer.singleShot(0, type_then_leave)
    w.detail.action_buttons["progress"].setFocus()
    assert w.detail.run_action("progress") is False
    assert seen["dialog_closed"]
    assert w.duty.locked and w.duty.screen.isVisible()
    assert w.duty.screen.geometry() == w.rect()                  # nothing readable around it
    assert not w.centralWidget().isEnabled() and not w.menuBar().isEnabled()
    assert "15 分钟没有操作" in w.duty.screen.message.text()
    assert w.duty.screen.login.text() == "admin"
    w.activateWindow()
    qtbot.waitUntil(lambda: w.duty.screen.password.hasFocus(), timeout=5000)
    # shortcuts do nothing while locked
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert w.current_key() == "detail"

    _unlock(qtbot, w, ui_runner, settle, "admin", "wrong-password")
    assert w.duty.locked and w.duty.screen.error.isVisible()
    assert "密码不对" in w.duty.screen.error.text()
    _unlock(qtbot, w, ui_runner, settle, "admin", "admin1234")
    assert not w.duty.locked and not w.duty.screen.isVisible() and w.centralWidget().isEnabled()
    assert w.current_key() == "detail" and w.ctx.operator.login == "admin"
    # the keyboard is where it was: on the button that opened the dialog
    assert w.focusWidget() is w.detail.action_buttons["progress"]

    # the note typed before the lock is there when the clerk opens 办理记录 again
    def check_draft():
        dlg = QApplication.activeModalWidget()
        seen["draft"] = dlg.widget("note").toPlainText()
        dlg.reject()

    QTimer.singleShot(0, check_draft)
    w.detail.run_action("progress")
    assert seen["draft"] == "已电话联系反映人，约定明天上门"


def test_switch_duty_staff_by_keyboard_records_under_the_new_name(
        main_window, station_services, case_id, clerk, ui_runner, settle, qtbot):
    w = main_window
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)      # 切换值班员
    assert w.duty.locked and w.duty.screen.login.text() == ""
    qtbot.waitUntil(lambda: w.duty.screen.login.hasFocus(), timeout=5000)
    assert "下一位值班员" in w.duty.screen.message.text()
    _unlock(qtbot, w, ui_runner, settle, "clerk2", "clerk12345")
    settle(ui_runner)
    assert not w.duty.locked and w.ctx.operator.login == "clerk2"
    assert w.operator_label.text() == "值班员：李值班（村级值班员）"
    # what the new clerk does is recorded under the new clerk
    w.open_case(case_id)
    settle(ui_runner)

    def note():
        dlg = QApplication.activeModalWidget()
        dlg.widget("note").setPlainText("李值班接班后联系了反映人")
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, note)
    assert w.detail.run_action("progress")
    rows = w.detail.timeline
    last = rows.topLevelItem(rows.topLevelItemCount() - 1)
    assert last.text(1) == "李值班"
    events = station_services.cases.detail(case_id).timeline
    assert events[-1].actor == "clerk2"


def test_a_takeover_asks_before_clearing_an_unsaved_registration(
        main_window, clerk, ui_runner, settle, qtbot, type_text):
    w = main_window
    w.show_page("intake")
    intake = w.pages["intake"]
    type_text(intake.content.summary, "村道塌方")
    assert intake.has_input()
    w.lock("switch")

    asked: list[str] = []

    def answer_no():     # polls until the question is up (it comes after the password check)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.No).click()
            poll.stop()

    poll = QTimer()
    poll.timeout.connect(answer_no)
    poll.start(20)
    _unlock(qtbot, w, ui_runner, settle, "clerk2", "clerk12345")
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert "还没有保存" in asked[0]
    assert w.duty.locked and w.ctx.operator.login == "admin"
    assert "没有换人" in w.duty.screen.error.text()
    assert w.pages["intake"] is intake and intake.has_input()
    # the clerk who was there comes back: nothing lost
    _unlock(qtbot, w, ui_runner, settle, "admin", "admin1234")
    assert not w.duty.locked and w.pages["intake"].has_input()


def test_a_takeover_clears_the_form_a_language_switch_keeps_it(
        main_window, clerk, ui_runner, settle, qtbot, type_text):
    """The window is rebuilt both ways: after the question a takeover starts the new clerk
    on a blank form (nothing of the previous clerk's under the new name), while a language
    switch carries what was typed across (c3's snapshot)."""
    w = main_window
    w.show_page("intake")
    type_text(w.pages["intake"].content.summary, "村道塌方")
    w.lock("switch")

    def answer_yes():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
            poll.stop()

    poll = QTimer()
    poll.timeout.connect(answer_yes)
    poll.start(20)
    _unlock(qtbot, w, ui_runner, settle, "clerk2", "clerk12345")
    qtbot.waitUntil(lambda: not w.duty.locked, timeout=10000)
    poll.stop()
    assert w.ctx.operator.login == "clerk2"
    intake = w.pages["intake"]
    assert not intake.has_input() and intake.content.summary.text() == ""
    type_text(intake.content.summary, "李值班登记的")
    w.set_language("en")
    try:
        assert w.pages["intake"] is not intake                        # rebuilt
        assert w.pages["intake"].content.summary.text() == "李值班登记的"
    finally:
        w.set_language("zh")
    assert w.pages["intake"].content.summary.text() == "李值班登记的"


def test_the_lock_minutes_are_a_setting(main_window, station_services, ui_runner, settle,
                                        qtbot):
    w = main_window
    w.show_page("settings")
    settle(ui_runner)
    settings = w.pages["settings"]
    assert settings.lock_minutes.value() == 15 and settings.lock_minutes.isEnabled()
    settings.lock_minutes.setValue(5)
    qtbot.mouseClick(settings.save_lock, Qt.MouseButton.LeftButton)
    settle(ui_runner)
    settle(ui_runner)
    assert settings.lock_result.text() == "已保存。"
    assert station_services.session.lock_minutes() == 5
    assert w.duty.idle.minutes == 5                       # the window follows at once
    assert not w.duty.idle.check(now=time.monotonic() + 4 * 60)
    assert w.duty.idle.check(now=time.monotonic() + 6 * 60) and w.duty.locked
