"""Case actions: every action through the workflow, every refusal, supersedes, conflicts."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from station_helpers import TEST_VILLAGE, counts, form, ship

from petition_core.clocks import WorkCalendar
from petition_core.enums import Role
from petition_core.events import Event, EventType, make_payload
from petition_core.ids import uuid7
from petition_core.validation import ValidationErrors
from station_app.services import ServiceError
from station_app.services.types import Operator
from station_app.store import apply_remote_events, case_events
from station_app.store.eventlog import outbox_count

TOWNSHIP = "530921108000"


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


@pytest.fixture
def case(services, op):
    return services.intake.register(form(), op).case_id


def _code(fn) -> str:  # noqa: ANN001
    with pytest.raises(ServiceError) as ei:
        fn()
    return ei.value.code


def test_full_workflow(services, op, case):
    cs = services.cases
    d = cs.detail(case, op)
    assert d.allowed_actions == ("accept", "decline", "transfer", "progress", "amend", "link")
    d = cs.accept(case, op, note="当场受理", notify_channel="on_spot")
    assert d.status == "accepted" and d.status_label == "已受理"
    assert {c.key for c in d.clocks} == {"decide", "conclude"}
    assert next(c for c in d.clocks if c.key == "decide").state == "done"
    assert "conclude" in d.allowed_actions and "accept" not in d.allowed_actions
    d = cs.progress(case, op, note="已到现场查看")
    conclude = next(c for c in d.clocks if c.key == "conclude")
    d = cs.request_extension(case, op, days=20, reason="需要测量土地")
    assert "request_extension" not in d.allowed_actions      # one request at a time
    # the village may not decide its own extension: the township above does (Art. 34)
    assert "decide_extension" not in d.allowed_actions
    req = _last(services, case)
    _arrive(services, case, EventType.EXTENSION_DECIDED,
            {"decision": "approved", "request_id": req.event_id, "days": 20})
    d = cs.detail(case, op)
    extended = next(c for c in d.clocks if c.key == "conclude")
    # 60 + 20 days from acceptance, each end moved off a holiday by the rule of periods
    cal = WorkCalendar.load_default()
    start = date.fromisoformat(extended.start)
    assert conclude.due == cal.period_end(start, 60).isoformat()
    assert extended.due == cal.period_end(start, 80).isoformat()
    d = cs.conclude(case, op, result="已解决", opinion="经调解，邻居退还土地。")
    assert d.status == "concluded" and d.conclusion["result"] == "已解决"
    assert d.allowed_actions == ("progress", "follow_up", "serve", "link")
    d = cs.follow_up(case, op, satisfaction="basically", method="电话回访", note="基本满意")
    assert d.status == "followed_up" and d.satisfaction_label == "基本满意"
    assert d.allowed_actions == ("serve", "link")
    assert [t.type for t in d.timeline] == [
        "case.registered", "case.accepted", "case.progress", "case.extension_requested",
        "case.extension_decided", "case.concluded", "case.followed_up"]
    assert "20" in d.timeline[3].summary
    with services.store.read() as s:
        assert outbox_count(s) == 6
        evs = case_events(s, case)
    assert all(e.actor == "admin" for e in evs if e.station_id != "township-station")


def test_a_transfer_moves_the_handling_away(services, op, case):
    """A village that transferred a case to the township can no longer conclude it."""
    cs = services.cases
    cs.accept(case, op)
    d = cs.transfer(case, op, to_unit=TOWNSHIP, note="转乡镇")
    assert d.status == "transferred" and d.owner_division == TOWNSHIP
    assert d.allowed_actions == ("progress", "amend", "link")   # it registered the case
    assert _code(lambda: cs.conclude(case, op, result="x", opinion="y")) \
        == "action_not_for_relation"
    with services.store.read() as s:
        evs = case_events(s, case)
    assert evs[-1].route == TOWNSHIP                         # transfers route the case
    assert [e.lamport for e in evs] == [1, 2, 3]


def _last(services, case):  # noqa: ANN001, ANN202
    with services.store.read() as s:
        return case_events(s, case)[-1]


def _arrive(services, case, etype, data):  # noqa: ANN001, ANN202
    """An event of the township above reaching this village by sync."""
    last = _last(services, case)
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    ev = Event(uuid7(), case, "township-station", last.lamport, etype.value,
               last.lamport + 1, "town", now, make_payload({"at": now, **data}))
    with services.store.session() as s:
        apply_remote_events(s, [ev])
    return ev


def test_decline_then_refusals(services, op, case, tmp_paths):
    d = services.cases.decline(case, op, reason="属于诉讼程序", other_channel="凤庆县人民法院")
    assert d.status == "declined" and d.declined["other_channel"] == "凤庆县人民法院"
    before = counts(tmp_paths.db_path)
    for fn in (lambda: services.cases.accept(case, op),
               lambda: services.cases.conclude(case, op, result="x", opinion="y"),
               lambda: services.cases.follow_up(case, op, satisfaction="satisfied"),
               lambda: services.cases.request_extension(case, op, days=5, reason="r")):
        assert _code(fn) == "action_not_in_status"
    assert counts(tmp_paths.db_path) == before


def test_unknown_case(services, op):
    ghost = uuid7()
    assert _code(lambda: services.cases.detail(ghost)) == "case_unknown"
    assert _code(lambda: services.cases.accept(ghost, op)) == "case_unknown"


def test_roles_limit_actions(services, op, case):
    """A role belongs to the station's level: a supervisor cannot act at a village station;
    the village clerk handles but neither closes nor arbitrates."""
    services.accounts.create_operator("village1", "村值班员", "secret123", Role.VILLAGE,
                                      actor=op)
    village = services.accounts.authenticate("village1", "secret123")
    ghost = Operator("super1", "监察员", Role.SUPERVISOR)
    assert services.cases.detail(case, ghost).allowed_actions == ()
    assert _code(lambda: services.cases.accept(case, ghost)) == "role_not_for_level"
    services.cases.accept(case, village)
    services.cases.conclude(case, village, result="已解决", opinion="已调解")
    d = services.cases.detail(case, village)
    assert "close" not in d.allowed_actions
    assert _code(lambda: services.cases.close(case, village, reason="r")) \
        == "action_not_for_role"


def test_input_validation(services, op, case, tmp_paths):
    before = counts(tmp_paths.db_path)
    with pytest.raises(ValidationErrors) as ei:
        services.cases.accept(case, op, notify_channel="carrier_pigeon")
    assert ei.value.codes() == {"notify_channel": "invalid_choice"}
    with pytest.raises(ValidationErrors) as ei:
        services.cases.decline(case, op, reason="  ", other_channel="法" * 201)
    assert ei.value.codes() == {"reason": "required", "other_channel": "too_long"}
    with pytest.raises(ValidationErrors) as ei:
        services.cases.progress(case, op, note="ok\x00")
    assert ei.value.codes() == {"note": "control_chars"}
    with pytest.raises(ValidationErrors) as ei:
        services.cases.transfer(case, op, to_division="123")
    assert ei.value.codes() == {"to_division": "division_unknown"}
    assert _code(lambda: services.cases.transfer(case, op, to_division=TEST_VILLAGE)) \
        == "transfer_same"
    services.cases.accept(case, op)
    before = counts(tmp_paths.db_path)
    for days in (0, -3, True, "5"):
        with pytest.raises(ValidationErrors):
            services.cases.request_extension(case, op, days=days, reason="r")
    with pytest.raises(ValidationErrors) as ei:
        services.cases.request_extension(case, op, days=5, reason=" ")
    assert ei.value.codes() == {"reason": "required"}
    assert _code(lambda: services.cases.request_extension(case, op, days=31, reason="r")) \
        == "extension_too_long"
    services.cases.request_extension(case, op, days=25, reason="测量")
    assert _code(lambda: services.cases.request_extension(case, op, days=3, reason="r")) \
        == "extension_pending"
    _arrive(services, case, EventType.EXTENSION_DECIDED,
            {"decision": "approved", "request_id": _last(services, case).event_id})
    assert _code(lambda: services.cases.request_extension(case, op, days=6, reason="r")) \
        == "extension_too_long"
    services.cases.request_extension(case, op, days=5, reason="再测量")
    _arrive(services, case, EventType.EXTENSION_DECIDED,
            {"decision": "approved", "request_id": _last(services, case).event_id})
    d = services.cases.detail(case, op)
    assert "request_extension" not in d.allowed_actions          # 30 days used up
    assert _code(lambda: services.cases.request_extension(case, op, days=1, reason="r")) \
        == "extension_exhausted"
    with pytest.raises(ValidationErrors) as ei:
        services.cases.follow_up(case, op, satisfaction="ecstatic")
    with pytest.raises(ValidationErrors) as ei:
        services.cases.conclude(case, op, result="x", opinion="y", outcome="half")
    assert ei.value.codes() == {"outcome": "invalid_choice"}
    assert counts(tmp_paths.db_path)["event"] == before["event"] + 4


def test_amend(services, op, case, tmp_paths):
    d = services.cases.amend(case, op, field="petitioner.phone", new_value="139 8765 4321",
                             reason="登记时记错")
    assert d.petitioner["phone"] == "139 8765 4321"     # normalised like at registration
    a = d.timeline[-1].amendment
    assert (a.field, a.old, a.new) == ("petitioner.phone", "138 1234 5678", "139 8765 4321")
    before = counts(tmp_paths.db_path)
    with pytest.raises(ValidationErrors) as ei:
        services.cases.amend(case, op, field="petitioner.phone", new_value="12", reason="r")
    assert ei.value.codes() == {"petitioner.phone": "phone_invalid"}
    with pytest.raises(ValidationErrors) as ei:
        services.cases.amend(case, op, field="case_no", new_value="x", reason="r")
    assert ei.value.codes() == {"field": "invalid_choice"}
    with pytest.raises(ValidationErrors):
        services.cases.amend(case, op, field="summary", new_value="新摘要", reason="")
    assert _code(lambda: services.cases.amend(case, op, field="petitioner.phone",
                                              new_value="13987654321", reason="r")) \
        == "amend_no_change"
    assert counts(tmp_paths.db_path) == before
    d = services.cases.amend(case, op, field="summary", new_value="承包地被占用", reason="简化")
    assert d.summary == "承包地被占用"
    assert services.casebook.query(__import__("station_app.services", fromlist=["CaseQuery"])
                                   .CaseQuery(text="承包地被占用")).total == 1


def test_link_refusals(services, op, case):
    other = services.intake.register(form(summary="另一件事"), op).case_id
    assert _code(lambda: services.cases.link(case, op, related=[case])) == "link_self"
    assert _code(lambda: services.cases.link(case, op, related=[uuid7()])) == "link_unknown"
    with pytest.raises(ValidationErrors):
        services.cases.link(case, op, related=[])
    d = services.cases.link(case, op, related=[other], note="同一户多次反映")
    assert [lk.case_id for lk in d.links] == [other]
    assert _code(lambda: services.cases.link(case, op, related=[other])) == "link_exists"


def test_amend_of_a_case_registered_without_account(services, op):
    """A case registered before 反映内容 was required (here: pulled from another station)
    stays amendable in its other fields; the account itself cannot be amended to empty."""
    case = uuid7()
    data = form(division=TEST_VILLAGE, case_no="530921108203-2026-0901", query_code="7KQ4XM")
    data.pop("account")
    with services.store.session() as s:
        apply_remote_events(s, [_remote(case, EventType.REGISTERED, 1, data)])
    d = services.cases.amend(case, op, field="summary", new_value="承包地被占", reason="简化")
    assert d.summary == "承包地被占" and not d.account
    with pytest.raises(ValidationErrors) as ei:
        services.cases.amend(case, op, field="account", new_value=" ", reason="补充")
    assert ei.value.codes() == {"account": "required"}
    d = services.cases.amend(case, op, field="account", new_value="邻居占地半亩。", reason="补充")
    assert d.account == "邻居占地半亩。"


def _remote(case: str, etype: EventType, lamport: int, data: dict, seq: int = 1) -> Event:
    return Event(uuid7(), case, "county-station", seq, etype.value, lamport, "county",
                 "2026-11-02T10:00:00+08:00", make_payload(data), route=TEST_VILLAGE)


def test_conflict_shown_and_resolved(services, township_services, op, case):
    """Shown at the village; resolved by a township operator (a village clerk does not
    arbitrate), here as the township station's copy of the case."""
    services.cases.accept(case, op, note="受理")
    remote = _remote(case, EventType.DECLINED, 2, {"reason": "不属于受理范围",
                                                   "supersedes": None})
    with services.store.session() as s:
        apply_remote_events(s, [remote])
    d = services.cases.detail(case, op)
    assert d.needs_decision and "resolve_conflict" not in d.allowed_actions
    assert _code(lambda: services.cases.resolve_conflict(
        case, op, group="decision", chosen_event_id=remote.event_id, note="x")) \
        == "action_not_for_role"
    (c,) = d.conflicts
    assert c.group == "decision"   # its words: ui/messages.py conflict_label
    assert remote.event_id in {o.event_id for o in c.options} and len(c.options) == 2
    assert services.casebook.counts().needs_decision == 1
    ship(services, township_services, case)
    town = township_services.accounts.authenticate("admin", "admin1234")
    assert "resolve_conflict" in township_services.cases.detail(case, town).allowed_actions
    assert _code(lambda: township_services.cases.resolve_conflict(
        case, town, group="decision", chosen_event_id=uuid7(), note="x")) == "conflict_unknown"
    assert _code(lambda: township_services.cases.resolve_conflict(
        case, town, group="conclusion", chosen_event_id=remote.event_id, note="x")) \
        == "conflict_unknown"
    d = township_services.cases.resolve_conflict(case, town, group="decision",
                                                 chosen_event_id=remote.event_id,
                                                 note="以县里意见为准")
    assert not d.needs_decision and d.status == "declined"
    ship(township_services, services, case)
    assert services.casebook.counts().needs_decision == 0


def test_supersedes_follows_the_fold_after_a_redo(services, op, case):
    services.cases.accept(case, op)
    services.cases.conclude(case, op, result="已答复", opinion="已解释政策")
    redo = _remote(case, EventType.REDO_ORDERED, 4, {"reason": "答复不到位"})
    with services.store.session() as s:
        apply_remote_events(s, [redo])
    d = services.cases.detail(case, op)
    assert d.status == "accepted" and "conclude" in d.allowed_actions
    d = services.cases.conclude(case, op, result="已解决", opinion="重新核实后解决")
    assert d.status == "concluded" and not d.needs_decision
    with services.store.read() as s:
        last = case_events(s, case)[-1]
    assert last.data()["supersedes"] == redo.event_id
