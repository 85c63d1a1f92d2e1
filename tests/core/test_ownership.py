"""Ownership (issue 9 item 2): registering, handling, supervising and reviewing units folded
from a case's events — transfer chains, 交办 from above, 发回重办, 复查/复核, events from
before units (a division and free text), sealed events, any arrival order."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest
from units_helpers import (
    CITY,
    COUNTY,
    LC,
    MZ,
    OTHER_TOWN,
    OTHER_VILLAGE,
    PROVINCE,
    SFS,
    TOWN,
    VILLAGE,
    Story,
    station_unit,
)

from petition_core.ownership import (
    Relation,
    derive_parties,
    parties_of,
    relation,
    relations,
    review_unit,
    target_unit,
    visibility_units,
)
from petition_core.unit_register import UnitRegister


@pytest.fixture(scope="module")
def register() -> UnitRegister:
    return UnitRegister.load_default()


def parties(story: Story, **kw):
    return derive_parties(story.events, station_unit=station_unit, **kw)


def test_a_registered_case_is_handled_where_it_was_registered():
    p = parties(Story().register())
    assert (p.registering, p.handling, p.supervising, p.reviewing) == (VILLAGE, VILLAGE,
                                                                       None, None)
    assert p.registering_station == "V" and p.handlers == (VILLAGE,)
    assert [h.kind for h in p.history] == ["register"]


def test_transfer_chain_village_township_department():
    s = Story().register().do("V", "accepted").transfer("V", TOWN).transfer("T", MZ)
    p = parties(s)
    assert p.handling == MZ and p.supervising == TOWN and p.registering == VILLAGE
    assert p.handlers == (VILLAGE, TOWN, MZ)
    assert [(h.kind, h.by_unit, h.to_unit) for h in p.history] == [
        ("register", VILLAGE, VILLAGE), ("transfer", VILLAGE, TOWN), ("transfer", TOWN, MZ)]
    assert relations(p, VILLAGE) == {Relation.REGISTERING}
    assert relations(p, TOWN) == {Relation.SUPERVISING, Relation.ABOVE}   # above the village
    assert relations(p, MZ) == {Relation.HANDLING}
    assert relations(p, COUNTY) == {Relation.ABOVE}
    assert relations(p, CITY) == relations(p, PROVINCE) == {Relation.ABOVE}
    for unit in (OTHER_VILLAGE, OTHER_TOWN, LC, SFS, "530922000000", "not a unit", ""):
        assert relations(p, unit) == frozenset() and relation(p, unit) == Relation.NONE
    assert relation(p, TOWN) == Relation.SUPERVISING


def test_a_unit_that_passed_the_case_on_is_former_and_still_sees_it():
    """The county centre registers, transfers to 民政局, which transfers to 林草局, which
    transfers to 住建局: 民政局 handled it and holds nothing now (item 5: it still pulls
    it); 林草局 supervises."""
    zj = "530921000000.zj"
    s = Story().register("C", COUNTY).transfer("C", MZ).transfer("MZ", LC).transfer("LC", zj)
    p = parties(s)
    assert (p.handling, p.supervising, p.handlers) == (zj, LC, (COUNTY, MZ, LC, zj))
    assert relations(p, MZ) == {Relation.FORMER} and relation(p, MZ) == Relation.FORMER
    assert relations(p, LC) == {Relation.SUPERVISING}
    assert relations(p, COUNTY) == {Relation.REGISTERING, Relation.ABOVE}
    assert relations(p, "530921000000.wj") == frozenset()
    assert visibility_units(p) == {COUNTY, MZ, LC, zj, CITY, PROVINCE}


def test_visibility_units_hold_every_party_and_every_level_above():
    s = (Story().register().transfer("V", TOWN).transfer("T", MZ).do("MZ", "accepted")
         .do("MZ", "concluded", result="x").do("V", "review_requested"))
    p = parties(s)
    assert visibility_units(p) == {VILLAGE, TOWN, MZ, COUNTY, CITY, PROVINCE}
    for unit in visibility_units(p):
        assert relations(p, unit), unit          # each of them has a relation …
    for unit in (OTHER_VILLAGE, OTHER_TOWN, LC, SFS):
        assert unit not in visibility_units(p) and not relations(p, unit)   # … nobody else
    assert visibility_units(derive_parties([])) == frozenset()


def test_a_transfer_back_keeps_one_entry_per_handler():
    s = Story().register().transfer("V", TOWN).transfer("T", MZ).transfer("MZ", TOWN)
    p = parties(s)
    assert p.handling == TOWN and p.supervising == MZ and p.handlers == (VILLAGE, TOWN, MZ)


def test_assignment_from_above_makes_the_assigner_supervise():
    """The county centre, above a case a village registered, 交办 it to 林草局."""
    s = Story().register().do("V", "accepted").assign("C", LC)
    p = parties(s)
    assert (p.handling, p.supervising) == (LC, COUNTY)
    assert relations(p, COUNTY) == {Relation.SUPERVISING, Relation.ABOVE}
    assert relations(p, TOWN) == {Relation.ABOVE}       # above the registering village
    assert relations(p, VILLAGE) == {Relation.REGISTERING}


def test_redo_keeps_handler_and_supervisor_and_voids_the_conclusion():
    s = (Story().register().transfer("V", TOWN).transfer("T", MZ).do("MZ", "accepted")
         .do("MZ", "concluded", result="已解决"))
    assert parties(s).concluded_by == MZ
    s.do("T", "redo_ordered", reason="补充材料")
    p = parties(s)
    assert (p.handling, p.supervising, p.concluded_by) == (MZ, TOWN, None)
    assert p.history[-1].kind == "redo" and p.history[-1].by_unit == TOWN
    assert p.history[-1].to_unit == MZ


def test_review_goes_to_the_level_above_the_reply_and_rereview_above_that(register):
    s = (Story().register().transfer("V", TOWN).transfer("T", MZ).do("MZ", "accepted")
         .do("MZ", "concluded", result="已解决").do("V", "review_requested", kind="review"))
    p = parties(s, register=register)
    assert p.reviewing == CITY                       # no 市民政局 registered: the city centre
    assert relations(p, CITY) == {Relation.REVIEWING, Relation.ABOVE}
    s.do("CITY", "review_decided", kind="review", outcome="upheld")
    s.do("V", "review_requested", kind="rereview")
    p = parties(s, register=register)
    assert p.reviewing == PROVINCE
    assert [h.kind for h in p.history][-2:] == ["review", "rereview"]


def test_review_of_a_village_reply_is_the_township():
    s = Story().register().do("V", "accepted").do("V", "concluded", result="已调解")
    s.do("V", "review_requested")
    assert parties(s).reviewing == TOWN


@pytest.mark.parametrize("unit,expected", [
    (VILLAGE, TOWN), (TOWN, COUNTY), (COUNTY, CITY), (MZ, CITY), (SFS, COUNTY),
    (CITY, PROVINCE), (PROVINCE, None), ("garbage", None),
])
def test_review_unit(unit, expected):
    assert review_unit(unit) == expected


def test_review_unit_prefers_the_same_department_above(divisions):
    reg, refused = UnitRegister.from_rows(divisions, [
        {"code": "530900000000.mz", "name": "临沧市民政局", "kind": "department"}])
    assert refused == []
    assert review_unit(MZ, reg) == "530900000000.mz"
    assert review_unit("530921000000.lc", reg) == CITY


def test_events_from_before_units_map_to_centres_or_named_departments(register):
    """Today's events: to_division plus free-text to_unit; the route of a sealed event."""
    s = Story().register().do("V", "transferred", to_division=COUNTY, to_unit="县民政局")
    assert parties(s, register=register).handling == MZ
    assert parties(s).handling == COUNTY             # without a register: the centre
    s2 = Story().register().do("V", "transferred", to_division=COUNTY, to_unit="某个新单位")
    assert parties(s2, register=register).handling == COUNTY
    s3 = Story().register().do("V", "transferred", to_division=TOWN)
    assert parties(s3).handling == TOWN
    # nothing readable: the event changes nothing
    s4 = Story().register().do("V", "transferred", to_division="53092110800X", to_unit="")
    assert parties(s4).handling == VILLAGE


def test_without_station_units_the_registration_division_and_previous_handler_stand_in():
    s = Story().register("T", VILLAGE).transfer("T", MZ)
    p = derive_parties(s.events)
    assert p.registering == VILLAGE and p.supervising == VILLAGE and p.handling == MZ
    # with the register of stations: a township registered a case of its village
    p = derive_parties(s.events, station_unit=station_unit)
    assert p.registering == TOWN and p.supervising == TOWN


def test_sealed_events_follow_their_routes():
    s = Story()
    reg = s.factory.make("case.registered", sealed=True, station="V", lamport=1)
    tr = s.factory.make("case.transferred", sealed=True, station="V", lamport=2)
    s.events += [replace(reg, route=VILLAGE), replace(tr, route=COUNTY)]
    p = derive_parties(s.events)
    assert (p.registering, p.handling, p.supervising) == (VILLAGE, COUNTY, VILLAGE)


def test_order_and_duplicates_do_not_matter():
    s = (Story().register().transfer("V", TOWN).transfer("T", MZ).do("MZ", "accepted")
         .do("MZ", "concluded", result="x").do("T", "redo_ordered").do("V", "urged"))
    expected = parties(s)
    for seed in range(5):
        shuffled = s.events * 2
        random.Random(seed).shuffle(shuffled)
        assert derive_parties(shuffled, station_unit=station_unit) == expected
    assert parties_of(s.state(), station_unit=station_unit) == expected


def test_events_before_a_registration_and_a_second_registration_change_nothing():
    s = Story()
    s.do("V", "transferred", to_division=TOWN, to_unit=TOWN)   # lamport 1, no case yet
    s.register("T", TOWN)
    s.register("V", VILLAGE)                                     # replayed/planted
    p = parties(s)
    assert (p.registering, p.handling, p.handlers) == (TOWN, TOWN, (TOWN,))
    assert not derive_parties([]).known and relations(derive_parties([]), TOWN) == set()


def test_target_unit():
    assert target_unit(COUNTY, MZ) == MZ
    assert target_unit(COUNTY, "") == COUNTY
    assert target_unit(MZ, "") is None                 # a division field that is no division
    assert target_unit(None, None) is None
    # a to_unit that is no unit code (a department under a village) is free text
    assert target_unit(VILLAGE, VILLAGE + ".x") == VILLAGE
