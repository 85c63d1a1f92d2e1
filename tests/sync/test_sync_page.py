"""The 同步 page driven like a clerk would, against a real server process."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from petition_core.events import EventDraft, EventType  # noqa: E402
from petition_core.ids import uuid7  # noqa: E402
from station_app.store import append_events, quarantine_event  # noqa: E402

from .stations import registration  # noqa: E402

TEST_ADMIN = ("admin", "admin1234")


@pytest.fixture
def page(services, tmp_paths, qtbot, qapp):
    from station_app.ui import UiContext
    from station_app.ui.i18n import UiPrefs
    from station_app.ui.runner import Runner
    from station_app.ui.sync_page import SyncPage

    runner = Runner()
    ctx = UiContext(services=services, runner=runner,
                    operator=services.accounts.authenticate(*TEST_ADMIN),
                    station=services.setup.station(), prefs=UiPrefs(tmp_paths.root))
    p = SyncPage(ctx, autosync=False)
    qtbot.addWidget(p)
    texts: list[str] = []
    p.status_text.connect(texts.append)
    p.show()
    qtbot.waitUntil(lambda: bool(texts), timeout=5000)
    p.status_texts = texts
    yield p
    runner.wait_idle()
    runner.shutdown()


def _register(services, n=2):
    with services.store.session() as s:
        return append_events(s, [EventDraft(case_id=uuid7(), type=EventType.REGISTERED,
                                            data=registration(
                                                services.setup.station().division),
                                            route=services.setup.station().division)
                                 for _ in range(n)], "admin")


def test_enroll_sync_and_status(page, services, server, qtbot):
    assert page.enroll_box.isVisibleTo(page)
    assert not page.sync_button.isEnabled()
    assert "未注册县服务器" in page.status_texts[-1]
    # a wrong code first: a clear Chinese message, nothing enrolled
    qtbot.keyClicks(page.server_edit, server.url)
    qtbot.keyClicks(page.code_edit, "ZZZZ-ZZZZ")
    qtbot.mouseClick(page.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "注册码无效" in page.message.text(), timeout=10000)
    page.code_edit.clear()
    qtbot.keyClicks(page.code_edit, server.enroll_code(services.setup.station().division))
    qtbot.mouseClick(page.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "注册成功" in page.message.text(), timeout=10000)
    qtbot.waitUntil(lambda: not page.enroll_box.isVisibleTo(page), timeout=5000)
    assert page.sync_button.isEnabled()

    _register(services, 3)
    page.refresh()
    qtbot.waitUntil(lambda: "待上报：3 条" in page.state_label.text(), timeout=5000)
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "同步完成" in page.message.text(), timeout=15000)
    assert "上报 3 条" in page.message.text()
    assert "已上传 3 条" in page.progress_label.text()
    qtbot.waitUntil(lambda: "待上报：0 条" in page.state_label.text(), timeout=5000)
    assert "待上报 0 条" in page.status_texts[-1]


def test_network_failure_is_explained(page, services, server, qtbot):

    from .stations import fake_enrolled

    # enrolled once, server now gone
    fake_enrolled(services.store, "http://127.0.0.1:9", services.setup.station().division)
    page.refresh()
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=5000)
    assert page.sync_now()
    assert not page.sync_now()  # one at a time
    qtbot.waitUntil(lambda: "连不上县服务器" in page.message.text(), timeout=15000)
    qtbot.waitUntil(lambda: "上次同步失败" in page.state_label.text(), timeout=5000)


def test_quarantine_list_and_bundle_export(page, services, qtbot, tmp_path):
    events = _register(services, 2)
    with services.store.session() as s:
        quarantine_event(s, events[0].event_id, "seq_conflict", "")
    page.refresh()
    qtbot.waitUntil(lambda: page.quarantine.rowCount() == 1, timeout=5000)
    assert page.quarantine.item(0, 1).text() == "登记"
    assert "冲突" in page.quarantine.item(0, 2).text()
    assert page.quarantine_box.isVisibleTo(page)
    target = tmp_path / "out.suqiu"
    assert page.export_bundle(str(target))
    qtbot.waitUntil(lambda: "已导出 1 条" in page.message.text(), timeout=10000)
    assert target.exists()
    # importing our own bundle is refused with a clear message
    assert page.import_bundle(str(target))
    qtbot.waitUntil(lambda: "本站自己导出" in page.message.text(), timeout=10000)


def test_main_window_shows_the_page_and_status_line(page, qtbot):
    from station_app.ui.main_window import MainWindow

    window = MainWindow(page._ctx)
    qtbot.addWidget(window)
    assert "sync" in window.pages
    qtbot.waitUntil(lambda: "待上报" in window.sync_label.text(), timeout=5000)
    window.pages["sync"].service.stop_auto()


def _autosync_threads() -> int:
    import threading

    return sum(1 for t in threading.enumerate() if t.name == "autosync" and t.is_alive())


def test_a_language_switch_keeps_one_automatic_sync_for_the_station(page, qtbot):
    """The sync service belongs to the station (StationServices.sync), not to a page: a
    rebuilt window takes over the same loop instead of starting a second one."""
    from station_app.ui.main_window import MainWindow

    before = _autosync_threads()
    window = MainWindow(page._ctx)
    qtbot.addWidget(window)
    service = page._ctx.services.sync
    assert window.pages["sync"].service is service
    loop = service._auto
    assert loop is not None and _autosync_threads() == before + 1
    window.rebuild()
    qtbot.waitUntil(lambda: window.pages["sync"] is not None, timeout=2000)
    assert window.pages["sync"].service is service and service._auto is loop
    assert _autosync_threads() == before + 1
    window.close()
    qtbot.waitUntil(lambda: _autosync_threads() == before, timeout=5000)


def test_closing_the_window_during_a_sync_asks_first(page, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from station_app.ui.main_window import MainWindow

    window = MainWindow(page._ctx)
    qtbot.addWidget(window)
    window.show()
    service = page._ctx.services.sync
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or answer[0])
    assert service._lock.acquire()           # an automatic sync is running
    try:
        window.close()
        assert window.isVisible() and len(asked) == 1 and "不会丢失数据" in asked[0]
        answer[0] = QMessageBox.StandardButton.Yes
        window.close()
        assert not window.isVisible()
    finally:
        service._lock.release()
    # not busy: no question
    other = MainWindow(page._ctx)
    qtbot.addWidget(other)
    other.show()
    other.close()
    assert not other.isVisible() and len(asked) == 2


def test_returned_records_can_be_sent_again(page, services, qtbot):
    from station_app.store.eventlog import outbox_count

    events = _register(services, 2)
    with services.store.session() as s:
        quarantine_event(s, events[1].event_id, "event_unknown_type", "")
    page.refresh()
    qtbot.waitUntil(lambda: page.quarantine.rowCount() == 1, timeout=5000)
    assert "升级诉求通后会自动重新处理" in page.quarantine.item(0, 2).text()
    assert page.retry_button.isVisibleTo(page)
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已把 1 条记录放回待上报" in page.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: not page.quarantine_box.isVisibleTo(page), timeout=5000)
    with services.store.read() as s:
        assert outbox_count(s) == 2


def test_records_set_aside_are_listed_with_a_chinese_reason(page, services, qtbot):
    """Issue 7 A1: pulled records this version cannot take appear in their own list, with
    a reason per code; our own records the county refused for their content show the
    refused field as the intake form would."""
    from station_app.store.pulled import Unreadable, quarantine_pulled

    with services.store.session() as s:
        quarantine_pulled(s, [
            Unreadable({"event_id": "e1", "type": "case.registered"}, "payload_invalid",
                       "petitioner: not_object"),
            Unreadable({"event_id": "e2", "type": "case.served"}, "event_unknown_type", "")])
    events = _register(services, 1)
    with services.store.session() as s:
        quarantine_event(s, events[0].event_id, "id_checksum",
                         "petitioner.id_number:id_checksum")
    page.refresh()
    qtbot.waitUntil(lambda: page.pulled.rowCount() == 2, timeout=5000)
    assert page.pulled_box.isVisibleTo(page)
    reasons = [page.pulled.item(i, 2).text() for i in range(2)]
    assert [page.pulled.item(i, 2).toolTip() for i in range(2)] == reasons   # cut cells
    assert "格式不对" in reasons[0] and "升级诉求通" in reasons[1]
    assert page.pulled.item(0, 1).text() == "登记"
    qtbot.waitUntil(lambda: page.quarantine.rowCount() == 1, timeout=5000)
    assert page.quarantine.item(0, 2).text().startswith("身份证号码：")
    assert "校验位" in page.quarantine.item(0, 2).text()
