"""The gate (issue 7, A1–A3): one schema per event type, the authorization rule and the
intake form's content check, in the order the server applies them at merge."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petition_core.authz import LEVEL_EVENTS, Actor, CaseView, check_event
from petition_core.divisions import DivisionTree
from petition_core.enums import Level
from petition_core.events import Event, EventFormatError, EventType, make_payload
from petition_core.fold import fold
from petition_core.gate import judge
from petition_core.ids import uuid7
from petition_core.schemas import SCHEMAS, check_payload

VILLAGE = "530921108203"
OTHER_TOWNSHIP_VILLAGE = "530921101201"
TOWNSHIP = "530921108000"
CLOCK = "2026-11-28T09:00:00+08:00"


def reg(**extra):
    return {"division": VILLAGE, "channel": "visit", "category": "land",
            "statute_type": "appeal", "received_at": "2026-11-28T08:30:00+08:00",
            "summary": "土地纠纷", "account": "承包地边界有争议。",
            "petitioner": {"name": "张三", "anonymous": False}, **extra}


def ev(data, *, type=EventType.REGISTERED, route=None, case_id=None, occurred_at=CLOCK,
       sealed=False):
    route = (VILLAGE if type == EventType.REGISTERED else "") if route is None else route
    return Event(event_id=uuid7(), case_id=case_id or uuid7(), station_id="s1", station_seq=1,
                 type=type.value, lamport=1, actor="duty", occurred_at=occurred_at,
                 payload=b"\x00secret" if sealed else make_payload(data),
                 payload_enc="sealed:x" if sealed else "json", route=route)


ACTOR = Actor.of("s1", VILLAGE)
TREE = DivisionTree.load_default()


def verdict(e, case=None, actor=ACTOR, referable=None):
    r = judge(e, actor=actor, case=case or CaseView(), divisions=TREE, referable=referable)
    return None if r is None else (r.code, r.detail)


def test_every_event_type_has_one_schema_module():
    assert set(SCHEMAS) == {t.value for t in EventType}
    assert len({m.__name__ for m in SCHEMAS.values()}) == len(EventType)


def test_every_event_type_has_a_level_that_may_write_it():
    """A new event type (c1's case.served was one) must be given its row in the level table,
    or every station's own services refuse it and the county voids it."""
    from petition_core.authz import LEVEL_EVENTS
    from petition_core.enums import Level

    for t in EventType:
        assert any(t.value in allowed for allowed in LEVEL_EVENTS.values()), t
    assert EventType.SERVED.value in LEVEL_EVENTS[Level.VILLAGE]   # the village serves replies


def test_served_is_judged_by_its_schema_and_the_served_form():
    """case.served (送达): malformed → payload_invalid; a date after the writing station's
    own clock → date_future, like its dialog; a good one passes."""
    mine = CaseView(True, VILLAGE, frozenset({VILLAGE}))
    good = {"reply": "conclusion", "served_on": "2026-11-27", "method": "direct"}
    assert verdict(ev(good, type=EventType.SERVED), mine) is None
    assert verdict(ev({**good, "method": "pigeon"}, type=EventType.SERVED), mine)[0] \
        == "payload_invalid"
    assert verdict(ev({**good, "served_on": 20261127}, type=EventType.SERVED), mine)[0] \
        == "payload_invalid"
    assert verdict(ev({**good, "served_on": "2026-11-29"}, type=EventType.SERVED), mine) \
        == ("date_future", "served_on:date_future")
    other = CaseView(True, OTHER_TOWNSHIP_VILLAGE, frozenset({OTHER_TOWNSHIP_VILLAGE}))
    assert verdict(ev(good, type=EventType.SERVED), other)[0] == "event_not_permitted"


# ---- A1: the poison payloads of issue 7, each refused with a code and the field path ------
@pytest.mark.parametrize("etype,data,path", [
    (EventType.REGISTERED, reg(petitioner="张三"), "petitioner"),
    (EventType.REGISTERED, reg(petitioner=["张三"]), "petitioner"),
    (EventType.REGISTERED, reg(attachments=3), "attachments"),
    (EventType.REGISTERED, reg(links=3), "links"),
    (EventType.REGISTERED, reg(case_no=530921), "case_no"),
    (EventType.REGISTERED, reg(query_code=["K7QH3M"]), "query_code"),
    (EventType.REGISTERED, reg(attachments=[{"sha256": ["x"], "name": "a", "size": 1}]),
     "attachments.0.sha256"),
    (EventType.LINKED, {"related": 3}, "related"),
    (EventType.AMENDED, {"field": ["summary"], "new": "x", "reason": "r"}, "field"),
    (EventType.ACCEPTED, {"supersedes": {"a": 1}}, "supersedes"),
    (EventType.CONFLICT_RESOLVED, {"group": "decision", "chosen_event_id": 7, "note": "n"},
     "chosen_event_id"),
    (EventType.EXTENDED, {"days": True}, "days"),
    (EventType.PROGRESS, {"note": "x", "at": "9999-12-31"}, "at"),
    # the handling chain (issue 9 item 3)
    (EventType.SIGNED, {"note": 5}, "note"),
    (EventType.SIGNED, {"signed_by": "x"}, "signed_by"),
    (EventType.TRANSFER_OBJECTED, {}, "reason"),
    (EventType.TRANSFER_OBJECTED, {"reason": ["不归我们"]}, "reason"),
    (EventType.EXTENSION_REQUESTED, {"days": 31, "reason": "r"}, "days"),
    (EventType.EXTENSION_REQUESTED, {"days": "10", "reason": "r"}, "days"),
    (EventType.EXTENSION_REQUESTED, {"days": 10}, "reason"),
    (EventType.EXTENSION_DECIDED, {"decision": "maybe", "request_id": uuid7()}, "decision"),
    (EventType.EXTENSION_DECIDED, {"decision": "approved"}, "request_id"),
    (EventType.EXTENSION_DECIDED, {"decision": "approved", "request_id": "x"}, "request_id"),
    (EventType.EXTENSION_DECIDED, {"decision": "approved", "request_id": uuid7(),
                                   "days": 0}, "days"),
    (EventType.REPORT_SUBMITTED, {"report": {"text": "x"}}, "report"),
    (EventType.REPORT_ACCEPTED, {"report_id": 12}, "report_id"),
    (EventType.CLOSED, {"reason": None}, "reason"),
    (EventType.CONCLUDED, {"result": "x", "outcome": "half"}, "outcome"),
    (EventType.ASSIGNED, {"to_division": VILLAGE, "report_required": "yes"},
     "report_required"),
    (EventType.URGED, {"note": "x", "due": "2026-02-30"}, "due"),
])
def test_poison_payloads_are_payload_invalid_with_their_field(etype, data, path):
    e = ev(data, type=etype)
    with pytest.raises(EventFormatError) as exc:
        check_payload(e)
    assert exc.value.code == "payload_invalid"
    assert exc.value.detail.split(":")[0] == path
    # and the fold, the defence in depth, takes them without raising
    fold([ev(reg()), e] if etype != EventType.REGISTERED else [e])


CHAIN_GOOD = [
    (EventType.SIGNED, {"note": "已签收", "at": CLOCK}),
    (EventType.TRANSFER_OBJECTED, {"reason": "不属于本单位职责", "at": CLOCK}),
    (EventType.EXTENSION_REQUESTED, {"days": 15, "reason": "需要现场测量"}),
    (EventType.EXTENSION_DECIDED, {"decision": "approved", "request_id": uuid7(), "days": 10,
                                   "note": "同意"}),
    (EventType.EXTENSION_DECIDED, {"decision": "refused", "request_id": uuid7()}),
    (EventType.REPORT_SUBMITTED, {"report": "已办结，附现场照片"}),
    (EventType.REPORT_ACCEPTED, {"report_id": uuid7(), "note": "同意"}),
    (EventType.CLOSED, {"reason": "复核后终结"}),
    (EventType.CONCLUDED, {"result": "未能解决", "opinion": "x", "outcome": "unresolved"}),
    (EventType.URGED, {"note": "请尽快办理", "due": "2026-12-10"}),
]


@pytest.mark.parametrize("etype,data", CHAIN_GOOD, ids=[t.value for t, _ in CHAIN_GOOD])
def test_chain_events_that_fit_pass_the_schema(etype, data):
    assert check_payload(ev(data, type=etype)) == data


def test_chain_events_refused_to_a_village_that_may_not_supervise():
    """A village station never decides an extension, signs off a report or closes a case:
    the level table refuses those types before anything else."""
    mine = CaseView(True, VILLAGE, frozenset({VILLAGE}))
    for etype, data in CHAIN_GOOD:
        refused = etype in (EventType.EXTENSION_DECIDED, EventType.REPORT_ACCEPTED,
                            EventType.CLOSED, EventType.URGED)
        v = verdict(ev(data, type=etype), mine)
        assert (v is not None and v[0] == "event_not_permitted") is refused, (etype, v)


def test_chain_texts_are_judged_like_the_services_judge_them():
    """Content: the chain's texts get the services' limits (required, length, control
    characters) at every store, not only in the station's dialogs."""
    mine = CaseView(True, VILLAGE, frozenset({VILLAGE}))
    town = Actor.of("t", TOWNSHIP)
    assert verdict(ev({"reason": "  "}, type=EventType.TRANSFER_OBJECTED), mine)[0] == "required"
    assert verdict(ev({"report": "报" * 5001}, type=EventType.REPORT_SUBMITTED), mine)[0] \
        == "too_long"
    assert verdict(ev({"days": 5, "reason": "测量\x1b[31m"},
                      type=EventType.EXTENSION_REQUESTED), mine)[0] == "control_chars"
    assert verdict(ev({"reason": "依法终结"}, type=EventType.CLOSED), mine, actor=town) is None
    assert verdict(ev({"reason": ""}, type=EventType.CLOSED), mine, actor=town)[0] \
        == "required"


def test_route_must_match_the_payload_and_only_routing_types_route():
    assert verdict(ev(reg(division=TOWNSHIP), route=VILLAGE)) == (
        "payload_invalid", "division: differs from route")
    assert verdict(ev({"note": "x"}, type=EventType.PROGRESS, route=VILLAGE),
                   CaseView(True, VILLAGE, frozenset({VILLAGE})))[0] == "payload_invalid"


def test_sealed_payloads_check_envelope_and_route_only():
    assert check_payload(ev(None, sealed=True)) is None
    with pytest.raises(EventFormatError):
        check_payload(ev(None, type=EventType.PROGRESS, route=VILLAGE, sealed=True))
    # a sealed registration outside the station's division is still refused
    assert verdict(ev(None, route=OTHER_TOWNSHIP_VILLAGE, sealed=True))[0] == \
        "event_not_permitted"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=3), max_leaves=12)
fields = st.sampled_from(["case_no", "division", "petitioner", "attachments", "links",
                          "field", "related", "to_division", "at", "attachment", "group",
                          "chosen_event_id", "satisfaction", "days", "kind", "supersedes",
                          "due", "new", "old", "summary", "subject", "reason", "report",
                          "decision", "request_id", "report_id", "outcome",
                          "report_required", "note"])


@settings(max_examples=300, deadline=None)
@given(types=st.lists(st.sampled_from(list(EventType)), min_size=1, max_size=6),
       payloads=st.lists(st.dictionaries(fields, json_values, max_size=6), min_size=6,
                         max_size=6))
def test_the_fold_never_raises_on_odd_payloads(types, payloads):
    case = uuid7()
    events = [ev(p, type=t, case_id=case, route="") for t, p in zip(types, payloads, strict=False)]
    state = fold(events, case)
    from petition_core.clocks import WorkCalendar, clocks_for

    try:
        clocks_for(state, WorkCalendar.load_default())
    except OverflowError:  # the projection catches this one (dates out of any range)
        pass


# ---- A2: authorization ----------------------------------------------------------------
def test_a_village_registers_only_within_its_own_division():
    assert verdict(ev(reg())) is None
    planted = ev(reg(division=OTHER_TOWNSHIP_VILLAGE), route=OTHER_TOWNSHIP_VILLAGE)
    assert verdict(planted) == ("event_not_permitted",
                                "registration outside the station's division")
    # a township registers for its villages
    assert verdict(ev(reg()), actor=Actor.of("t", TOWNSHIP)) is None


def test_events_only_on_known_cases_visible_to_the_station():
    prog = ev({"note": "进展"}, type=EventType.PROGRESS)
    assert verdict(prog) == ("event_not_permitted", "case unknown")
    theirs = CaseView(True, "530921108204", frozenset({"530921108204"}))
    assert verdict(prog, theirs) == ("event_not_permitted", "case not visible to the station")
    transfer = ev({"to_division": VILLAGE, "kind": "transfer"}, type=EventType.TRANSFERRED,
                  route=VILLAGE)
    assert verdict(transfer, theirs)[0] == "event_not_permitted"   # the A2(b) attack
    assert verdict(prog, theirs, actor=Actor.of("t", TOWNSHIP)) is None
    assert verdict(ev(reg()), CaseView(True, VILLAGE, frozenset({VILLAGE})))[1] == \
        "case already registered"


def test_levels_produce_only_their_event_types():
    assert EventType.URGED.value not in LEVEL_EVENTS[Level.VILLAGE]
    assert EventType.URGED.value in LEVEL_EVENTS[Level.TOWNSHIP]
    assert EventType.REVIEW_DECIDED.value in LEVEL_EVENTS[Level.COUNTY]
    mine = CaseView(True, VILLAGE, frozenset({VILLAGE}))
    urge = ev({"note": "督办"}, type=EventType.URGED)
    assert verdict(urge, mine)[0] == "event_not_permitted"
    assert verdict(urge, mine, actor=Actor.of("t", TOWNSHIP)) is None


def test_attachments_only_those_the_station_may_reference():
    sha = "ab" * 32
    e = ev(reg(attachments=[{"sha256": sha, "name": "照片.jpg", "size": 10}]))
    assert verdict(e, referable=set()) == ("event_not_permitted",
                                           "attachment abababababab not uploaded by the station")
    assert verdict(e, referable={sha}) is None
    assert check_event(ACTOR, e, CaseView(), data=None, referable=set()) is None  # sealed


# ---- A3: content, with the intake form's codes ------------------------------------------
@pytest.mark.parametrize("data,code,field", [
    (reg(petitioner={"name": "张三", "id_number": "53092119800101001X"}), "id_checksum",
     "petitioner.id_number"),
    (reg(petitioner={"name": "张三", "phone": "1380013"}), "phone_invalid", "petitioner.phone"),
    (reg(summary="土地\u202e纠纷"), "control_chars", "summary"),
    (reg(summary="土地\x07纠纷"), "control_chars", "summary"),
    (reg(summary="长" * 101), "too_long", "summary"),
    (reg(category="bribery"), "invalid_choice", "category"),
    (reg(received_at="2026-13-01"), "date_format", "received_at"),
    (reg(received_at="1999-12-31T00:00:00+08:00"), "date_too_old", "received_at"),
    (reg(received_at="2026-11-30T09:00:00+08:00"), "date_future", "received_at"),
])
def test_registration_content_is_refused_with_the_intake_codes(data, code, field):
    assert verdict(ev(data)) == (code, f"{field}:{code}")


def test_amendment_content_is_refused_with_the_intake_codes():
    mine = CaseView(True, VILLAGE, frozenset({VILLAGE}))
    bad = ev({"field": "petitioner.phone", "old": None, "new": "110", "reason": "更正"},
             type=EventType.AMENDED)
    assert verdict(bad, mine) == ("phone_invalid", "petitioner.phone:phone_invalid")
    ok = ev({"field": "petitioner.phone", "old": None, "new": "138 0013 8000",
             "reason": "更正"}, type=EventType.AMENDED)
    assert verdict(ok, mine) is None
    long = ev({"field": "summary", "old": "a", "new": "长" * 101, "reason": "r"},
              type=EventType.AMENDED)
    assert verdict(long, mine)[0] == "too_long"


def test_dates_are_judged_against_the_clock_that_wrote_them():
    # a village PC a day (or a year) ahead: received_at and occurred_at move together
    for days in (1, 400):
        clock = datetime.now(timezone(timedelta(hours=8))) + timedelta(days=days)
        e = ev(reg(received_at=(clock - timedelta(minutes=3)).isoformat()),
               occurred_at=clock.isoformat(timespec="seconds"))
        assert verdict(e) is None, days
    # received_at after the station's own clock (plus the form's 2 minutes): refused
    late = ev(reg(received_at="2026-11-28T09:03:00+08:00"))
    assert verdict(late)[0] == "date_future"


def test_gate_order_is_schema_then_authorization_then_content():
    both = ev(reg(division=OTHER_TOWNSHIP_VILLAGE, summary="长" * 101, petitioner="x"),
              route=OTHER_TOWNSHIP_VILLAGE)
    assert verdict(both)[0] == "payload_invalid"
    planted = ev(reg(division=OTHER_TOWNSHIP_VILLAGE, summary="长" * 101),
                 route=OTHER_TOWNSHIP_VILLAGE)
    assert verdict(planted)[0] == "event_not_permitted"


def test_refusal_details_never_carry_control_characters():
    e = ev(reg(**{"\x1b[31mevil": 1}))
    code, detail = verdict(e)
    assert code == "payload_invalid" and detail.isprintable() and "\x1b" not in detail
