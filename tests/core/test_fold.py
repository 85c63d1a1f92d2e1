"""The fold: order independence, conflicts, redo, amendments, sealed content."""
from __future__ import annotations

import random

from core_helpers import EventFactory, registered_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petition_core.enums import Status
from petition_core.events import EventType as T
from petition_core.fold import Folder, fold, sort_key

TOWN = "530921108000"
COUNTY = "530921000000"


def _registered(f: EventFactory, **kw):
    return f.make(T.REGISTERED.value, registered_data(), lamport=1, **kw)


# ---- basics -----------------------------------------------------------------------------

def test_registered_facts(events):
    reg = _registered(events)
    s = fold([reg])
    assert s.registered and not s.sealed and not s.needs_decision
    assert s.case_no == "530921108201-2026-0007" and s.query_code == "7KQ4XM"
    assert s.division == s.owner_division == "530921108201"
    assert s.fact("petitioner.name") == "曾小明"
    assert "case_no" not in s.facts and "division" not in s.facts
    assert s.status == Status.REGISTERED and s.events == [reg]


def test_a_hashed_query_code_is_state_not_a_fact(events):
    data = registered_data()
    data.pop("query_code")
    data["query_code_hash"] = "pbkdf2-sha256$1000$" + "ab" * 32
    s = fold([events.make(T.REGISTERED.value, data, lamport=1)])
    assert s.query_code == "" and s.query_code_hash == data["query_code_hash"]
    assert "query_code_hash" not in s.facts and "query_code" not in s.facts


def test_duplicates_and_other_cases_are_ignored(events):
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {"at": "2026-03-03"}, lamport=2)
    other = EventFactory().make(T.DECLINED.value, {"reason": "x"}, lamport=2)
    s = fold([acc, reg, acc, reg, other], reg.case_id)
    assert [e.event_id for e in s.events] == [reg.event_id, acc.event_id]
    assert s.status == Status.ACCEPTED


def test_empty_fold():
    s = fold([])
    assert not s.registered and s.events == [] and s.case_id == ""


# ---- decisions and conflicts ------------------------------------------------------------

def test_concurrent_accept_and_decline_need_a_person(events):
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {"at": "2026-03-03", "supersedes": None},
                      station="S1", lamport=2)
    dec = events.make(T.DECLINED.value, {"at": "2026-03-03", "reason": "不属于受理范围",
                                         "supersedes": None}, station="S2", lamport=2)
    s = fold([reg, dec, acc])
    assert s.needs_decision
    assert [(c.group, sorted(c.event_ids)) for c in s.conflicts] == [
        ("decision", sorted([acc.event_id, dec.event_id]))]
    assert s.status == Status.ACCEPTED  # first in fold order holds until resolved

    res = events.make(T.CONFLICT_RESOLVED.value, {"group": "decision",
                                                  "chosen_event_id": dec.event_id},
                      station="S3", lamport=3)
    s = fold([reg, acc, dec, res])
    assert not s.needs_decision
    assert s.status == Status.DECLINED and s.accepted_at is None
    assert s.declined["reason"] == "不属于受理范围"


def test_resolution_naming_an_unknown_event_changes_nothing(events):
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {}, station="S1", lamport=2)
    dec = events.make(T.DECLINED.value, {"reason": "r"}, station="S2", lamport=2)
    res = events.make(T.CONFLICT_RESOLVED.value, {"group": "decision",
                                                  "chosen_event_id": reg.event_id}, lamport=3)
    assert fold([reg, acc, dec, res]).needs_decision


def test_same_decision_twice_is_not_a_conflict(events):
    reg = _registered(events)
    a1 = events.make(T.ACCEPTED.value, {"at": "2026-03-03", "note": "甲"}, station="S1",
                     lamport=2)
    a2 = events.make(T.ACCEPTED.value, {"at": "2026-03-04", "note": "乙"}, station="S2",
                     lamport=2)
    s = fold([reg, a2, a1])
    assert not s.needs_decision and s.status == Status.ACCEPTED
    assert s.accepted_at == "2026-03-03"  # S1 sorts first


def test_a_decision_that_saw_the_previous_one_replaces_it(events):
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {"at": "2026-03-03"}, lamport=2)
    dec = events.make(T.DECLINED.value, {"at": "2026-03-05", "reason": "已复核终结",
                                         "supersedes": acc.event_id}, station="S2", lamport=3)
    s = fold([dec, reg, acc])
    assert not s.needs_decision and s.status == Status.DECLINED


def test_concurrent_conclusions_conflict(events):
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {}, lamport=2)
    c1 = events.make(T.CONCLUDED.value, {"result": "已解决"}, station="S1", lamport=3)
    c2 = events.make(T.CONCLUDED.value, {"result": "不属实"}, station="S2", lamport=3)
    s = fold([reg, acc, c1, c2])
    assert [c.group for c in s.conflicts] == ["conclusion"]


# ---- redo -------------------------------------------------------------------------------

def test_redo_voids_conclusion_and_rating(events):
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {}, lamport=2)
    con = events.make(T.CONCLUDED.value, {"at": "2026-04-01", "result": "已解决"}, lamport=3)
    fol = events.make(T.FOLLOWED_UP.value, {"satisfaction": "dissatisfied"}, lamport=4)
    redo = events.make(T.REDO_ORDERED.value, {"reason": "群众不满意"}, station="C", lamport=5)
    s = fold([reg, acc, con, fol, redo])
    assert s.conclusion is None and s.satisfaction is None
    assert s.status == Status.ACCEPTED and s.redo_count == 1

    again = events.make(T.CONCLUDED.value, {"at": "2026-05-01", "result": "已重新处理",
                                            "supersedes": redo.event_id}, lamport=6)
    s = fold([reg, acc, con, fol, redo, again])
    assert s.status == Status.CONCLUDED and s.conclusion["result"] == "已重新处理"
    assert not s.needs_decision

    blind = events.make(T.CONCLUDED.value, {"result": "未见发回", "supersedes": con.event_id},
                        station="S9", lamport=6)
    s = fold([reg, acc, con, fol, redo, blind])
    assert s.needs_decision  # concluded without seeing the redo order


def test_redo_makes_pending_conclusion_conflict_moot(events):
    """Bug fixed in fold.py: a conclusion conflict pending when a redo was ordered could be
    'resolved' afterwards and bring a voided conclusion back."""
    reg = _registered(events)
    acc = events.make(T.ACCEPTED.value, {}, lamport=2)
    c1 = events.make(T.CONCLUDED.value, {"result": "甲"}, station="S1", lamport=3)
    c2 = events.make(T.CONCLUDED.value, {"result": "乙"}, station="S2", lamport=3)
    redo = events.make(T.REDO_ORDERED.value, {"reason": "重办"}, station="C", lamport=4)
    res = events.make(T.CONFLICT_RESOLVED.value, {"group": "conclusion",
                                                  "chosen_event_id": c2.event_id},
                      station="C", lamport=5)
    s = fold([reg, acc, c1, c2, redo, res])
    assert not s.needs_decision
    assert s.conclusion is None and s.status == Status.ACCEPTED


def test_escalation_after_three_redos_or_transfers(events):
    evs = [_registered(events)]
    for i in range(3):
        evs.append(events.make(T.TRANSFERRED.value, {"to_division": COUNTY}, lamport=2 + i))
    s = fold(evs)
    assert s.escalate and len(s.transfers) == 3 and s.owner_division == COUNTY
    assert s.transfers[0]["from"] == "530921108201"


def test_extension_is_capped_and_rejects_non_numbers(events):
    evs = [_registered(events)]
    for i, days in enumerate([20, 15, True, "10", -5, 0]):
        evs.append(events.make(T.EXTENDED.value, {"days": days}, lamport=2 + i))
    assert fold(evs).extension_days == 30
    assert fold(evs[:1] + [events.make(T.EXTENDED.value, {"days": True}, lamport=9)]
                ).extension_days == 0


# ---- amendments -------------------------------------------------------------------------

def test_amendment_keeps_the_old_value(events):
    reg = _registered(events)
    am = events.make(T.AMENDED.value, {"field": "petitioner.phone", "old": "138 0013 8000",
                                       "new": "0883 123 4567", "reason": "登记错误"},
                     lamport=2, actor="amender")
    s = fold([am, reg])
    assert s.fact("petitioner.phone") == "0883 123 4567"
    [a] = s.amendments
    assert (a.field, a.old, a.new, a.reason, a.actor) == (
        "petitioner.phone", "138 0013 8000", "0883 123 4567", "登记错误", "amender")
    assert not s.needs_decision


def test_amending_a_protected_field_is_ignored(events):
    reg = _registered(events)
    am = events.make(T.AMENDED.value, {"field": "division", "old": "530921108201",
                                       "new": "110101000000"}, lamport=2)
    s = fold([reg, am])
    assert s.division == "530921108201" and s.amendments == []


def test_concurrent_amendments_of_one_field_conflict_and_resolve(events):
    reg = _registered(events)
    a1 = events.make(T.AMENDED.value, {"field": "summary", "old": reg.data()["summary"],
                                       "new": "甲版"}, station="S1", lamport=2)
    a2 = events.make(T.AMENDED.value, {"field": "summary", "old": reg.data()["summary"],
                                       "new": "乙版"}, station="S2", lamport=2)
    s = fold([a2, reg, a1])
    assert [c.group for c in s.conflicts] == ["amend:summary"]
    assert {a.new for a in s.amendments} == {"甲版", "乙版"}
    res = events.make(T.CONFLICT_RESOLVED.value, {"group": "amend:summary",
                                                  "chosen_event_id": a1.event_id}, lamport=3)
    s = fold([reg, a1, a2, res])
    assert not s.needs_decision and s.fact("summary") == "甲版"


# ---- sealed -----------------------------------------------------------------------------

def test_sealed_events_withhold_content_but_keep_route_and_timeline(events):
    reg = events.make(T.REGISTERED.value, sealed=True, lamport=1)
    reg = reg.__class__(**{**reg.__dict__, "route": TOWN})
    tr = events.make(T.TRANSFERRED.value, sealed=True, lamport=2)
    tr = tr.__class__(**{**tr.__dict__, "route": COUNTY})
    acc = events.make(T.ACCEPTED.value, sealed=True, lamport=3)
    s = fold([acc, tr, reg])
    assert s.registered and s.sealed
    assert s.facts == {} and s.case_no == "" and s.query_code == ""
    assert s.division == TOWN and s.owner_division == COUNTY
    assert [e.event_id for e in s.events] == [reg.event_id, tr.event_id, acc.event_id]
    assert s.status == Status.REGISTERED and s.accepted_at is None
    assert reg.data() == {}


# ---- order independence (Hypothesis) ----------------------------------------------------

STATIONS = ["S1", "S2", "S3"]
TYPES = [
    (T.ACCEPTED.value, lambda r: {"at": "2026-03-03", "supersedes": None}),
    (T.DECLINED.value, lambda r: {"reason": r.choice(["甲", "乙"]), "supersedes": None}),
    (T.TRANSFERRED.value, lambda r: {"to_division": r.choice([TOWN, COUNTY])}),
    (T.ASSIGNED.value, lambda r: {"to_division": COUNTY, "due": "2026-04-01"}),
    (T.URGED.value, lambda r: {}),
    (T.EXTENDED.value, lambda r: {"days": r.choice([5, 10, 30])}),
    (T.CONCLUDED.value, lambda r: {"result": r.choice(["甲", "乙"])}),
    (T.FOLLOWED_UP.value, lambda r: {"satisfaction": r.choice(["satisfied", "dissatisfied"])}),
    (T.REDO_ORDERED.value, lambda r: {"reason": "重办"}),
    (T.REVIEW_REQUESTED.value, lambda r: {"kind": "review"}),
    (T.AMENDED.value, lambda r: {"field": "summary", "old": r.choice(["a", "b"]),
                                 "new": r.choice(["b", "c"])}),
    (T.LINKED.value, lambda r: {"related": [r.choice(["x1", "x2"])]}),
]


def _history(seed: int, n: int) -> list:
    r = random.Random(seed)
    f = EventFactory()
    evs = [f.make(T.REGISTERED.value, registered_data(summary="a"), lamport=1)]
    for _ in range(n):
        t, mk = r.choice(TYPES)
        data = mk(r)
        if "supersedes" in data and r.random() < 0.5:
            data["supersedes"] = r.choice(evs).event_id
        evs.append(f.make(t, data, station=r.choice(STATIONS), lamport=r.randint(2, 6),
                          sealed=r.random() < 0.05))
    if r.random() < 0.5:
        target = r.choice(evs)
        evs.append(f.make(T.CONFLICT_RESOLVED.value,
                          {"group": r.choice(["decision", "conclusion", "amend:summary"]),
                           "chosen_event_id": target.event_id}, lamport=7))
    return evs


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n=st.integers(0, 14), data=st.data())
def test_any_arrival_order_folds_to_the_same_state(seed, n, data):
    evs = _history(seed, n)
    shuffled = data.draw(st.permutations(evs))
    dupes = data.draw(st.lists(st.sampled_from(evs), max_size=3))
    assert fold(list(shuffled) + dupes) == fold(evs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n=st.integers(0, 14), data=st.data())
def test_the_incremental_folder_equals_the_fold_in_any_arrival_order(seed, n, data):
    """Folder.add, one event at a time in arrival order (the server's merge: an event that
    sorts before what is folded makes it fold again), ends where fold() of all of them
    does, and says when it had to fold again."""
    evs = _history(seed, n)
    shuffled = list(data.draw(st.permutations(evs)))
    dupes = data.draw(st.lists(st.sampled_from(evs), max_size=3))
    folder = Folder(evs[0].case_id)
    added = [folder.add(e) for e in shuffled + dupes]
    assert added == [True] * len(shuffled) + [False] * len(dupes)
    assert folder.state == fold(evs)
    in_order = sorted(shuffled, key=sort_key) == shuffled
    assert (folder.refolds > 0) == (not in_order)
