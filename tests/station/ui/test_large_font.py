"""Large-font mode (大字模式), issue 8 C11: case numbers are never cut from the right, and
check boxes grow with the text."""
from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton

from station_app.ui.casebook_model import COL_NO

# with a series since protocol 2: a station number (n ≥ 2) or, before enrollment (the demo
# station), a 4-letter provisional tag
CASE_NO = re.compile(r"^\d{12}-\d{4}-(?:[0-9A-Z]{1,4}-)?\d{4}$")
SERIAL_END = re.compile(r"-\d{4}-(?:[0-9A-Z]{1,4}-)?\d{4}$")


def _text_room(view, column: int) -> int:
    style = view.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return view.columnWidth(column) - 2 * margin


def _large_font_on(window, ui_runner, settle) -> None:
    window.large_action.trigger()          # 显示 → 大字模式, as the clerk does it
    settle(ui_runner)
    QApplication.processEvents()
    assert window.ctx.prefs.large_font


def test_case_book_shows_whole_case_numbers_after_switching_to_large_font(
        demo_window, ui_runner, settle):
    demo_window.show_page("casebook")
    settle(ui_runner)
    page = demo_window.pages["casebook"]
    _large_font_on(demo_window, ui_runner, settle)   # switched while the case book is shown
    table, model = page.table, page.model
    assert model.rowCount() > 5
    fm = QFontMetrics(table.font())
    assert table.font().pointSizeF() > 14             # the large font reached the table
    for row in range(model.rowCount()):
        case_no = model.data(model.index(row, COL_NO))
        assert CASE_NO.match(case_no)
        assert fm.horizontalAdvance(case_no) <= _text_room(table, COL_NO), case_no

    from station_app.ui.caseno import CaseNoDelegate

    delegate = table.itemDelegateForColumn(COL_NO)
    assert isinstance(delegate, CaseNoDelegate)
    for row in range(model.rowCount()):
        index = model.index(row, COL_NO)
        assert delegate.shown_text(table, index) == model.data(index)


def test_a_narrow_case_number_column_keeps_year_and_serial(demo_window, ui_runner, settle):
    demo_window.show_page("casebook")
    settle(ui_runner)
    table, model = demo_window.pages["casebook"].table, demo_window.pages["casebook"].model
    table.setColumnWidth(COL_NO, QFontMetrics(table.font()).horizontalAdvance(
        "5309…-2026-WWWW-0000") + 20)    # the clerk dragged the column narrow
    delegate = table.itemDelegateForColumn(COL_NO)
    for row in range(model.rowCount()):
        index = model.index(row, COL_NO)
        case_no, shown = model.data(index), delegate.shown_text(table, index)
        tail = case_no[case_no.index("-"):]          # year, series, serial
        assert "…" in shown and shown.endswith(tail), (case_no, shown)
        assert shown.startswith(case_no[:2])


def test_dashboard_shows_whole_case_numbers_in_large_font(demo_window, ui_runner, settle):
    _large_font_on(demo_window, ui_runner, settle)
    demo_window.show_page("dashboard")
    settle(ui_runner)
    table = demo_window.pages["dashboard"].urgent
    assert table.rowCount() > 0
    fm = QFontMetrics(table.font())
    for row in range(table.rowCount()):
        case_no = table.item(row, 1).text()
        assert CASE_NO.match(case_no)
        assert fm.horizontalAdvance(case_no) <= _text_room(table, 1), case_no


@pytest.mark.parametrize("width_chars", [22, 18, 14, 11, 8])
def test_elide_case_no_cuts_inside_the_division_code(qapp, width_chars):
    from station_app.ui.caseno import elide_case_no

    fm = QFontMetrics(QFont("Noto Sans CJK SC", 12))
    case_no = "530921108203-2026-0007"
    width = fm.horizontalAdvance("0" * width_chars)
    shown = elide_case_no(case_no, fm, width)
    assert fm.horizontalAdvance(shown) <= width
    if width_chars >= 22:
        assert shown == case_no
    elif width_chars >= 13:
        assert shown.endswith("-2026-0007") and "…" in shown.split("-")[0]
    else:
        assert shown.endswith("0007")            # the serial is the last thing to go
    assert elide_case_no("（未同步到本站的案件）", fm, width)  # other text: shortened, not lost


def _indicator_width(box: QCheckBox) -> int:
    opt = QStyleOptionButton()
    opt.initFrom(box)
    return box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, box).width()


def test_check_boxes_grow_with_the_font(main_window, ui_runner, settle):
    main_window.show_page("intake")
    settle(ui_runner)
    box = main_window.pages["intake"].petitioner.anonymous
    normal = _indicator_width(box)
    _large_font_on(main_window, ui_runner, settle)
    box = main_window.pages["intake"].petitioner.anonymous
    large = _indicator_width(box)
    assert large >= normal * 1.3, (normal, large)
    assert large >= QFontMetrics(box.font()).height() * 0.6
