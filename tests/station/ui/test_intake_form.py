"""The intake form, driven like a clerk would (qtbot keyClicks / mouseClick), on a real
migrated station database.  Every bad input must show its inline message and save nothing."""
from __future__ import annotations

import os
import sqlite3

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from stdnum.cn import ric

from station_app.ui import UiContext
from station_app.ui.i18n import UiPrefs
from station_app.ui.intake_form import IntakePage
from station_app.ui.runner import Runner

ADMIN = ("admin", "admin1234")
GOOD_ID = "11010519491231002X"        # the python-stdnum example: valid checksum
BAD_CHECKSUM = "110105194912310021"
SQL = "'; DROP TABLE event;--"


def type_text(qtbot, widget, text: str) -> None:
    """Type like a clerk: ASCII through key clicks, Chinese (and anything else) the way an
    input method delivers it — a committed string (QTest cannot synthesise CJK key presses)."""
    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and ch.isascii() and ch.isprintable():
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def toggle(qtbot, box) -> None:
    """Tick a check box with the keyboard (Space), as a keyboard-only clerk does."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def _with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum ignores the last char


@pytest.fixture
def ctx(services, tmp_paths):
    runner = Runner()
    op = services.accounts.authenticate(*ADMIN)
    yield UiContext(services=services, runner=runner, operator=op,
                    station=services.setup.station(), prefs=UiPrefs(tmp_paths.root))
    runner.shutdown()


@pytest.fixture
def page(ctx, qtbot):
    p = IntakePage(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 740)
    p.show()
    qtbot.waitExposed(p)
    return p


def counts(services) -> tuple[int, int]:
    """(events, cases) straight from the station database file."""
    con = sqlite3.connect(services.paths.db_path)
    try:
        return (con.execute("select count(*) from event").fetchone()[0],
                con.execute("select count(*) from case_index").fetchone()[0])
    finally:
        con.close()


def fill_minimal(qtbot, page: IntakePage, *, name: str = "张三",
                 summary: str = "反映村医保费被挪用", id_number: str = "",
                 account: str = "村医保费收了没有上交。") -> None:
    type_text(qtbot, page.petitioner.name, name)
    if id_number:
        type_text(qtbot, page.petitioner.id_number, id_number)
    page.content.category.setCurrentIndex(page.content.category.findData("social_security"))
    type_text(qtbot, page.content.summary, summary)
    if account:
        type_text(qtbot, page.content.account, account)


def click_save_expect_errors(qtbot, page: IntakePage) -> None:
    with qtbot.waitSignal(page.check_finished, timeout=10000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)


def click_save_expect_saved(qtbot, page: IntakePage) -> str:
    with qtbot.waitSignal(page.registered, timeout=10000) as blocker:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def error_of(page: IntakePage, path: str) -> str:
    return page.field_rows()[path].error()


# ---- defaults and the happy path -----------------------------------------------------------
def test_defaults_for_a_first_time_clerk(page, ctx):
    assert page.basics.channel.currentData() == "visit"
    assert page.basics.clerk.text() == ctx.operator.display_name
    assert abs(page.basics.received.dateTime().secsTo(QDateTime.currentDateTime())) < 120
    assert page.petitioner.address_division.code() == ctx.station.division
    assert page.content.category.currentData() == ""  # a real choice, not a silent default
    channels = {page.basics.channel.itemData(i) for i in range(page.basics.channel.count())}
    from petition_core.enums import Channel
    assert channels == {c.value for c in Channel}


def test_register_saves_one_case_and_shows_numbers(qtbot, page, services):
    before = counts(services)
    fill_minimal(qtbot, page, id_number=GOOD_ID)
    case_id = click_save_expect_saved(qtbot, page)
    assert counts(services) == (before[0] + 1, before[1] + 1)
    detail = services.cases.detail(case_id)
    assert page.success.case_no.text() == detail.case_no
    assert page.success.query_code.text() == detail.query_code
    assert detail.summary == "反映村医保费被挪用"
    assert detail.petitioner["id_number"] == GOOD_ID
    assert detail.channel == "visit"
    assert page.stack.currentIndex() == 1
    # 继续登记 gives an empty form again
    qtbot.mouseClick(page.success.continue_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 0
    assert page.petitioner.name.text() == "" and page.content.summary.text() == ""


def test_sql_fragment_is_saved_verbatim(qtbot, page, services):
    fill_minimal(qtbot, page, summary=SQL, account="")
    type_text(qtbot, page.content.account, SQL)
    type_text(qtbot, page.content.demands, SQL)
    type_text(qtbot, page.petitioner.address_detail, SQL)
    page.subject.level.setCurrentIndex(page.subject.level.findData("village_cadre"))
    type_text(qtbot, page.subject.unit, SQL)
    case_id = click_save_expect_saved(qtbot, page)
    detail = services.cases.detail(case_id)
    assert detail.summary == SQL and detail.account == SQL and detail.demands == SQL
    assert detail.subject["unit"] == SQL
    assert detail.petitioner["address_detail"] == SQL
    assert counts(services)[0] == 1  # the event table is still there, with our event


def test_anonymous_hides_and_clears_identity(qtbot, page, services):
    type_text(qtbot, page.petitioner.name, "王五")
    type_text(qtbot, page.petitioner.id_number, GOOD_ID)
    toggle(qtbot, page.petitioner.anonymous)
    assert page.petitioner.anonymous.isChecked()
    assert page.petitioner.name.text() == "" and page.petitioner.id_number.text() == ""
    assert page.field_rows()["petitioner.name"].isHidden()
    page.content.category.setCurrentIndex(page.content.category.findData("discipline"))
    type_text(qtbot, page.content.summary, "反映村副书记侵占医保费")
    type_text(qtbot, page.content.account, "村副书记收了医保费没有上交。")
    case_id = click_save_expect_saved(qtbot, page)
    detail = services.cases.detail(case_id)
    assert detail.petitioner.get("anonymous") is True
    assert not detail.petitioner.get("name") and not detail.petitioner.get("id_number")


# ---- bad input at every field: inline message, nothing saved --------------------------------
def test_empty_required_fields_all_marked_and_first_focused(qtbot, page, services):
    before = counts(services)
    click_save_expect_errors(qtbot, page)
    for path in ("petitioner.name", "category", "summary", "account"):
        assert error_of(page, path) == "此项必须填写。", path
    assert page.petitioner.name.property("invalid") is True
    assert page.petitioner.name.hasFocus()  # first error, in form order
    assert "4 处需要修改" in page.status.text()
    assert counts(services) == before
    assert page.stack.currentIndex() == 0


def _long_summary(qtbot, page):
    fill_minimal(qtbot, page, summary="长" * 101)


def _long_name(qtbot, page):
    fill_minimal(qtbot, page, name="名" * 31)


def _long_account(qtbot, page):
    fill_minimal(qtbot, page)
    page.content.account.setPlainText("字" * 5001)  # typing 5001 keys would only slow the test


def _control_summary(qtbot, page):
    fill_minimal(qtbot, page)
    page.content.summary.setText("反映\u0007问题")


def _control_account(qtbot, page):
    fill_minimal(qtbot, page)
    page.content.account.setPlainText("经过\u200b说明")


def _emoji_summary(qtbot, page):
    fill_minimal(qtbot, page, summary="路灯坏了😀")


def _emoji_name(qtbot, page):
    fill_minimal(qtbot, page, name="张😀")


def _bad_checksum(qtbot, page):
    fill_minimal(qtbot, page, id_number=BAD_CHECKSUM)


def _bad_id_format(qtbot, page):
    fill_minimal(qtbot, page, id_number="12345")


def _bad_phone(qtbot, page):
    fill_minimal(qtbot, page)
    type_text(qtbot, page.petitioner.phone, "1380013")


def _sql_phone(qtbot, page):
    fill_minimal(qtbot, page)
    type_text(qtbot, page.petitioner.phone, SQL)


def _future_date(qtbot, page):
    fill_minimal(qtbot, page)
    page.basics.received.setDateTime(QDateTime.currentDateTime().addDays(1))


def _long_address(qtbot, page):
    fill_minimal(qtbot, page)
    type_text(qtbot, page.petitioner.address_detail, "址" * 101)


def _long_subject_unit(qtbot, page):
    fill_minimal(qtbot, page)
    page.subject.level.setCurrentIndex(page.subject.level.findData("village_cadre"))
    type_text(qtbot, page.subject.unit, "单" * 61)


def _emoji_subject(qtbot, page):
    fill_minimal(qtbot, page)
    page.subject.level.setCurrentIndex(page.subject.level.findData("township_cadre"))
    type_text(qtbot, page.subject.name, "李🙂")


def _long_demands(qtbot, page):
    fill_minimal(qtbot, page)
    page.content.demands.setPlainText("求" * 1001)


def _rep_without_name(qtbot, page):
    fill_minimal(qtbot, page)
    toggle(qtbot, page.group.is_group)
    qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, page.group.representatives[0].phone, "13800138000")


def _rep_bad_id(qtbot, page):
    fill_minimal(qtbot, page)
    toggle(qtbot, page.group.is_group)
    qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, page.group.representatives[0].name, "赵六")
    type_text(qtbot, page.group.representatives[0].id_number, BAD_CHECKSUM)


def _rep_bad_phone(qtbot, page):
    fill_minimal(qtbot, page)
    toggle(qtbot, page.group.is_group)
    qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, page.group.representatives[0].name, "钱七")
    type_text(qtbot, page.group.representatives[0].phone, "0000")


def _rep_long_name(qtbot, page):
    fill_minimal(qtbot, page)
    toggle(qtbot, page.group.is_group)
    qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, page.group.representatives[0].name, "代" * 31)


BAD_INPUTS = [
    (_long_summary, "summary", "最多 100 个字"),
    (_long_name, "petitioner.name", "最多 30 个字"),
    (_long_account, "account", "最多 5000 个字"),
    (_long_demands, "demands", "最多 1000 个字"),
    (_long_address, "petitioner.address_detail", "最多 100 个字"),
    (_long_subject_unit, "subject.unit", "最多 60 个字"),
    (_control_summary, "summary", "控制字符"),
    (_control_account, "account", "控制字符"),
    (_emoji_summary, "summary", "表情符号"),
    (_emoji_name, "petitioner.name", "表情符号"),
    (_emoji_subject, "subject.name", "表情符号"),
    (_bad_checksum, "petitioner.id_number", "校验位不对"),
    (_bad_id_format, "petitioner.id_number", "应为18位"),
    (_bad_phone, "petitioner.phone", "电话号码不对"),
    (_sql_phone, "petitioner.phone", "电话号码不对"),
    (_future_date, "received_at", "不能晚于现在"),
    (_rep_without_name, "group.representatives.0.name", "此项必须填写"),
    (_rep_bad_id, "group.representatives.0.id_number", "校验位不对"),
    (_rep_bad_phone, "group.representatives.0.phone", "电话号码不对"),
    (_rep_long_name, "group.representatives.0.name", "最多 30 个字"),
]


@pytest.mark.parametrize("fill,path,expected", BAD_INPUTS,
                         ids=[f[0].__name__.strip("_") for f in BAD_INPUTS])
def test_bad_input_shows_inline_message_and_saves_nothing(qtbot, page, services, fill, path,
                                                          expected):
    before = counts(services)
    fill(qtbot, page)
    click_save_expect_errors(qtbot, page)
    assert expected in error_of(page, path), (path, error_of(page, path))
    others = {p: r.error() for p, r in page.field_rows().items() if r.error() and p != path}
    assert not others, others
    assert counts(services) == before
    assert page.stack.currentIndex() == 0
    assert page.field_rows()[path].editor.hasFocus()


def test_sixth_representative_cannot_be_added(qtbot, page, services):
    toggle(qtbot, page.group.is_group)
    for _ in range(5):
        qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
    assert len(page.group.representatives) == 5
    assert page.group.group_message() == ""
    qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
    assert len(page.group.representatives) == 5
    assert "不能超过 5 人" in page.group.group_message()
    assert "第18条" in page.group.group_message()
    # removing one makes room again and clears the message
    qtbot.mouseClick(page.group.representatives[0].remove, Qt.MouseButton.LeftButton)
    assert len(page.group.representatives) == 4 and page.group.group_message() == ""
    assert counts(services) == (0, 0)


def test_group_visit_with_representatives_is_saved(qtbot, page, services):
    fill_minimal(qtbot, page)
    toggle(qtbot, page.group.is_group)
    page.group.group_size.setValue(12)
    for name in ("甲一", "乙二"):
        qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
        type_text(qtbot, page.group.representatives[-1].name, name)
    case_id = click_save_expect_saved(qtbot, page)
    group = services.cases.detail(case_id).group
    assert group["size"] == 12
    assert [r["name"] for r in group["representatives"]] == ["甲一", "乙二"]


# ---- checks when leaving a field -------------------------------------------------------------
def test_id_checksum_error_shown_when_leaving_the_field(qtbot, page):
    type_text(qtbot, page.petitioner.id_number, BAD_CHECKSUM)
    page.petitioner.id_number.editingFinished.emit()
    assert "校验位不对" in error_of(page, "petitioner.id_number")
    page.petitioner.id_number.clear()
    type_text(qtbot, page.petitioner.id_number, GOOD_ID)
    page.petitioner.id_number.editingFinished.emit()
    assert error_of(page, "petitioner.id_number") == ""


def test_unknown_area_code_is_only_a_warning(qtbot, page, services):
    odd = _with_check_digit("99010519800101001")  # checksum right, area code unknown
    fill_minimal(qtbot, page, id_number=odd)
    page.petitioner.id_number.editingFinished.emit()
    row = page.field_rows()["petitioner.id_number"]
    assert row.error() == "" and "地区码" in row.warning()
    case_id = click_save_expect_saved(qtbot, page)  # a warning does not block saving
    assert services.cases.detail(case_id).petitioner["id_number"] == odd


def test_this_countys_code_of_an_adult_gives_no_warning(qtbot, page):
    """Issue 8: 530921 (凤庆县 since 2003/04) with birth year 1975 is a valid number; the
    form said "地区码不在现行区划中" for most adults."""
    fill_minimal(qtbot, page, id_number=_with_check_digit("53092119750608001"))
    page.petitioner.id_number.editingFinished.emit()
    row = page.field_rows()["petitioner.id_number"]
    assert (row.error(), row.warning()) == ("", "")


# ---- issue 8 C10: an error follows the value -------------------------------------------------
def test_error_goes_away_as_soon_as_the_field_is_fixed(qtbot, page, services):
    click_save_expect_errors(qtbot, page)
    assert error_of(page, "petitioner.name") == "此项必须填写。"
    assert error_of(page, "account") == "此项必须填写。"
    type_text(qtbot, page.petitioner.name, "张")          # fixed: red goes at once, no Tab
    assert error_of(page, "petitioner.name") == ""
    assert page.petitioner.name.property("invalid") is False
    type_text(qtbot, page.content.account, "经过")
    assert error_of(page, "account") == ""
    page.content.summary.setFocus()
    qtbot.keyClicks(page.content.summary, "x" * 101)      # fixed, then wrong in another way
    assert error_of(page, "summary") == ""                # (not said while typing)
    qtbot.keyClick(page.content.summary, Qt.Key.Key_Tab)
    assert "最多 100 个字" in error_of(page, "summary")    # said on leaving
    page.content.summary.setFocus()
    qtbot.keyClick(page.content.summary, Qt.Key.Key_End)
    qtbot.keyClick(page.content.summary, Qt.Key.Key_Backspace)
    assert error_of(page, "summary") == ""                # and gone at once when fixed
    assert error_of(page, "category") == "此项必须填写。"   # untouched fields keep theirs
    assert "有 1 处需要修改" in page.status.text()          # the count follows the red fields
    page.content.category.setFocus()
    qtbot.keyClick(page.content.category, Qt.Key.Key_Down)
    assert error_of(page, "category") == ""
    assert page.status.text() == ""                       # the count went with the last one
    assert counts(services) == (0, 0)


def test_bad_value_flagged_when_leaving_the_field(qtbot, page):
    page.activateWindow()
    page.petitioner.phone.setFocus()
    qtbot.keyClicks(page.petitioner.phone, "1380013")
    assert error_of(page, "petitioner.phone") == ""       # not while typing
    qtbot.keyClick(page.petitioner.phone, Qt.Key.Key_Tab)
    assert "电话号码不对" in error_of(page, "petitioner.phone")
    page.petitioner.phone.setFocus()
    qtbot.keyClicks(page.petitioner.phone, "8000")         # 13800138000: fixed while typing
    assert error_of(page, "petitioner.phone") == ""
    page.content.account.setFocus()
    qtbot.keyClick(page.content.account, Qt.Key.Key_Tab)   # passing through: no nagging
    assert error_of(page, "account") == ""
    page.content.account.setFocus()
    page.content.account.setPlainText("经过\u200b说明")
    qtbot.keyClick(page.content.account, Qt.Key.Key_Tab)   # leaving a multi-line box
    assert "控制字符" in error_of(page, "account")


def test_eleven_digits_with_a_wrong_prefix_say_so(qtbot, page):
    page.activateWindow()
    page.petitioner.phone.setFocus()
    qtbot.keyClicks(page.petitioner.phone, "12345678901")
    qtbot.keyClick(page.petitioner.phone, Qt.Key.Key_Tab)
    text = error_of(page, "petitioner.phone")
    assert "开头不对" in text and "11位" not in text


def test_empty_account_is_refused(qtbot, page, services):
    fill_minimal(qtbot, page, account="")
    click_save_expect_errors(qtbot, page)
    assert error_of(page, "account") == "此项必须填写。"
    assert page.content.account.hasFocus()
    assert "（必填）" in page.field_rows()["account"].label.text()
    assert counts(services) == (0, 0)


def test_future_received_time_flagged_on_leave(qtbot, page):
    page.basics.received.setDateTime(QDateTime.currentDateTime().addSecs(3600))
    page.basics.received.editingFinished.emit()
    assert error_of(page, "received_at") == "时间不能晚于现在。"


# ---- keyboard only ------------------------------------------------------------------------
def test_tab_walks_the_form_in_reading_order(qtbot, page):
    page.activateWindow()
    page.petitioner.name.setFocus()
    qtbot.waitUntil(page.petitioner.name.hasFocus, timeout=2000)
    qtbot.keyClick(page.petitioner.name, Qt.Key.Key_Tab)
    assert page.petitioner.id_number.hasFocus()
    qtbot.keyClick(page.petitioner.id_number, Qt.Key.Key_Tab)
    assert page.petitioner.phone.hasFocus()
    page.content.summary.setFocus()
    qtbot.keyClick(page.content.summary, Qt.Key.Key_Tab)
    assert page.content.account.hasFocus()
    qtbot.keyClick(page.content.account, Qt.Key.Key_Tab)  # Tab leaves a multi-line box
    assert page.content.demands.hasFocus()


def test_tab_leaves_the_received_time_at_once(qtbot, page):
    """Qt's date-time field took five Tabs (year, month, day, hour, minute) to leave."""
    page.activateWindow()
    page.basics.channel.setFocus()
    qtbot.waitUntil(page.basics.channel.hasFocus, timeout=2000)
    qtbot.keyClick(page.basics.channel, Qt.Key.Key_Tab)
    assert page.basics.received.hasFocus()
    qtbot.keyClick(page.basics.received, Qt.Key.Key_Tab)
    assert page.petitioner.anonymous.hasFocus()
    qtbot.keyClick(page.petitioner.anonymous, Qt.Key.Key_Backtab)
    assert page.basics.received.hasFocus()


def test_keyboard_only_registration(qtbot, page, services):
    fill_minimal(qtbot, page)
    with qtbot.waitSignal(page.registered, timeout=10000):
        qtbot.keyClick(page.content.summary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert counts(services)[1] == 1


# ---- warnings: shown once, then the clerk may save ------------------------------------------
def test_large_group_without_representatives_warns_once(qtbot, page, services):
    fill_minimal(qtbot, page)
    toggle(qtbot, page.group.is_group)
    page.group.group_size.setValue(8)
    click_save_expect_errors(qtbot, page)
    assert "推选代表" in page.group.group_message()
    assert "再点" in page.status.text()
    assert counts(services) == (0, 0)
    click_save_expect_saved(qtbot, page)  # seen and accepted: the second 保存 saves
    assert counts(services)[1] == 1


def test_area_code_warning_on_save_without_leaving_field(qtbot, page, services):
    odd = _with_check_digit("99010519800101001")
    fill_minimal(qtbot, page, id_number=odd)
    click_save_expect_errors(qtbot, page)
    assert "地区码" in page.field_rows()["petitioner.id_number"].warning()
    assert counts(services) == (0, 0)
    case_id = click_save_expect_saved(qtbot, page)
    assert services.cases.detail(case_id).petitioner["id_number"] == odd


def test_clear_asks_before_throwing_input_away(qtbot, page):
    from PySide6.QtWidgets import QMessageBox
    assert not page.has_input()
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)  # empty form: no question
    type_text(qtbot, page.content.summary, "反映路灯不亮")
    assert page.has_input()

    def answer(button) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(button).click()

    from PySide6.QtCore import QTimer
    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.content.summary.text() == "反映路灯不亮"
    QTimer.singleShot(50, lambda: answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.content.summary.text() == ""


def test_double_save_registers_once(qtbot, page, services):
    fill_minimal(qtbot, page)
    with qtbot.waitSignal(page.registered, timeout=10000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # impatient clerk
        page.save()
    qtbot.waitUntil(lambda: not page.ctx.runner.is_busy(), timeout=5000)
    qtbot.wait(50)
    assert counts(services) == (1, 1)
