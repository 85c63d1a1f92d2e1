"""The handling chain at the stations (issue 9 item 3): a village and the township above it,
each with its own database, the case's events copied between them as sync would.  Every
action goes through the station's services, judged by petition_core.permissions."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from station_helpers import TEST_VILLAGE, counts, form, ship

from petition_core.validation import ValidationErrors
from station_app.services import ServiceError
from station_app.store import case_events

TOWNSHIP = "530921108000"


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


@pytest.fixture
def town(township_services):
    return township_services.accounts.authenticate("admin", "admin1234")


@pytest.fixture
def case(services, op):
    return services.intake.register(form(), op).case_id


def _code(fn) -> str:  # noqa: ANN001
    with pytest.raises(ServiceError) as ei:
        fn()
    return ei.value.code


def _in(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def test_transfer_sign_and_objection(services, township_services, op, town, case):
    vs, ts = services.cases, township_services.cases
    vs.accept(case, op)
    vs.transfer(case, op, to_division=TOWNSHIP, note="属乡镇职责")
    ship(services, township_services, case)
    d = ts.detail(case, town)
    assert d.status == "transferred"
    assert {"sign", "accept", "object_transfer"} <= set(d.allowed_actions)
    assert d.allowed_actions.index("sign") == 0              # offered first
    # the village that sent it neither signs nor objects
    assert _code(lambda: vs.sign(case, op)) == "action_not_for_relation"
    with pytest.raises(ValidationErrors) as ei:
        ts.object_transfer(case, town, reason=" ")
    assert ei.value.codes() == {"reason": "required"}
    d = ts.object_transfer(case, town, reason="属于村内承包地纠纷，应由村里调处")
    assert d.status == "accepted" and d.owner_division == TEST_VILLAGE
    assert d.timeline[-1].type == "case.transfer_objected"
    ship(township_services, services, case)
    d = vs.detail(case, op)
    assert "conclude" in d.allowed_actions                   # back in the village's hands


def test_no_objection_after_signing_nor_after_five_working_days(services, township_services,
                                                                 op, town, case):
    vs, ts = services.cases, township_services.cases
    vs.accept(case, op)
    vs.transfer(case, op, to_division=TOWNSHIP)
    ship(services, township_services, case)
    d = ts.sign(case, town, note="已签收")
    assert "sign" not in d.allowed_actions and "object_transfer" not in d.allowed_actions
    assert _code(lambda: ts.sign(case, town)) == "already_signed"
    assert _code(lambda: ts.object_transfer(case, town, reason="r")) \
        == "objection_not_for_move"
    # another case, transferred three weeks ago (the station clock of that day)
    other = services.intake.register(form(summary="另一件"), op).case_id
    vs.accept(other, op)
    vs.now = lambda: (datetime.now().astimezone() - timedelta(days=21)).isoformat(
        timespec="seconds")
    vs.transfer(other, op, to_division=TOWNSHIP)
    ship(services, township_services, other)
    before = counts(township_services.paths.db_path)
    with pytest.raises(ServiceError) as ei:
        ts.object_transfer(other, town, reason="不属于本镇")
    assert ei.value.code == "objection_too_late" and ei.value.params["deadline"] < _in(0)
    assert counts(township_services.paths.db_path) == before


def test_extension_asked_below_decided_above(services, township_services, op, town, case):
    vs, ts = services.cases, township_services.cases
    vs.accept(case, op)
    d = vs.request_extension(case, op, days=20, reason="需要测量土地，告知本人")
    assert "decide_extension" not in d.allowed_actions
    ship(services, township_services, case)
    assert "decide_extension" in ts.detail(case, town).allowed_actions
    with pytest.raises(ValidationErrors) as ei:
        ts.decide_extension(case, town, approved=False)       # a refusal says why
    assert ei.value.codes() == {"note": "required"}
    d = ts.decide_extension(case, town, approved=True, days=15, note="同意延长15天")
    assert "decide_extension" not in d.allowed_actions
    ship(township_services, services, case)
    d = vs.detail(case, op)
    due = next(c for c in d.clocks if c.key == "conclude")
    from petition_core.clocks import WorkCalendar
    cal = WorkCalendar.load_default()
    assert due.due == cal.period_end(date.fromisoformat(due.start), 75).isoformat()
    assert "同意延长15天" in d.timeline[-1].summary
    # a second request, refused: the date stays
    vs.request_extension(case, op, days=10, reason="再测量")
    ship(services, township_services, case)
    ts.decide_extension(case, town, approved=False, note="理由不足")
    ship(township_services, services, case)
    d = vs.detail(case, op)
    assert next(c for c in d.clocks if c.key == "conclude").due == due.due
    assert _code(lambda: ts.decide_extension(case, town, approved=True)) \
        == "extension_not_requested"
    # more than asked is never granted; 30 days in all is the end
    assert _code(lambda: vs.request_extension(case, op, days=16, reason="r")) \
        == "extension_too_long"
    vs.request_extension(case, op, days=15, reason="再测量")
    ship(services, township_services, case)
    d = ts.decide_extension(case, town, approved=True, days=20)
    assert "同意延长15天" in d.timeline[-1].summary
    ship(township_services, services, case)
    assert "request_extension" not in vs.detail(case, op).allowed_actions


def test_assign_report_send_back_accept_and_urge(services, township_services, op, town, case):
    vs, ts = services.cases, township_services.cases
    ship(services, township_services, case)
    d = ts.detail(case, town)
    assert set(d.allowed_actions) >= {"assign", "urge"}
    assert "accept" not in d.allowed_actions                  # not the township's case
    for bad in ("2020-01-01", _in(400), "下周五", ""):
        with pytest.raises(ValidationErrors) as ei:
            ts.assign(case, town, to_unit=TEST_VILLAGE, due=bad)
        assert ei.value.codes() == {"due": "due_invalid"}
    d = ts.assign(case, town, to_unit=TEST_VILLAGE,
                  due=_in(20), report_required=True, note="请核实并报告")
    assert d.status == "assigned"
    assert "须报办结报告" in d.timeline[-1].summary
    d = ts.urge(case, town, note="请抓紧办理", due=_in(7))
    assert d.timeline[-1].type == "case.urged"
    assert _code(lambda: vs.urge(case, op, note="x", due=_in(3))) == "action_not_for_relation"
    ship(township_services, services, case)
    vs.sign(case, op)
    vs.accept(case, op)
    d = vs.conclude(case, op, result="已解决", opinion="邻居已退还土地。")
    assert "submit_report" in d.allowed_actions
    d = vs.submit_report(case, op, report="经调解，邻居已退还土地，附调解书。")
    assert "submit_report" not in d.allowed_actions
    ship(services, township_services, case)
    d = ts.detail(case, town)
    assert {"accept_report", "send_back"} <= set(d.allowed_actions)
    d = ts.send_back(case, town, reason="调解书未附")
    assert d.status == "accepted" and d.conclusion is None
    ship(township_services, services, case)
    vs.conclude(case, op, result="已解决", opinion="补附调解书。")
    vs.submit_report(case, op, report="已补附调解书。")
    ship(services, township_services, case)
    d = ts.accept_report(case, town, note="同意")
    assert "accept_report" not in d.allowed_actions
    assert d.timeline[-1].type == "case.report_accepted"


def test_concluded_unresolved_and_closed(services, township_services, op, town):
    """A township's own case: 办结未解决, then 终结; afterwards nothing but viewing, and the
    intake warns when the same facts come again (Art. 36)."""
    ts = township_services.cases
    f = form(petitioner__address_division=TEST_VILLAGE)
    case = township_services.intake.register(f, town).case_id
    ts.accept(case, town)
    d = ts.conclude(case, town, result="未能解决", opinion="双方分歧较大。", outcome="unresolved")
    assert d.status == "concluded_unresolved" and d.status_label == "办结未解决"
    assert "（办结未解决）" in d.timeline[-1].summary
    assert "close" in d.allowed_actions
    with pytest.raises(ValidationErrors):
        ts.close(case, town, reason="")
    d = ts.close(case, town, reason="经复核维持，依法终结")
    assert d.status == "closed" and d.allowed_actions == ()
    assert _code(lambda: ts.progress(case, town, note="x")) == "action_not_in_status"
    with township_services.store.read() as s:
        assert case_events(s, case)[-1].type == "case.closed"


def test_intake_warns_on_the_same_facts_after_closing(township_services, town):
    """Art. 36: a matter closed for good comes first among the repeats, marked closed."""
    ts = township_services.cases
    f = form(petitioner__address_division=TEST_VILLAGE)
    old = township_services.intake.register(f, town).case_id
    other = township_services.intake.register(form(), town).case_id
    assert all(not m.closed for m in township_services.intake.find_repeats(f))
    ts.accept(old, town)
    ts.conclude(old, town, result="已解决", opinion="已答复。")
    ts.close(old, town, reason="依法终结")
    matches = township_services.intake.find_repeats(f)
    assert matches[0].case_id == old and matches[0].closed
    assert matches[0].status_label == "已终结"
    assert {m.case_id for m in matches if not m.closed} >= {other}


def test_a_department_station_acts_as_its_department(services, op, case, tmp_path):
    """A 县民政局 station (its unit a department code) signs, accepts and concludes what
    the village transferred to 县民政局; the village, no longer handling, only follows up."""
    from station_app.paths import AppPaths
    from station_app.services import StationServices
    from station_app.store import open_store

    paths = AppPaths(tmp_path / "mz").ensure()
    st = open_store(paths)
    try:
        mz = StationServices.from_store(paths, st)
        mz.setup.initialise("530921000000", "凤庆县民政局", "admin", "admin1234", "管理员",
                            unit="530921000000.mz")
        mz_op = mz.accounts.authenticate("admin", "admin1234")
        services.cases.accept(case, op)
        services.cases.transfer(case, op, to_division="530921000000", to_unit="530921000000.mz",
                                note="低保问题，转县民政局")
        ship(services, mz, case)
        d = mz.cases.detail(case, mz_op)
        assert d.allowed_actions[:2] == ("sign", "accept")
        mz.cases.sign(case, mz_op)
        mz.cases.accept(case, mz_op)
        d = mz.cases.conclude(case, mz_op, result="已解决", opinion="已纳入低保。")
        assert d.status == "concluded"
        ship(mz, services, case)
        d = services.cases.detail(case, op)
        assert "follow_up" in d.allowed_actions and "conclude" not in d.allowed_actions
    finally:
        st.close()
