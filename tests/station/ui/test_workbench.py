"""The county workbench (issue 9 item 4) in the real main window, offscreen: a county
station with cases in several queues shows the right counts and badges, Enter opens a
case, 批量督办 writes one case.urged per selected case (one refusal reported, the others
done); a village station shows no workbench."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from station_app.paths import AppPaths
from station_app.store import apply_remote_events, case_events
from station_app.ui.main_window import PAGE_WORKBENCH
from station_app.ui.workbench import WorkbenchPage

COUNTY = "530921000000"
MZ = "530921000000.mz"
ADMIN = ("admin", "admin1234")


def _ship(src, dst, case_id: str) -> None:
    with src.store.read() as s:
        events = case_events(s, case_id)
    with dst.store.session() as s:
        apply_remote_events(s, events)


def _form(services, summary: str, days_ago: int = 1) -> dict:
    return {"channel": "visit", "category": "land", "statute_type": "appeal",
            "received_at": (datetime.now().astimezone() - timedelta(days=days_ago))
            .isoformat(timespec="minutes"),
            "petitioner": {"name": "李建华", "id_number": "53092119800101123X",
                           "phone": "13812345678", "address_division": "530921108203",
                           "address_detail": "大村村民小组"},
            "summary": summary, "account": "情况说明。", "demands": "请求处理"}


def _in(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def county(tmp_path):
    from station_app.services import StationServices

    paths = AppPaths(tmp_path / "county").ensure()
    svc = StationServices.open(paths)
    svc.setup.initialise(COUNTY, "凤庆县群众诉求中心", *ADMIN, "管理员")
    yield svc, paths
    svc.close()


@pytest.fixture
def county_cases(county, station_services):
    """Two cases transferred up from the village (待签收), one signed (待受理), two of the
    county's own assigned to 县民政局 long overdue (已超期, the county may urge them), one it
    handles itself, overdue too (已超期, but not the county's to urge)."""
    svc, _paths = county
    village = station_services
    vop = village.accounts.authenticate(*ADMIN)
    cop = svc.accounts.authenticate(*ADMIN)
    ids: dict[str, str] = {}
    for name in ("up1", "up2", "up3"):
        cid = village.intake.register(_form(village, f"村里转来{name}"), vop).case_id
        village.cases.accept(cid, vop)
        village.cases.transfer(cid, vop, to_division=COUNTY, note="转县")
        _ship(village, svc, cid)
        ids[name] = cid
    svc.cases.sign(ids["up3"], cop)
    past = datetime.now().astimezone() - timedelta(days=100)
    for name in ("mz1", "mz2", "own"):
        cid = svc.intake.register(_form(svc, f"县里登记{name}", days_ago=100), cop).case_id
        svc.cases.now = lambda: (past + timedelta(days=2)).isoformat(timespec="seconds")
        svc.cases.accept(cid, cop)
        svc.cases.now = lambda: datetime.now().astimezone().isoformat(timespec="seconds")
        if name != "own":
            svc.cases.assign(cid, cop, to_division=COUNTY, to_unit=MZ, due=_in(10))
        ids[name] = cid
    return ids


def _queue_texts(page: WorkbenchPage) -> dict[str, str]:
    return {page.queue_list.item(i).data(Qt.ItemDataRole.UserRole + 10):
            page.queue_list.item(i).text() for i in range(page.queue_list.count())}


def _nav_text(window) -> str:
    return window.nav.item(window._page_order.index(PAGE_WORKBENCH)).text()


def test_county_workbench_counts_badges_and_enter_opens(county, county_cases, window_factory,
                                                        qtbot, ui_runner, settle):
    svc, paths = county
    window = window_factory(svc, paths)
    settle(ui_runner)
    assert _nav_text(window) == "工作队列 新2"                 # two wait to be signed for
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    settle(ui_runner)
    assert window.current_key() == PAGE_WORKBENCH
    page = window.pages[PAGE_WORKBENCH]
    texts = _queue_texts(page)
    assert texts["incoming"] == "待签收  2" and texts["to_accept"] == "待受理  1"
    assert texts["overdue"] == "已超期  3" and texts["in_hand"] == "办理中  1"
    assert texts["report_review"] == "待审核办结" and texts["urged"] == "督办中"
    # the first queue is on screen; Down in the list moves to 待受理
    assert page.model.queue == "incoming" and page.model.rowCount() == 2
    page.queue_list.setFocus()
    qtbot.keyClick(page.queue_list, Qt.Key.Key_Down)
    settle(ui_runner)
    assert page.model.queue == "to_accept" and page.model.rowCount() == 1
    assert not page.batch_button.isVisible()                # only in 已超期 / 即将超期
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settle(ui_runner)
    assert window.current_key() == "detail"
    assert window.detail.case_id == county_cases["up3"]


def test_batch_urge_from_the_overdue_queue(county, county_cases, window_factory, qtbot,
                                           ui_runner, settle, type_text):
    svc, paths = county
    window = window_factory(svc, paths)
    window.show_page(PAGE_WORKBENCH)
    settle(ui_runner)
    page = window.pages[PAGE_WORKBENCH]
    page.show_queue("overdue")
    settle(ui_runner)
    assert page.model.rowCount() == 3
    assert page.batch_button.isVisible() and not page.batch_button.isEnabled()
    sel = page.table.selectionModel()
    for r in range(3):
        sel.select(page.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    assert page.batch_button.isEnabled()
    qtbot.mouseClick(page.batch_button, Qt.MouseButton.LeftButton)
    dlg = page.urge_dialog
    assert dlg is not None and dlg.isVisible()
    # an empty note is refused in the dialog; nothing is sent
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.isVisible() and dlg.error.isVisible()
    type_text(dlg.note, "超期未办结，请三日内报结")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    settle(ui_runner)
    assert not dlg.isVisible()
    urged = {}
    with svc.store.read() as s:
        for name, cid in county_cases.items():
            urged[name] = [e for e in case_events(s, cid) if e.type == "case.urged"]
    assert len(urged["mz1"]) == 1 and len(urged["mz2"]) == 1
    assert urged["mz1"][0].data()["note"] == "超期未办结，请三日内报结"
    assert urged["own"] == []                      # its own case: not the county's to urge
    assert "已督办 2 件。" in page.result.text()
    assert "1 件未能督办" in page.error.text()
    assert svc.setup.station().division == COUNTY
    # the list follows: 督办中 now holds the two urged cases
    texts = _queue_texts(page)
    assert texts["urged"] == "督办中  2"


def test_village_station_has_no_workbench(main_window):
    assert PAGE_WORKBENCH not in main_window.pages
    assert all(main_window.nav.item(i).text() != "工作队列"
               for i in range(main_window.nav.count()))


def test_english_and_large_font_show_whole_queue_names_badge_and_case_numbers(
        county, county_cases, window_factory, ui_runner, settle):
    """Tried under Xvfb: in English with large font the queue list cut "Reports to review 2"
    behind a scroll bar, the navigation cut "Work queues 3 new" and the table cut the case
    numbers.  The list and the navigation now fit their widest item, and the table sizes
    its columns like the case book."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from station_app.ui.casebook_model import COL_NO
    from station_app.ui.caseno import case_no_width

    svc, paths = county
    window = window_factory(svc, paths)
    settle(ui_runner)
    window.set_language("en")
    window.large_action.trigger()
    settle(ui_runner)
    QApplication.processEvents()
    window.show_page(PAGE_WORKBENCH)
    settle(ui_runner)
    QApplication.processEvents()
    page = window.pages[PAGE_WORKBENCH]
    texts = _queue_texts(page)
    assert texts["report_review"] == "Reports to review"   # the English name …
    lst = page.queue_list
    for i in range(lst.count()):                            # … and every name fits whole
        it = lst.item(i)
        assert QFontMetrics(it.font()).horizontalAdvance(it.text()) < lst.viewport().width()
    nav = window.nav
    item = nav.item(window._page_order.index(PAGE_WORKBENCH))
    assert "new" in item.text()
    # the navigation keeps its width (the window must fit 1366 pixels) and wraps the item
    assert nav.width() == 180 and nav.wordWrap()
    fm = QFontMetrics(item.font())
    rect = nav.visualItemRect(item)
    wrapped = fm.boundingRect(QRect(0, 0, rect.width() - 24, 10_000),
                              int(Qt.TextFlag.TextWordWrap), item.text())
    assert wrapped.height() <= rect.height()
    assert window.minimumSizeHint().width() <= 1366
    assert page.table.columnWidth(COL_NO) >= case_no_width(page.table)
    window.set_language("zh")
