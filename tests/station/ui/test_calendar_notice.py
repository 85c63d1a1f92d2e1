"""Issue 8 item 1 on the real screens: a date counted without its year's holiday calendar
says so (case clocks, case book, dashboard, printed receipt), and 记录送达 through the
case page moves the 复查 window to the day the reply was received.

The holiday table is the county's override (``SUQIU_RESOURCES``, the same mechanism a
county uses to ship a new table): one that lacks this year and next, so the test does not
depend on today's date or on when the next notice is added to ``cn.json``.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from petition_core.resources import resources_root
from station_app.ui.casebook_model import COL_DUE
from station_app.ui.documents import document_html, load_document

THIS_YEAR = date.today().year


def _resources_with(tmp_path, years: dict) -> str:
    """A resources folder like the shipped one, with its own holiday table."""
    root = tmp_path / "resources"
    root.mkdir()
    real = resources_root()
    for sub in real.iterdir():
        if sub.name != "holidays":
            (root / sub.name).symlink_to(sub)
    (root / "holidays").mkdir()
    (root / "holidays" / "cn.json").write_text(
        json.dumps({"source": "test", "years": years}), encoding="utf-8")
    return str(root)


@pytest.fixture
def no_calendar(tmp_path, monkeypatch):
    """The table lacks this year and the next (it holds one old year only)."""
    monkeypatch.setenv("SUQIU_RESOURCES", _resources_with(
        tmp_path, {"2024": {"holidays": ["2024-01-01"], "workdays": []}}))


@pytest.fixture
def full_calendar(tmp_path, monkeypatch):
    """Every year from last year to three years ahead is loaded (no 调休 in them)."""
    monkeypatch.setenv("SUQIU_RESOURCES", _resources_with(
        tmp_path, {str(y): {"holidays": [f"{y}-01-01"], "workdays": []}
                   for y in range(THIS_YEAR - 1, THIS_YEAR + 3)}))


def _register(services, **over):
    from station_app.app import _sample_form

    op = services.accounts.authenticate("admin", "admin1234")
    form = _sample_form(services, 0)
    form.update(over)
    return services.intake.register(form, op)


def _open(window, case_id, runner, settle):
    window.open_case(case_id)
    settle(runner)
    return window.detail


def _column(tree, col):
    return [tree.topLevelItem(i).text(col) for i in range(tree.topLevelItemCount())]


def _shown_texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]


def test_case_clocks_say_the_year_is_not_loaded(no_calendar, station_services, main_window,
                                                ui_runner, settle):
    reg = _register(station_services)
    year = date.fromisoformat(reg.due_date).year
    page = _open(main_window, reg.case_id, ui_runner, settle)
    page.tabs.setCurrentIndex(2)                            # 办理时限
    assert page.tabs.tabText(2) == "办理时限"
    assert any(f"{year}年的放假安排尚未载入" in t for t in _shown_texts(page)), \
        "the case page does not say the year's calendar is not loaded"
    assert reg.due_missing_years == (year,)
    notice = page.clocks_view.notice
    assert notice.isVisible()
    assert notice.text().startswith(f"{year}年的放假安排尚未载入本系统")
    assert "法定节假日" in notice.text()
    assert all(due.endswith("（暂定）") for due in _column(page.clocks, 2))
    assert page.due.text().endswith("（暂定）") and page.due.toolTip() == notice.text()
    assert page.clocks.topLevelItem(0).toolTip(2) == notice.text()


def test_nothing_warns_when_the_years_are_loaded(full_calendar, station_services, main_window,
                                                 ui_runner, settle):
    reg = _register(station_services)
    assert reg.due_missing_years == ()
    page = _open(main_window, reg.case_id, ui_runner, settle)
    page.tabs.setCurrentWidget(page.clocks_view)
    assert page.clocks.topLevelItemCount() >= 1
    assert page.clocks_view.notice.isHidden() and page.clocks_view.notice.text() == ""
    assert not any("暂定" in due for due in _column(page.clocks, 2))
    assert "暂定" not in page.due.text() and page.due.text()
    main_window.show_page("dashboard")
    settle(ui_runner)
    dash = main_window.pages["dashboard"]
    assert dash.card_open.number.text() == "1"       # the counts did arrive
    assert dash.calendar.isHidden()


def test_case_book_dashboard_and_receipt_say_it_too(no_calendar, station_services, main_window,
                                                    ui_runner, settle):
    reg = _register(station_services)
    year = date.fromisoformat(reg.due_date).year
    main_window.show_page("casebook")
    settle(ui_runner)
    model = main_window.pages["casebook"].model
    row = next(i for i in range(model.rowCount()) if model.row_at(i).case_id == reg.case_id)
    index = model.index(row, COL_DUE)
    assert model.data(index).endswith("（暂定）")
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert tip.split("\n")[0] == model.data(index)     # the cell's whole text first
    assert f"\n到期日：{reg.due_date}" in tip and f"{year}年的放假安排尚未载入" in tip

    main_window.show_page("dashboard")
    settle(ui_runner)
    dash = main_window.pages["dashboard"]
    assert dash.calendar.isVisible() and f"{THIS_YEAR}年" in dash.calendar.text()
    assert dash.urgent.item(0, 0).text().endswith("（暂定）")

    html = document_html("receipt", load_document(station_services, "receipt", reg.case_id))
    assert f"本站尚未载入{year}年的放假安排" in html

    # the intake's success page, given what the service returned for the registration
    main_window.show_page("intake")
    success = main_window.pages["intake"].success
    success.show_registered(reg)
    assert f"{year}年的放假安排尚未载入本系统" in success.due.text()


def test_serve_through_the_case_page(full_calendar, station_services, main_window, ui_runner,
                                     settle, qtbot):
    """Conclude, then 记录送达 with the button and its dialog: the 复查 window moves from the
    conclusion to the day of service and the 'not recorded' note goes away."""
    from station_app.ui.action_dialogs import ServeDialog

    reg = _register(station_services)
    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.accept(reg.case_id, op)
    station_services.cases.conclude(reg.case_id, op, result="已解决", opinion="已修复。")
    page = _open(main_window, reg.case_id, ui_runner, settle)
    page.tabs.setCurrentWidget(page.clocks_view)
    assert page.clocks_view.notice.isVisible()
    labels = _column(page.clocks, 0)
    window = next(t for t in labels if t.startswith("收到书面答复之日起30日内可申请复查"))
    assert "未记录送达日期" in window
    assert "记录送达" in page.clocks_view.notice.text()
    assert "serve" in page.action_buttons

    def fill_and_submit():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ServeDialog)
        # a date in the future is refused inline by the service, nothing written
        dlg.widget("served_on").setMaximumDate(QDate.currentDate().addDays(5))
        dlg.widget("served_on").setDate(QDate.currentDate().addDays(1))
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.error_label("served_on").isVisible(), timeout=10000)
        assert dlg.error_label("served_on").text() == "时间不能晚于现在。"
        dlg.widget("served_on").setDate(QDate.currentDate())
        dlg.widget("method").setCurrentIndex(dlg.widget("method").findData("post"))
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_submit)
    assert page.run_action("serve") is True
    labels = _column(page.clocks, 0)
    assert not any("未记录送达日期" in t for t in labels)
    assert page.clocks_view.notice.isHidden()
    detail = station_services.cases.detail(reg.case_id)
    window = next(c for c in detail.clocks if c.key == "review_window")
    assert window.start == date.today().isoformat() and not window.served_missing
    assert detail.timeline[-1].type == "case.served"
    assert window.due >= (date.today() + timedelta(days=30)).isoformat()


def test_the_notices_follow_changes_made_elsewhere(no_calendar, station_services, main_window,
                                                   ui_runner, settle, qtbot):
    """The dashboard and the case book on screen hear of a registration made elsewhere (the
    runner's change broadcast) and mark its due date as counted without the year's
    calendar; no F5 needed."""
    from PySide6.QtCore import QObject

    main_window.show_page("dashboard")
    settle(ui_runner)
    dash = main_window.pages["dashboard"]
    assert dash.card_open.number.text() == "0" and dash.urgent.rowCount() == 0
    services = station_services
    ui_runner.submit(lambda: _register(services), owner=QObject())   # another screen
    settle(ui_runner)
    qtbot.waitUntil(lambda: dash.card_open.number.text() == "1", timeout=10000)
    settle(ui_runner)
    assert dash.calendar.isVisible() and "放假安排尚未载入" in dash.calendar.text()
    assert dash.urgent.item(0, 0).text().endswith("（暂定）")
    main_window.show_page("casebook")
    settle(ui_runner)
    model = main_window.pages["casebook"].model
    ui_runner.submit(lambda: _register(services), owner=QObject())
    settle(ui_runner)
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10000)
    for row in range(2):
        index = model.index(row, COL_DUE)
        assert model.data(index).endswith("（暂定）")
        assert "放假安排尚未载入" in model.data(index, Qt.ItemDataRole.ToolTipRole)
