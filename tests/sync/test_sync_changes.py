"""The sync tells the screens what it changed (issue 8, C14), and the 同步 page speaks to
clerks (C15, C16), against a real server process.

* SyncOutcome.changes names exactly the cases a pull brought news of;
* an open case at the township is refreshed when the automatic sync pulls the village's
  new record on it (the real window, the real loop);
* the page says 县服务器 (its address only in a details line) and sizes in plain words, and
  the status-bar line follows the UI language.
"""
from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from petition_core.enums import Role  # noqa: E402
from petition_core.events import EventDraft, EventType  # noqa: E402
from station_app.paths import AppPaths  # noqa: E402
from station_app.services.sync_service import SyncService  # noqa: E402
from station_app.store import append_events  # noqa: E402

from .stations import register_cases  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def _case_by_query(s, event_id: str) -> str:
    from sqlalchemy import select

    from station_app.store.models import EventRow

    return s.scalars(select(EventRow.case_id).where(EventRow.event_id == event_id)).one()


def test_a_sync_reports_the_cases_it_brought_news_of(server, station_factory, area):
    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    [eid] = register_cases(village, 1)
    with village.store.read() as s:
        case_id = _case_by_query(s, eid)
    pushed = SyncService(village.store, village.paths).sync_now()
    assert pushed.sent == 1 and not pushed.changes.cases and pushed.changes.outbox
    pulled = SyncService(township.store, township.paths).sync_now()
    assert pulled.changes.cases == frozenset({case_id})
    again = SyncService(township.store, township.paths).sync_now()
    assert not again.changes.cases                       # nothing new: nothing to refresh
    # the township records on the village's case; the village's pull names that case only
    register_cases(village, 1)   # a second case of the village's own (not news to it)
    SyncService(village.store, village.paths).sync_now()
    with township.store.session() as s:
        # 督办 from the township above (the permission matrix lets a level above urge a
        # village's case, not note progress on it); it routes nowhere (no route on the wire)
        append_events(s, [EventDraft(case_id=case_id, type=EventType.URGED,
                                     data={"note": "乡镇督办",
                                           "at": "2026-05-01T10:00:00+08:00"})],
                          "zhen01")
    SyncService(township.store, township.paths).sync_now()
    back = SyncService(village.store, village.paths).sync_now()
    assert back.changes.cases == frozenset({case_id})


@pytest.fixture
def two_stations(own_server, tmp_path):
    """A real village station and its township, both set up and enrolled."""
    from station_app.services import StationServices

    made = []

    def make(name: str, division: str, login: str, role: Role) -> StationServices:
        svc = StationServices.open(AppPaths(tmp_path / name))
        svc.setup.initialise(division, name, login, login + "12345", "值班员" + login, role)
        svc.sync.enroll(own_server.url, own_server.enroll_code(division))
        made.append(svc)
        return svc

    village = make("鹿鸣村群众诉求站", "530921108203", "cun01", Role.ADMIN)
    township = make("洛党镇群众诉求中心", "530921108000", "zhen01", Role.ADMIN)
    yield village, township
    for svc in made:
        svc.close()


def _window(services, login: str, qtbot, tmp_path):
    from station_app.ui import UiContext
    from station_app.ui.i18n import UiPrefs
    from station_app.ui.main_window import MainWindow
    from station_app.ui.runner import Runner

    runner = Runner()
    ctx = UiContext(services=services, runner=runner,
                    operator=services.accounts.authenticate(login, login + "12345"),
                    station=services.setup.station(), prefs=UiPrefs(tmp_path))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, runner


def test_an_open_case_is_refreshed_when_the_automatic_sync_pulls(two_stations, qtbot, qapp,
                                                                 tmp_path):
    from station_app.app import _sample_form

    village, township = two_stations
    op = village.accounts.authenticate("cun01", "cun0112345")
    case = village.intake.register(_sample_form(village, 0), op).case_id
    village.sync.sync_now()
    window, runner = _window(township, "zhen01", qtbot, tmp_path)
    try:
        # the window's automatic sync pulls the village's case by itself
        qtbot.waitUntil(lambda: township.casebook.counts().open == 1, timeout=30000)
        window.open_case(case)
        qtbot.waitUntil(lambda: window.detail.detail is not None, timeout=10000)
        page = window.detail
        rows = page.timeline.topLevelItemCount()
        # the village clerk records a visit and syncs; the township's loop wakes up
        village.cases.progress(case, op, note="村里已上门查看")
        village.sync.sync_now()
        township.sync.wake_auto()
        qtbot.waitUntil(lambda: page.timeline.topLevelItemCount() == rows + 1, timeout=30000)
        assert page.notice.isVisible()
        last = page.timeline.topLevelItem(rows)
        assert "村里已上门查看" in last.text(3)
        assert last.text(1) == "cun01（其他站点）"        # not a name this station knows
    finally:
        township.sync.stop_auto()
        window.close()
        runner.shutdown()


def test_the_sync_page_speaks_plainly(two_stations, qtbot, qapp, tmp_path):
    from station_app.ui.i18n import translations

    village, _township = two_stations
    window, runner = _window(village, "cun01", qtbot, tmp_path)
    try:
        village.sync.stop_auto()
        sync = window.pages["sync"]
        window.show_page("sync")
        qtbot.waitUntil(lambda: "县服务器" in sync.state_label.text(), timeout=10000)
        url = village.sync.status().server_url
        assert url not in sync.state_label.text() and "http" not in sync.state_label.text()
        assert sync.server_detail.isVisibleTo(sync) and url in sync.server_detail.text()
        op = village.accounts.authenticate("cun01", "cun0112345")
        from station_app.app import _sample_form

        village.intake.register(_sample_form(village, 1), op)
        qtbot.mouseClick(sync.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "同步完成" in sync.message.text(), timeout=20000)
        progress = sync.progress_label.text()
        assert "已上传 1 条" in progress and "很小" in progress
        assert not re.search(r"\d\s*(B|KB)\b", progress)          # no "发送 437 B"
        qtbot.waitUntil(lambda: "待上报 0 条" in window.sync_label.text(), timeout=10000)
        # English: the status bar follows the language too
        assert translations().apply("en")
        window.rebuild()
        window.pages["sync"].refresh()
        qtbot.waitUntil(lambda: "waiting to send" in window.sync_label.text(), timeout=10000)
        assert not CJK.search(window.sync_label.text())
        # large English text still leaves 立即同步 on screen (the page used to grow sideways)
        window.set_large_font(True)
        window.show_page("sync")
        qapp.processEvents()
        page = window.pages["sync"]
        assert page.minimumSizeHint().width() <= window.stack.width()
        window.set_large_font(False)
        assert window.operator_label.text().startswith("Operator: ")
    finally:
        translations().apply("zh")
        village.sync.stop_auto()
        window.close()
        runner.shutdown()
