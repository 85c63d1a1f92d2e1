"""The handling chain's dialogs (issue 9 item 3), driven offscreen like a clerk with the
keyboard: a village and the township above it, each with its own database, the case's
events copied between them as sync would.  Each dialog calls the real service."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QDate, Qt

from station_app.services.gatecheck import STATION_ACTIONS
from station_app.store import apply_remote_events, case_events
from station_app.ui import UiContext
from station_app.ui.action_dialogs import (
    AssignDialog,
    CloseDialog,
    ConcludeDialog,
    DecideExtensionDialog,
    ObjectTransferDialog,
    RequestExtensionDialog,
    SendBackDialog,
    SignDialog,
    SubmitReportDialog,
    UrgeDialog,
    dialog_for,
)
from station_app.ui.i18n import UiPrefs

ADMIN = ("admin", "admin1234")
TOWNSHIP = "530921108000"


def ship(src, dst, case_id: str) -> None:
    """What sync does, without the wire."""
    with src.store.read() as s:
        events = case_events(s, case_id)
    with dst.store.session() as s:
        apply_remote_events(s, events)


def _ctx(services, runner) -> UiContext:
    return UiContext(services=services, runner=runner,
                     operator=services.accounts.authenticate(*ADMIN),
                     station=services.setup.station(), prefs=UiPrefs(services.paths.root))


@pytest.fixture
def village(station_services, ui_runner):
    return _ctx(station_services, ui_runner)


@pytest.fixture
def town(township_services, ui_runner):
    return _ctx(township_services, ui_runner)


@pytest.fixture
def case_id(village):
    s = village.services
    form = {"division": s.setup.station().division, "channel": "visit", "category": "land",
            "statute_type": "appeal",
            "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "petitioner": {"name": "李建华", "anonymous": False},
            "summary": "承包地被邻居占用", "account": "承包地被邻居占用约半亩。",
            "demands": "退还土地"}
    return s.intake.register(form, village.operator).case_id


def _open(ctx: UiContext, cls, case_id: str, qtbot):
    dlg = cls(ctx, ctx.services.cases.detail(case_id, ctx.operator))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _enter(qtbot, dlg) -> None:
    """Save with the keyboard: Enter presses the default button (the action)."""
    qtbot.keyClick(dlg, Qt.Key.Key_Return)


def _saved(qtbot, dlg):
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        _enter(qtbot, dlg)
    return dlg.result_detail


def _refused(qtbot, dlg, settle, runner) -> None:
    _enter(qtbot, dlg)
    settle(runner)
    assert dlg.isVisible()


def test_every_station_action_has_a_dialog(village, case_id):
    detail = village.services.cases.detail(case_id, village.operator)
    for action in STATION_ACTIONS:
        if action == "resolve_conflict":     # a button next to each option instead
            continue
        dlg = dialog_for(action, village, detail)
        assert dlg is not None and dlg.ok_button.text(), action
        assert dlg.ok_button.isDefault()
        dlg.deleteLater()


def test_sign_or_object_after_a_transfer(village, town, case_id, qtbot, type_text, settle,
                                         ui_runner):
    village.services.cases.accept(case_id, village.operator)
    village.services.cases.transfer(case_id, village.operator, to_division=TOWNSHIP)
    ship(village.services, town.services, case_id)
    dlg = _open(town, ObjectTransferDialog, case_id, qtbot)
    assert dlg.focusWidget() is dlg.widget("reason")         # typing starts at once
    _refused(qtbot, dlg, settle, ui_runner)
    assert dlg.error_label("reason").isVisibleTo(dlg)
    type_text(dlg.widget("reason"), "属于村内承包地纠纷")
    d = _saved(qtbot, dlg)
    assert d.status == "accepted" and d.owner_division == village.station.division
    # transferred again: this time the township signs
    ship(town.services, village.services, case_id)
    village.services.cases.transfer(case_id, village.operator, to_division=TOWNSHIP)
    ship(village.services, town.services, case_id)
    dlg = _open(town, SignDialog, case_id, qtbot)
    d = _saved(qtbot, dlg)
    assert "sign" not in d.allowed_actions and "accept" in d.allowed_actions
    assert d.timeline[-1].type == "case.signed"


def test_extension_asked_and_decided(village, town, case_id, qtbot, type_text, settle,
                                     ui_runner):
    village.services.cases.accept(case_id, village.operator)
    dlg = _open(village, RequestExtensionDialog, case_id, qtbot)
    assert dlg.widget("days").maximum() == 30                # 条例第34条
    _refused(qtbot, dlg, settle, ui_runner)
    assert dlg.error_label("reason").isVisibleTo(dlg)
    dlg.widget("days").setValue(20)
    type_text(dlg.widget("reason"), "需要等县自然资源局测绘结果")
    d = _saved(qtbot, dlg)
    assert d.timeline[-1].type == "case.extension_requested"
    ship(village.services, town.services, case_id)
    dlg = _open(town, DecideExtensionDialog, case_id, qtbot)
    dlg.widget("decision").setCurrentIndex(dlg.widget("decision").findData("refused"))
    _refused(qtbot, dlg, settle, ui_runner)                 # a refusal says why
    assert dlg.error_label("note").isVisibleTo(dlg)
    dlg.widget("decision").setCurrentIndex(dlg.widget("decision").findData("approved"))
    dlg.widget("days").setValue(15)
    d = _saved(qtbot, dlg)
    assert "同意延长15天" in d.timeline[-1].summary


def test_assign_urge_report_and_send_back(village, town, case_id, qtbot, type_text, settle,
                                          ui_runner):
    ship(village.services, town.services, case_id)
    dlg = _open(town, AssignDialog, case_id, qtbot)
    assert dlg.widget("to_unit").code() == ""              # 交办: no default by category
    assert dlg.widget("to_unit").set_code(village.station.division)
    assert dlg.widget("report_required").isChecked()
    assert dlg.widget("due").minimumDate() == QDate.currentDate()
    d = _saved(qtbot, dlg)
    assert d.status == "assigned" and "须报办结报告" in d.timeline[-1].summary
    dlg = _open(town, UrgeDialog, case_id, qtbot)
    _refused(qtbot, dlg, settle, ui_runner)
    assert dlg.error_label("note").isVisibleTo(dlg)
    type_text(dlg.widget("note"), "群众多次来电，请抓紧调处")
    d = _saved(qtbot, dlg)
    assert d.timeline[-1].type == "case.urged"
    ship(town.services, village.services, case_id)
    cs, op = village.services.cases, village.operator
    cs.sign(case_id, op)
    cs.accept(case_id, op)
    dlg = _open(village, ConcludeDialog, case_id, qtbot)
    dlg.widget("result").setEditText("部分解决")
    type_text(dlg.widget("opinion"), "已退还一半土地。")
    dlg.widget("outcome").setCurrentIndex(dlg.widget("outcome").findData("unresolved"))
    d = _saved(qtbot, dlg)
    assert d.status == "concluded_unresolved" and d.status_label == "办结未解决"
    dlg = _open(village, SubmitReportDialog, case_id, qtbot)
    type_text(dlg.widget("report"), "已退还一半土地，其余建议诉讼。")
    d = _saved(qtbot, dlg)
    assert "submit_report" not in d.allowed_actions
    ship(village.services, town.services, case_id)
    dlg = _open(town, SendBackDialog, case_id, qtbot)
    type_text(dlg.widget("reason"), "请继续调处")
    d = _saved(qtbot, dlg)
    assert d.status == "accepted" and d.timeline[-1].type == "case.redo_ordered"


def test_close_a_township_case(town, qtbot, type_text):
    s, op = town.services, town.operator
    form = {"division": TOWNSHIP, "channel": "visit", "category": "land",
            "statute_type": "appeal",
            "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "petitioner": {"name": "王五", "anonymous": False}, "summary": "宅基地纠纷",
            "account": "宅基地边界有争议。"}
    case = s.intake.register(form, op).case_id
    s.cases.accept(case, op)
    s.cases.conclude(case, op, result="已解决", opinion="已调处。")
    dlg = _open(town, CloseDialog, case, qtbot)
    type_text(dlg.widget("reason"), "经复核维持，依法终结")
    d = _saved(qtbot, dlg)
    assert d.status == "closed" and d.allowed_actions == ()


def test_repeat_dialog_warns_when_a_match_is_closed(qtbot):
    """Art. 36: the same facts are not accepted again after 终结; the dialog says so only
    when one of the matches is closed."""
    from station_app.services.types import RepeatMatch
    from station_app.ui.repeat_dialog import RepeatDialog

    def match(closed: bool) -> RepeatMatch:
        return RepeatMatch(case_id="c1", case_no="530921108203-2026-0001",
                           reason="id_number", score=1.0, summary="承包地被占",
                           received_at="2026-11-02T09:00:00+08:00",
                           status_label="已终结" if closed else "已受理", closed=closed)

    for closed in (True, False):
        dlg = RepeatDialog([match(closed)])
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.closed_warning.isVisibleTo(dlg) is closed
        assert "第36条" in dlg.closed_warning.text()


def test_a_refusal_of_the_matrix_is_shown_in_chinese(village, case_id, qtbot, type_text,
                                                     settle, ui_runner):
    """A dialog left open on a case its station no longer handles (transferred away from
    another window): the service refuses with the matrix's code, the dialog says why in
    plain Chinese, and nothing is written."""
    cs, op = village.services.cases, village.operator
    cs.accept(case_id, op)
    dlg = _open(village, ConcludeDialog, case_id, qtbot)
    cs.transfer(case_id, op, to_division=TOWNSHIP)
    # the clerk now looks at the transferred case (no stale version): still refused
    dlg.detail = cs.detail(case_id, op)
    dlg.widget("result").setEditText("已解决")
    type_text(dlg.widget("opinion"), "已调处。")
    before = len(dlg.detail.timeline)
    _refused(qtbot, dlg, settle, ui_runner)
    assert dlg.top_error.isVisibleTo(dlg)
    assert dlg.top_error.text() == "本单位不是这件诉求的承办或督办单位，不能做这一步。"
    assert len(cs.detail(case_id, op).timeline) == before
