"""案件簿 on demo data: filters, search (text, name, pinyin), sorting, lazy paging, highlight."""
from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, Qt

from petition_core.enums import Category
from petition_core.pinyin import name_keys
from station_app.services import CaseQuery
from station_app.ui.casebook import OPEN_STATUSES, CasebookPage
from station_app.ui.casebook_model import COL_DUE, COL_NO, CasebookModel
from station_app.ui.theme import URGENCY_COLORS


@pytest.fixture
def book(demo_window, ui_runner, settle) -> CasebookPage:
    demo_window.show_page("casebook")
    settle(ui_runner)
    page = demo_window.pages["casebook"]
    assert page.model.rowCount() > 0
    return page


def _rows(page):
    return [page.model.row_at(i) for i in range(page.model.rowCount())]


def _apply(page, runner, settle):
    page.apply_filters()
    settle(runner)


def test_lists_every_case_newest_first(book, demo_services):
    total = demo_services.casebook.query(CaseQuery(limit=1)).total
    assert book.model.total == total == book.model.rowCount()
    received = [r.received_at for r in _rows(book)]
    assert received == sorted(received, reverse=True)
    assert f"共 {total} 件" in book.info.text()


def test_status_filter_open_only(book, ui_runner, settle, demo_services):
    book.status.setCurrentIndex(book.status.findText("未办结"))
    _apply(book, ui_runner, settle)
    rows = _rows(book)
    expected = demo_services.casebook.query(CaseQuery(statuses=OPEN_STATUSES, limit=500)).total
    assert len(rows) == expected
    assert all(r.status in OPEN_STATUSES for r in rows)


def test_category_filter(book, ui_runner, settle):
    category = Category(_category_of_first(book))
    book.category.setCurrentIndex(book.category.findData(category.value))
    _apply(book, ui_runner, settle)
    rows = _rows(book)
    assert rows and all(r.category_label == category.label for r in rows)


def _category_of_first(book) -> str:
    label = book.model.row_at(0).category_label
    return next(c.value for c in Category if c.label == label)


def test_search_by_case_number(book, ui_runner, settle, qtbot):
    target = book.model.row_at(3)
    qtbot.keyClicks(book.search, target.case_no)
    settle(ui_runner)
    qtbot.waitUntil(lambda: book.model.rowCount() == 1 and not book.model.is_loading(),
                    timeout=5000)
    assert book.model.row_at(0).case_id == target.case_id


def test_search_by_name_pinyin_initials(book, ui_runner, settle, qtbot):
    target = next(r for r in _rows(book) if r.petitioner_display not in ("匿名", ""))
    initials = min((k for k in name_keys(target.petitioner_display) if len(k) <= 4), key=len)
    qtbot.keyClicks(book.name, initials)
    qtbot.waitUntil(lambda: not book._debounce.isActive(), timeout=5000)
    settle(ui_runner)
    ids = {r.case_id for r in _rows(book)}
    assert target.case_id in ids
    assert len(ids) < book.model.total or len(ids) == 1 or book.model.total == len(ids)


def test_typing_is_debounced_into_one_query(book, ui_runner, settle, qtbot):
    starts = []
    book.model.loading_changed.connect(lambda on: starts.append(on) if on else None)
    qtbot.keyClicks(book.search, "zzzz")
    qtbot.waitUntil(lambda: not book._debounce.isActive(), timeout=5000)
    settle(ui_runner)
    assert starts == [True]
    assert book.model.rowCount() == 0
    assert "没有找到符合条件的案件" in book.info.text()


def test_sql_looking_search_is_just_text(book, ui_runner, settle, demo_services):
    book.search.setText("'; DROP TABLE event;--")
    _apply(book, ui_runner, settle)
    assert book.model.rowCount() == 0
    assert not book.error.isVisible()
    assert demo_services.casebook.query(CaseQuery(limit=1)).total > 0   # nothing dropped


def test_bad_name_query_shows_chinese_error_or_nothing(book, ui_runner, settle):
    book.name.setText("123###")
    _apply(book, ui_runner, settle)
    assert book.model.rowCount() == 0
    if book.error.isVisible():
        assert "姓名" in book.error.text() or "错误代码" not in book.error.text()


def test_overdue_filter_and_highlight(book, ui_runner, settle, demo_services):
    book.urgency.setCurrentIndex(book.urgency.findData("overdue"))
    _apply(book, ui_runner, settle)
    rows = _rows(book)
    assert len(rows) == demo_services.casebook.counts().overdue
    for i, row in enumerate(rows):
        assert row.urgency == "overdue"
        idx = book.model.index(i, COL_DUE)
        assert book.model.data(idx).startswith("逾期")
        bg = book.model.data(idx, Qt.ItemDataRole.BackgroundRole)
        assert bg.name() == URGENCY_COLORS["overdue"][1]


def test_sort_by_header_requeries(book, ui_runner, settle, qtbot):
    header = book.table.horizontalHeader()
    x = header.sectionPosition(COL_NO) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    settle(ui_runner)
    first = [r.case_no for r in _rows(book)]
    assert book.model.query.sort_key == "case_no"
    assert first in (sorted(first), sorted(first, reverse=True))
    book.table.sortByColumn(COL_NO, Qt.SortOrder.AscendingOrder)
    settle(ui_runner)
    asc = [r.case_no for r in _rows(book)]
    assert asc == sorted(asc) and asc == sorted(first)
    book.table.sortByColumn(COL_NO, Qt.SortOrder.DescendingOrder)
    settle(ui_runner)
    assert [r.case_no for r in _rows(book)] == sorted(first, reverse=True)


def test_lazy_fetching_in_pages(demo_services, ui_runner, settle):
    total = demo_services.casebook.query(CaseQuery(limit=1)).total
    model = CasebookModel(demo_services, ui_runner, page_size=7)
    model.set_query(CaseQuery())
    settle(ui_runner)
    assert model.rowCount() == 7 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
        settle(ui_runner)
    assert model.rowCount() == total
    ids = [model.row_at(i).case_id for i in range(total)]
    assert len(set(ids)) == total                      # no page fetched twice
    model.set_query(dataclasses.replace(CaseQuery(), text="no-such-thing-xyz"))
    settle(ui_runner)
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_double_click_opens_detail(demo_window, book, ui_runner, settle, qtbot):
    idx = book.model.index(2, COL_NO)
    rect = book.table.visualRect(idx)
    qtbot.mouseClick(book.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(book.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(ui_runner)
    assert demo_window.current_key() == "detail"
    assert demo_window.detail.detail.case_id == book.model.row_at(2).case_id


def test_scrolling_the_view_fetches_the_next_page(demo_services, ui_runner, settle, qtbot):
    """The view itself asks for more when scrolled to the end (no 'next page' button)."""
    from PySide6.QtWidgets import QTableView

    model = CasebookModel(demo_services, ui_runner, page_size=10)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.setModel(model)
    view.show()
    model.set_query(CaseQuery())
    settle(ui_runner)
    assert model.rowCount() == 10
    for _ in range(10):
        view.scrollToBottom()
        qtbot.wait(20)
        settle(ui_runner)
    assert model.rowCount() == model.total == demo_services.casebook.query(CaseQuery(limit=1)).total


def test_date_range_filter(book, ui_runner, settle, demo_services, qtbot):
    from PySide6.QtCore import QDate

    day = book.model.row_at(len(_rows(book)) // 2).received_at[:10]
    d = QDate.fromString(day, "yyyy-MM-dd")
    qtbot.mouseClick(book.use_dates, Qt.MouseButton.LeftButton)
    assert book.date_from.isEnabled()
    book.date_from.setDate(d.addDays(-10))
    book.date_to.setDate(d)
    _apply(book, ui_runner, settle)
    rows = _rows(book)
    lo, hi = d.addDays(-10).toString("yyyy-MM-dd"), day
    assert rows and all(lo <= r.received_at[:10] <= hi for r in rows)
    expected = demo_services.casebook.query(CaseQuery(date_from=lo, date_to=hi, limit=500)).total
    assert len(rows) == expected
    qtbot.mouseClick(book.use_dates, Qt.MouseButton.LeftButton)   # off again: everything back
    _apply(book, ui_runner, settle)
    assert book.model.rowCount() == demo_services.casebook.query(CaseQuery(limit=1)).total
