"""The permission matrix (issue 9 item 2): every cell action × relation × role, every action
× status, the actor checks, and the issue's own examples on cases folded from real events."""
from __future__ import annotations

import itertools

import pytest
from units_helpers import CITY, COUNTY, LC, MZ, PROVINCE, TOWN, VILLAGE, Story, station_unit

from petition_core import codes
from petition_core.divisions import DivisionTree
from petition_core.enums import Level, Role, Status
from petition_core.ownership import Parties, Relation, derive_parties, relations
from petition_core.permissions import (
    LEVEL_ROLES,
    RELATION_ACTIONS,
    ROLE_ACTIONS,
    STATUS_ACTIONS,
    Action,
    Actor,
    action_for_event,
    allowed,
    available_actions,
    cell,
    effective_role,
    server_actor,
)
from petition_core.unit_register import UnitRegister
from petition_core.units import ancestors, is_centre, level_of

A = Action
# units of another province (四川): never equal to, nor below, an actor in 云南
X, Y, Z = "510104001001", "510104000000.mz", "510104001000"
# (role, unit) pairs an operator can be: each role at the levels it belongs to
ACTORS = [(Role.VILLAGE, VILLAGE), (Role.TOWNSHIP, TOWN), (Role.COUNTY, COUNTY),
          (Role.COUNTY, MZ), (Role.COUNTY, CITY), (Role.COUNTY, PROVINCE),
          (Role.SUPERVISOR, TOWN), (Role.SUPERVISOR, COUNTY), (Role.ADMIN, VILLAGE),
          (Role.ADMIN, TOWN), (Role.ADMIN, MZ)]
# a unit directly below each centre that can be above something
CHILD = {TOWN: VILLAGE, COUNTY: TOWN, CITY: COUNTY, PROVINCE: CITY}


def actor(role: Role, unit: str) -> Actor:
    return Actor(unit, level_of(unit), role)


def parties_with(relation: Relation, unit: str) -> Parties:
    """Parties in which ``unit`` holds exactly ``relation``."""
    if relation is Relation.HANDLING:
        return Parties(registering=X, handling=unit, supervising=Y, handlers=(X, unit))
    if relation is Relation.SUPERVISING:
        return Parties(registering=X, handling=Y, supervising=unit, handlers=(X, unit, Y))
    if relation is Relation.REGISTERING:
        return Parties(registering=unit, handling=Y, supervising=Z, handlers=(unit, Y))
    if relation is Relation.REVIEWING:
        return Parties(registering=X, handling=Y, supervising=Z, reviewing=unit)
    if relation is Relation.FORMER:
        return Parties(registering=X, handling=Y, supervising=Z, handlers=(X, unit, Y))
    if relation is Relation.ABOVE:
        return Parties(registering=CHILD[unit], handling=CHILD[unit], handlers=(CHILD[unit],))
    return Parties(registering=X, handling=Y, supervising=Z)


# ---- one state per status (events really folded) -----------------------------------------
def _base() -> Story:
    return Story().register()


def _concluded() -> Story:
    return _base().do("V", "accepted").do("V", "concluded", result="已解决")


STATES = {
    Status.REGISTERED: lambda: _base(),
    Status.ACCEPTED: lambda: _base().do("V", "accepted"),
    Status.DECLINED: lambda: _base().do("V", "declined", reason="不属于受理范围"),
    Status.TRANSFERRED: lambda: _base().transfer("V", TOWN),
    Status.ASSIGNED: lambda: _base().assign("C", MZ),
    Status.CONCLUDED: _concluded,
    Status.CONCLUDED_UNRESOLVED: lambda: _base().do("V", "accepted").do(
        "V", "concluded", result="未能解决", outcome="unresolved"),
    Status.FOLLOWED_UP: lambda: _concluded().do("V", "followed_up", satisfaction="satisfied"),
    Status.REVIEWING: lambda: _concluded().do("V", "review_requested", kind="review"),
    Status.CLOSED: lambda: (_concluded().do("V", "review_requested", kind="review")
                            .do("T", "review_decided", kind="review", outcome="upheld")
                            .do("V", "review_requested", kind="rereview")
                            .do("C", "review_decided", kind="rereview", outcome="upheld")),
}


def test_the_fixture_states_have_their_status():
    for status, make in STATES.items():
        assert make().state().status is status


def _review_decided():
    return (_concluded().do("V", "review_requested", kind="review")
            .do("T", "review_decided", kind="review", outcome="upheld")).state()


def _conflicting():
    s = _base()
    s.events.append(s.factory.make("case.accepted", {"supersedes": None}, station="V",
                                   lamport=2))
    s.events.append(s.factory.make("case.declined", {"reason": "x", "supersedes": None},
                                   station="T", lamport=2))
    st = s.state()
    assert st.needs_decision
    return st


def _extension_asked():
    return _base().do("V", "accepted").do("V", "extension_requested", days=10,
                                           reason="需要测量").state()


def _assigned_with_report(submitted: bool = False):
    s = (_base().do("C", "assigned", to_division="530921000000", to_unit=MZ,
                    due="2026-04-30", report_required=True)
         .do("MZ", "accepted").do("MZ", "concluded", result="已解决"))
    if submitted:
        s.do("MZ", "report_submitted", report="已办结")
    return s.state()


def state_for(action: Action):
    """A state in which ``action``'s status and other preconditions hold."""
    if action is A.DECIDE_EXTENSION:
        return _extension_asked()
    if action is A.SUBMIT_REPORT:
        return _assigned_with_report()
    if action is A.ACCEPT_REPORT:
        return _assigned_with_report(submitted=True)
    if action is A.REQUEST_REREVIEW:
        return _review_decided()
    if action is A.RESOLVE_CONFLICT:
        return _conflicting()
    for status in (Status.ACCEPTED, Status.TRANSFERRED, Status.CONCLUDED, Status.REVIEWING,
                   Status.REGISTERED, Status.DECLINED, Status.CLOSED):
        if status in STATUS_ACTIONS[action]:
            return STATES[status]().state()
    raise AssertionError(f"no state for {action}")


CELLS = [(a, r, role, unit) for a in Action for r in Relation for role, unit in ACTORS
         if r is not Relation.ABOVE or unit in CHILD]


def _cell_mismatch(action, rel, role, unit):
    """None when allowed() agrees with the table cell for a unit holding exactly that
    relation, in a status where the action makes sense, and a refusal names the relation or
    the role; else what went wrong."""
    parties = parties_with(rel, unit)
    held = relations(parties, unit)
    if held != ({rel} if rel is not Relation.NONE else set()):
        return f"the fixture gives relations {sorted(held)}"
    who = actor(role, unit)
    verdict = allowed(state_for(action), who, action, parties=parties)
    expected = cell(action, rel, effective_role(who))
    if verdict.ok is not expected:
        return f"allowed() says {verdict}, the table says {expected}"
    if expected:
        return None
    if rel is Relation.NONE:
        want = ("case_not_visible", {})
    elif action not in RELATION_ACTIONS[rel]:
        want = ("action_not_for_relation", {"action": action.value, "relation": rel.value})
    else:
        want = ("action_not_for_role", {"action": action.value, "role": role.value})
    if (verdict.code, dict(verdict.params)) != want or verdict.code not in codes.CODES:
        return f"refused with {verdict}, expected {want}"
    return None


def test_every_cell_of_the_matrix():
    """Each cell (action × relation × role, for a village, township, county and department
    unit) is checked on its own; one loop rather than ~1,700 test items, so that the suite
    stays within its time budget, and every mismatching cell is listed."""
    bad = [f"{a.value}-{r.value}-{ro.value}-{u}: {why}" for a, r, ro, u in CELLS
           if (why := _cell_mismatch(a, r, ro, u))]
    assert len(CELLS) > 1000
    assert not bad, "\n".join(bad)


def test_the_cell_check_catches_a_wrong_judge(monkeypatch):
    """The loop above can fail: an allowed() that ignored the role (every actor judged as
    county staff) lets a village clerk urge a case it supervises, and the check says so."""
    import petition_core.permissions as perms

    assert _cell_mismatch(Action.URGE, Relation.SUPERVISING, Role.VILLAGE, VILLAGE) is None
    monkeypatch.setattr(perms, "effective_role", lambda who: Role.COUNTY)
    assert _cell_mismatch(Action.URGE, Relation.SUPERVISING, Role.VILLAGE, VILLAGE)


def test_villages_and_departments_are_never_above_anything():
    """Why the matrix test has no 'above' cell for a village or a department: nothing lies
    below them (every unit's ancestors are centres above village level)."""
    register = UnitRegister.load_default()
    tree = DivisionTree.load_default()
    units = [d.code for d in tree] + [r["code"] for r in register.to_rows()]
    units.append("530921108000.sfs")
    for code in units:
        for anc in ancestors(code):
            assert is_centre(anc) and level_of(anc) != Level.VILLAGE, (code, anc)


STATUS_CELLS = list(itertools.product(Action, Status))


def _status_mismatch(action, status):
    """A unit holding every relation, as county staff: only the status (and the few
    preconditions that are not a status) decides."""
    state = STATES[status]().state()
    every = Parties(registering=COUNTY, handling=COUNTY, supervising=COUNTY,
                    reviewing=COUNTY)
    verdict = allowed(state, actor(Role.COUNTY, COUNTY), action, parties=every)
    if status not in STATUS_ACTIONS[action]:
        want = ("action_not_in_status", {"action": action.value, "status": status.value})
        ok = (verdict.code, dict(verdict.params)) == want
    elif action is A.REQUEST_REREVIEW:
        ok = verdict.code == "review_not_decided"      # these states have no 复查 decision
    elif action is A.RESOLVE_CONFLICT:
        ok = verdict.code == "no_conflict"
    elif action is A.DECIDE_EXTENSION:
        ok = verdict.code == "extension_not_requested"   # nothing asked in these states
    elif action is A.SUBMIT_REPORT:
        ok = verdict.code == "report_not_required"       # no 交办 asked for a report
    elif action is A.ACCEPT_REPORT:
        ok = verdict.code == "report_not_submitted"
    else:
        ok = verdict.ok
    if status is Status.CLOSED and verdict.ok is not (action is A.VIEW):
        ok = False                                     # after 终结 nothing but view
    return None if ok else str(verdict)


def test_every_action_in_every_status():
    bad = [f"{a.value}-{s.value}: {why}" for a, s in STATUS_CELLS
           if (why := _status_mismatch(a, s))]
    assert len(STATUS_CELLS) == len(Action) * len(Status)
    assert not bad, "\n".join(bad)


def test_the_status_check_catches_a_wrong_judge(monkeypatch):
    """An allowed() that skipped the status would let a closed case be concluded."""
    import petition_core.permissions as perms

    assert _status_mismatch(Action.CONCLUDE, Status.CLOSED) is None
    monkeypatch.setattr(perms, "STATUS_ACTIONS", {a: frozenset(Status) for a in Action})
    assert _status_mismatch(Action.CONCLUDE, Status.CLOSED)


# ---- the issue's own examples, on parties folded from events -----------------------------
def _allowed(story: Story, unit: str, role: Role, action: Action):
    parties = derive_parties(story.events, station_unit=station_unit)
    return allowed(story.state(), actor(role, unit), action, parties=parties)


def test_a_village_that_transferred_to_the_department_can_no_longer_conclude():
    s = _base().do("V", "accepted").transfer("V", MZ)
    refused = _allowed(s, VILLAGE, Role.VILLAGE, A.CONCLUDE)
    assert refused.code == "action_not_for_relation"
    assert refused.params == {"action": "conclude", "relation": "supervising"}
    # as the unit that transferred it the village supervises, but a village does not urge
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.URGE).code == "action_not_for_role"
    assert _allowed(s, VILLAGE, Role.ADMIN, A.URGE).code == "action_not_for_role"
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.VIEW).ok


def test_the_department_signs_accepts_and_concludes():
    s = _base().do("V", "accepted").transfer("V", TOWN).transfer("T", MZ)
    assert _allowed(s, MZ, Role.COUNTY, A.SIGN).ok
    assert _allowed(s, MZ, Role.COUNTY, A.ACCEPT).ok
    # never before 受理
    assert _allowed(s, MZ, Role.COUNTY, A.CONCLUDE).code == "action_not_in_status"
    s.do("MZ", "accepted")
    for a in (A.CONCLUDE, A.REQUEST_EXTENSION, A.PROGRESS, A.TRANSFER):
        assert _allowed(s, MZ, Role.COUNTY, a).ok, a
    assert _allowed(s, MZ, Role.COUNTY, A.DECIDE_EXTENSION).code == "action_not_for_relation"
    assert _allowed(s, MZ, Role.SUPERVISOR, A.CONCLUDE).code == "action_not_for_role"
    # 林草局, a sibling department, has nothing to do with it
    assert _allowed(s, LC, Role.COUNTY, A.VIEW).code == "case_not_visible"


def test_the_township_that_transferred_urges_approves_and_sends_back():
    s = (_base().do("V", "accepted").transfer("V", TOWN).transfer("T", MZ)
         .do("MZ", "accepted"))
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.URGE).ok
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.DECIDE_EXTENSION).code \
        == "extension_not_requested"
    s.do("MZ", "extension_requested", days=10, reason="需要现场测量")
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.DECIDE_EXTENSION).ok
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.CONCLUDE).code == "action_not_for_relation"
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.SEND_BACK).code == "action_not_in_status"
    s.do("MZ", "concluded", result="已解决")
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.SEND_BACK).ok
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.ACCEPT_REPORT).code == "report_not_submitted"
    s.do("MZ", "report_submitted", report="已解决，附照片")
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.ACCEPT_REPORT).ok
    assert _allowed(s, TOWN, Role.SUPERVISOR, A.SEND_BACK).ok
    # the county centre above urges, but neither concludes nor sends back
    assert _allowed(s, COUNTY, Role.COUNTY, A.SEND_BACK).code == "action_not_for_relation"
    s.do("T", "redo_ordered", reason="补充材料")
    assert _allowed(s, MZ, Role.COUNTY, A.CONCLUDE).ok          # back in its hands
    s.do("MZ", "concluded", result="已补充材料")
    assert s.state().conclusion["result"] == "已补充材料"
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.SEND_BACK).ok


def test_every_level_above_may_see_and_urge():
    s = _base().do("V", "accepted").transfer("V", TOWN).transfer("T", MZ)
    for unit in (COUNTY, CITY, PROVINCE):
        assert _allowed(s, unit, Role.COUNTY, A.URGE).ok, unit
        assert _allowed(s, unit, Role.COUNTY, A.VIEW).ok, unit
        assert _allowed(s, unit, Role.COUNTY, A.CONCLUDE).code == "action_not_for_relation"
    assert _allowed(s, COUNTY, Role.SUPERVISOR, A.URGE).ok
    # a village registering the case cannot urge it (a relation without 督办)
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.URGE).code == "action_not_for_relation"
    # another county's centre sees nothing
    assert _allowed(s, "530922000000", Role.COUNTY, A.VIEW).code == "case_not_visible"


def test_the_registering_village_follows_up_after_conclusion():
    s = (_base().do("V", "accepted").transfer("V", TOWN).transfer("T", MZ)
         .do("MZ", "accepted"))
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.FOLLOW_UP).code == "action_not_in_status"
    s.do("MZ", "concluded", result="已解决")
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.FOLLOW_UP).ok
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.PRINT).ok
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.SERVE).ok
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.REQUEST_REVIEW).ok
    assert _allowed(s, MZ, Role.COUNTY, A.FOLLOW_UP).code == "action_not_for_relation"
    s.do("V", "followed_up", satisfaction="dissatisfied").do("V", "review_requested")
    assert _allowed(s, CITY, Role.COUNTY, A.DECIDE_REVIEW).ok        # above 县民政局
    assert _allowed(s, COUNTY, Role.COUNTY, A.DECIDE_REVIEW).code == "action_not_for_relation"


def test_nothing_but_view_after_closing():
    s = STATES[Status.CLOSED]()
    st, parties = s.state(), derive_parties(s.events, station_unit=station_unit)
    for unit, role in ((VILLAGE, Role.VILLAGE), (TOWN, Role.TOWNSHIP), (COUNTY, Role.COUNTY),
                       (CITY, Role.COUNTY)):
        assert available_actions(st, actor(role, unit), parties=parties) == (A.VIEW,)


def test_extensions_stop_at_thirty_days():
    s = _base().do("V", "accepted").transfer("V", TOWN).do("T", "accepted")
    s.do("V", "extended", days=20, reason="需现场核实")
    assert _allowed(s, TOWN, Role.TOWNSHIP, A.REQUEST_EXTENSION).ok
    s.do("V", "extended", days=10, reason="需现场核实")
    refused = _allowed(s, TOWN, Role.TOWNSHIP, A.REQUEST_EXTENSION)
    assert refused.code == "extension_exhausted" and refused.params == {"max_days": 30}
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.DECIDE_EXTENSION).code in (
        "action_not_for_role", "extension_exhausted")


@pytest.mark.parametrize("unit,level,role,code", [
    (VILLAGE, Level.VILLAGE, Role.COUNTY, "role_not_for_level"),   # no county clerk in a village
    (VILLAGE, Level.VILLAGE, Role.TOWNSHIP, "role_not_for_level"),
    (VILLAGE, Level.VILLAGE, Role.SUPERVISOR, "role_not_for_level"),
    (MZ, Level.COUNTY, Role.VILLAGE, "role_not_for_level"),
    (TOWN, Level.TOWNSHIP, Role.COUNTY, "role_not_for_level"),
    (VILLAGE, Level.COUNTY, Role.COUNTY, "actor_invalid"),         # a village is no county
    ("530921108201.x", Level.VILLAGE, Role.VILLAGE, "actor_invalid"),
    ("", Level.VILLAGE, Role.VILLAGE, "actor_invalid"),
])
def test_the_actor_is_checked_first(unit, level, role, code):
    refused = allowed(_base().state(), Actor(unit, level, role), A.VIEW)
    assert refused.code == code and code in codes.CODES


def test_roles_belong_to_levels():
    assert LEVEL_ROLES[Level.VILLAGE] == {Role.VILLAGE, Role.ADMIN}
    assert LEVEL_ROLES[Level.TOWNSHIP] == {Role.TOWNSHIP, Role.SUPERVISOR, Role.ADMIN}
    for lv in (Level.COUNTY, Level.CITY, Level.PROVINCE):
        assert LEVEL_ROLES[lv] == {Role.COUNTY, Role.SUPERVISOR, Role.ADMIN}
    assert set(ROLE_ACTIONS) == set(Role) - {Role.ADMIN}


def test_unknown_action_and_unregistered_case():
    assert allowed(_base().state(), actor(Role.VILLAGE, VILLAGE), "fly").code == "action_unknown"
    from petition_core.fold import CaseState
    assert allowed(CaseState("x"), actor(Role.VILLAGE, VILLAGE), A.VIEW).code == "case_unknown"
    # a string action is accepted as its value
    assert allowed(_base().state(), actor(Role.VILLAGE, VILLAGE), "accept").ok


def test_sealed_cases_cannot_be_printed():
    s = Story()
    s.events.append(s.factory.make("case.registered", sealed=True, station="V"))
    from dataclasses import replace
    s.events[0] = replace(s.events[0], route=VILLAGE)
    st = s.state()
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.PRINT).code == "case_sealed"
    assert _allowed(s, VILLAGE, Role.VILLAGE, A.ACCEPT).ok and st.sealed


def test_server_actor_and_event_actions():
    assert server_actor(MZ) == Actor(MZ, Level.COUNTY, Role.COUNTY)
    assert server_actor(VILLAGE) == Actor(VILLAGE, Level.VILLAGE, Role.VILLAGE)
    assert server_actor(CITY).role is Role.COUNTY
    assert action_for_event("case.concluded") is A.CONCLUDE
    assert action_for_event("case.redo_ordered") is A.SEND_BACK
    assert action_for_event("case.review_requested", {"kind": "rereview"}) is A.REQUEST_REREVIEW
    assert action_for_event("case.review_requested", {}) is A.REQUEST_REVIEW
    assert action_for_event("case.registered") is None
    assert action_for_event("case.nonsense") is None


def test_relation_table_covers_every_relation_and_status_table_every_action():
    assert set(RELATION_ACTIONS) == set(Relation) and RELATION_ACTIONS[Relation.NONE] == set()
    assert set(STATUS_ACTIONS) == set(Action)
    # only the handling unit may sign, accept, conclude, ask for an extension (the issue)
    for a in (A.SIGN, A.ACCEPT, A.CONCLUDE, A.REQUEST_EXTENSION, A.DECLINE):
        assert [r for r in Relation if a in RELATION_ACTIONS[r]] == [Relation.HANDLING]
    for a in (A.SEND_BACK, A.ACCEPT_REPORT):
        assert [r for r in Relation if a in RELATION_ACTIONS[r]] == [Relation.SUPERVISING]
    # an extension of a case nobody transferred is decided by the level above (Art. 34)
    assert [r for r in Relation if A.DECIDE_EXTENSION in RELATION_ACTIONS[r]] \
        == [Relation.SUPERVISING, Relation.ABOVE]
    assert [r for r in Relation if A.FOLLOW_UP in RELATION_ACTIONS[r]] == [Relation.REGISTERING]
