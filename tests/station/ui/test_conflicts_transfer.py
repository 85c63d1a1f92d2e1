"""需要人工决定: a conflicting decision pulled from another station is shown with both
options and resolved by a click; 转办 through the unit picker dialog."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from petition_core.events import Event, make_payload
from petition_core.ids import uuid7
from station_app.ui.action_dialogs import TransferDialog
from station_app.ui.case_detail import ResolveConflictDialog


@pytest.fixture
def case_id(station_services):
    from station_app.app import _sample_form

    op = station_services.accounts.authenticate("admin", "admin1234")
    return station_services.intake.register(_sample_form(station_services, 1), op).case_id


def _pull_conflicting_accept(services, case_id: str) -> None:
    """As if a sync pulled the township's 受理 made without seeing our 不予受理."""
    from station_app.store.eventlog import apply_remote_events

    ev = Event(event_id=uuid7(), case_id=case_id, station_id="township-station", station_seq=1,
               type="case.accepted", lamport=2, actor="zhen01",
               occurred_at=datetime.now(UTC).isoformat(),
               payload=make_payload({"note": "乡镇受理", "notify_channel": "phone",
                                     "supersedes": None}))
    with services.store.session() as s:
        apply_remote_events(s, [ev])


def test_conflict_shown_at_the_village_without_buttons(main_window, station_services, case_id,
                                                      ui_runner, settle):
    """A village clerk may not arbitrate (permission matrix): both options are shown, and
    who decides is said instead of offering a button that would be refused."""
    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.decline(case_id, op, reason="不属于本机关职责范围",
                                   other_channel="县法院")
    _pull_conflicting_accept(station_services, case_id)
    main_window.open_case(case_id)
    settle(ui_runner)
    page = main_window.detail
    assert page.conflict_box.isVisibleTo(page)
    assert not [b for b in page.conflict_box.findChildren(QPushButton) if b.text() == "采用这个"]
    texts = " ".join(w.text() for w in page.conflict_box.findChildren(type(page.title)))
    assert "本站不能裁定" in texts and "zhen01（其他站点）" in texts and "管理员" in texts


def test_conflict_shown_and_resolved(window_factory, station_services, township_services,
                                     case_id, ui_runner, settle, qtbot, type_text):
    """The township above arbitrates, on its copy of the case."""
    from station_app.store import apply_remote_events, case_events

    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.decline(case_id, op, reason="不属于本机关职责范围",
                                   other_channel="县法院")
    _pull_conflicting_accept(station_services, case_id)
    with station_services.store.read() as s:
        events = case_events(s, case_id)
    with township_services.store.session() as s:
        apply_remote_events(s, events)
    services = township_services
    detail = services.cases.detail(case_id)
    assert detail.needs_decision and detail.conflicts

    main_window = window_factory(services, services.paths)
    settle(ui_runner)
    main_window.open_case(case_id)
    settle(ui_runner)
    page = main_window.detail
    assert page.conflict_box.isVisibleTo(page)
    assert "需要人工决定" in page.status.text()
    adopt = [b for b in page.conflict_box.findChildren(QPushButton) if b.text() == "采用这个"]
    assert len(adopt) == len(detail.conflicts[0].options) == 2
    texts = " ".join(w.text() for w in page.conflict_box.findChildren(type(page.title)))
    # another station's login marked as such
    assert "zhen01（其他站点）" in texts and "admin（其他站点）" in texts

    # the dialog demands a reason; cancelling changes nothing
    def cancel():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ResolveConflictDialog)
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        assert dlg.error_label("note").text() == "此项必须填写。"
        dlg.reject()

    QTimer.singleShot(0, cancel)
    qtbot.mouseClick(adopt[0], Qt.MouseButton.LeftButton)
    settle(ui_runner)
    assert services.cases.detail(case_id).needs_decision

    chosen = detail.conflicts[0].options[1]

    def adopt_with_reason():
        dlg = QApplication.activeModalWidget()
        assert dlg.option.event_id == chosen.event_id
        type_text(dlg.widget("note"), "经电话核实，乡镇已受理")
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, adopt_with_reason)
    adopt = [b for b in page.conflict_box.findChildren(QPushButton) if b.text() == "采用这个"]
    qtbot.mouseClick(adopt[1], Qt.MouseButton.LeftButton)
    settle(ui_runner)
    after = services.cases.detail(case_id)
    assert not after.needs_decision
    assert after.status == ("accepted" if chosen.actor == "zhen01" else "declined")
    qtbot.waitUntil(lambda: not page.conflict_box.isVisibleTo(page), timeout=5000)


def test_transfer_dialog_with_unit_picker(main_window, station_services, case_id, ui_runner,
                                          settle, qtbot):
    op = station_services.accounts.authenticate("admin", "admin1234")
    station_services.cases.accept(case_id, op)
    main_window.open_case(case_id)
    settle(ui_runner)
    page = main_window.detail
    assert "transfer" in page.action_buttons
    dlg = TransferDialog(page._ctx, page.detail, page)
    dlg.show()
    picker = dlg.widget("to_unit")
    default = station_services.setup.default_unit_for(page.detail.category)
    assert picker.code() == default and picker.proposal.isVisibleTo(dlg)
    qtbot.keyClicks(picker.search, "fsz")                    # 凤山镇 by initials
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    code = picker.code()
    assert code.startswith("530921") and code.endswith("000") and code != "530921000000"
    assert not picker.proposal.isVisibleTo(dlg)              # the clerk chose another
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    page.show_detail(dlg.result_detail)
    d = station_services.cases.detail(case_id)
    assert d.status == "transferred" and d.owner_unit == code
    assert d.owner_unit_name == "凤山镇"
    assert page.status.text().startswith("已转办")
