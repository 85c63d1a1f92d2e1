"""The handling chain of issue 9 item 3 on cases folded from real events: 签收, 转办异议,
延期 asked and decided, 交办 with a 办结报告, 办结未解决, 终结 — fold, parties and allowed()."""
from __future__ import annotations

from units_helpers import COUNTY, MZ, TOWN, VILLAGE, Story, station_unit

from petition_core.clocks import WorkCalendar, clocks_for
from petition_core.enums import Role, Status
from petition_core.ownership import Relation, derive_parties, relation
from petition_core.permissions import Action, Actor, allowed, available_actions
from petition_core.units import level_of

A = Action


def _actor(unit: str, role: Role) -> Actor:
    return Actor(unit, level_of(unit), role)


def _ok(story: Story, unit: str, role: Role, action: Action):
    parties = derive_parties(story.events, station_unit=station_unit)
    return allowed(story.state(), _actor(unit, role), action, parties=parties)


def _transferred() -> Story:
    return Story().register().do("V", "accepted").transfer("V", TOWN)


def test_sign_once_by_the_receiver_only():
    s = _transferred()
    assert _ok(s, TOWN, Role.TOWNSHIP, A.SIGN).ok
    assert _ok(s, VILLAGE, Role.VILLAGE, A.SIGN).code == "action_not_for_relation"
    s.do("T", "signed", note="已签收")
    st = s.state()
    assert st.signed_at and st.status is Status.TRANSFERRED    # a flag, not a status
    assert _ok(s, TOWN, Role.TOWNSHIP, A.SIGN).code == "already_signed"
    assert _ok(s, TOWN, Role.TOWNSHIP, A.ACCEPT).ok
    # a new 转办 needs a new 签收
    s.transfer("T", MZ)
    assert s.state().signed_at is None
    assert _ok(s, MZ, Role.COUNTY, A.SIGN).ok


def test_objection_sends_the_case_back_to_its_sender_in_its_former_status():
    s = _transferred()
    assert _ok(s, TOWN, Role.TOWNSHIP, A.OBJECT_TRANSFER).ok
    assert _ok(s, VILLAGE, Role.VILLAGE, A.CONCLUDE).code == "action_not_for_relation"
    s.do("T", "transfer_objected", reason="属于村里的承包地纠纷")
    st = s.state()
    assert st.status is Status.ACCEPTED and st.owner_division == VILLAGE
    assert st.objections[0]["reason"] == "属于村里的承包地纠纷"
    parties = derive_parties(s.events, station_unit=station_unit)
    assert parties.handling == VILLAGE and parties.supervising is None
    assert parties.history[-1].kind == "objection"
    assert relation(parties, TOWN) is Relation.ABOVE
    assert _ok(s, VILLAGE, Role.VILLAGE, A.CONCLUDE).ok           # back in its hands
    assert _ok(s, TOWN, Role.TOWNSHIP, A.OBJECT_TRANSFER).code == "action_not_for_relation"


def test_no_objection_after_signing():
    s = _transferred().do("T", "signed")
    assert _ok(s, TOWN, Role.TOWNSHIP, A.OBJECT_TRANSFER).code == "objection_not_for_move"


def test_extension_asked_by_the_handler_decided_by_the_supervisor():
    s = _transferred().do("T", "accepted")
    assert _ok(s, TOWN, Role.TOWNSHIP, A.REQUEST_EXTENSION).ok
    assert _ok(s, VILLAGE, Role.VILLAGE, A.REQUEST_EXTENSION).code == "action_not_for_relation"
    assert _ok(s, COUNTY, Role.COUNTY, A.DECIDE_EXTENSION).code == "extension_not_requested"
    s.do("T", "extension_requested", days=20, reason="需要测量土地")
    req = s.state().extension_request
    assert req is not None and req["days"] == 20
    assert _ok(s, TOWN, Role.TOWNSHIP, A.REQUEST_EXTENSION).code == "extension_pending"
    # the supervisor is the village (it transferred): a village role may not decide;
    # the county above may
    assert _ok(s, VILLAGE, Role.VILLAGE, A.DECIDE_EXTENSION).code == "action_not_for_role"
    assert _ok(s, COUNTY, Role.COUNTY, A.DECIDE_EXTENSION).ok
    before = s.state()
    cal = WorkCalendar.load_default()
    due0 = next(c for c in clocks_for(before, cal) if c.key == "conclude").due
    # a decision naming another request changes nothing
    s.do("C", "extension_decided", decision="approved", request_id=s.events[0].event_id,
         days=20)
    assert s.state().extension_days == 0 and s.state().extension_request is not None
    s.do("C", "extension_decided", decision="approved", request_id=req["event_id"], days=15)
    st = s.state()
    assert st.extension_days == 15 and st.extension_request is None
    clock = next(c for c in clocks_for(st, cal) if c.key == "conclude")
    assert clock.due == cal.period_end(clock.start, 75) and clock.due > due0


def test_a_refused_extension_moves_nothing_and_thirty_days_is_the_cap():
    s = Story().register().do("V", "accepted")
    s.do("V", "extension_requested", days=20, reason="r")
    rid = s.events[-1].event_id
    s.do("T", "extension_decided", decision="refused", request_id=rid, note="理由不足")
    assert s.state().extension_days == 0 and s.state().extension_request is None
    # the township above decides for a case nobody transferred (Art. 34)
    s.do("V", "extension_requested", days=25, reason="r")
    assert _ok(s, TOWN, Role.TOWNSHIP, A.DECIDE_EXTENSION).ok
    s.do("T", "extension_decided", decision="approved", request_id=s.events[-1].event_id)
    s.do("V", "extension_requested", days=10, reason="r")
    s.do("T", "extension_decided", decision="approved", request_id=s.events[-1].event_id)
    assert s.state().extension_days == 30
    assert _ok(s, VILLAGE, Role.VILLAGE, A.REQUEST_EXTENSION).code == "extension_exhausted"


def test_assignment_with_report_then_sign_off_or_send_back():
    s = Story().register().do("V", "accepted")
    s.do("C", "assigned", to_division=COUNTY, to_unit=MZ, due="2026-12-20",
         report_required=True, note="请核实")
    st = s.state()
    assert st.status is Status.ASSIGNED and st.report_required and st.assigned_due
    s.do("MZ", "signed").do("MZ", "accepted")
    assert _ok(s, MZ, Role.COUNTY, A.SUBMIT_REPORT).code == "action_not_in_status"
    s.do("MZ", "concluded", result="已解决", opinion="已发放补助", outcome="resolved")
    assert _ok(s, COUNTY, Role.COUNTY, A.ACCEPT_REPORT).code == "report_not_submitted"
    assert _ok(s, MZ, Role.COUNTY, A.SUBMIT_REPORT).ok
    s.do("MZ", "report_submitted", report="已发放补助，附名单")
    assert _ok(s, MZ, Role.COUNTY, A.SUBMIT_REPORT).code == "report_already_submitted"
    assert _ok(s, MZ, Role.COUNTY, A.ACCEPT_REPORT).code == "action_not_for_relation"
    assert _ok(s, COUNTY, Role.COUNTY, A.ACCEPT_REPORT).ok
    s.do("C", "redo_ordered", reason="名单不全")
    st = s.state()
    assert st.status is Status.ACCEPTED and st.report is None and st.redo_count == 1
    s.do("MZ", "concluded", result="已补发", opinion="x")
    s.do("MZ", "report_submitted", report="已补发")
    s.do("C", "report_accepted", report_id=s.events[-1].event_id, note="同意")
    assert s.state().report["accepted_at"]
    assert _ok(s, COUNTY, Role.COUNTY, A.ACCEPT_REPORT).code == "report_not_submitted"


def test_a_transfer_never_asks_for_a_report():
    s = _transferred().do("T", "accepted").do("T", "concluded", result="已解决")
    assert _ok(s, TOWN, Role.TOWNSHIP, A.SUBMIT_REPORT).code == "report_not_required"


def test_concluded_unresolved_is_a_status_of_its_own():
    s = Story().register().do("V", "accepted")
    s.do("V", "concluded", result="未能解决", opinion="双方未达成一致", outcome="unresolved")
    st = s.state()
    assert st.status is Status.CONCLUDED_UNRESOLVED and st.conclusion["outcome"] == "unresolved"
    assert _ok(s, VILLAGE, Role.VILLAGE, A.FOLLOW_UP).ok
    assert _ok(s, TOWN, Role.TOWNSHIP, A.CLOSE).code == "action_not_for_relation"


def test_after_closing_only_view():
    s = Story().register().do("V", "accepted").do("V", "concluded", result="已解决")
    assert _ok(s, VILLAGE, Role.VILLAGE, A.CLOSE).code == "action_not_for_role"
    s.do("V", "closed", reason="已复核，终结")
    st = s.state()
    assert st.status is Status.CLOSED and st.closed["reason"] == "已复核，终结"
    for unit, role in ((VILLAGE, Role.VILLAGE), (TOWN, Role.TOWNSHIP), (COUNTY, Role.COUNTY)):
        parties = derive_parties(s.events, station_unit=station_unit)
        assert available_actions(st, _actor(unit, role), parties=parties) == (A.VIEW,)
