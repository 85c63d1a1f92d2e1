"""转办 and 交办 name a unit of the station's register by its code (issue 9 item 4): the
event carries the unit's division and its code, so ownership hands the case to that unit
(a department, not its division's centre).  Bad codes are refused on the ``to_unit`` field
with the unit codes, and nothing is written."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from station_helpers import TEST_VILLAGE, form, ship

from petition_core.ownership import parties_of
from petition_core.validation import ValidationErrors
from station_app.services import ServiceError
from station_app.services.common import load_state
from station_app.services.setup import unit_register
from station_app.store import case_events, set_setting

COUNTY = "530921000000"
MZ = "530921000000.mz"
TOWNSHIP = "530921108000"


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


@pytest.fixture
def case(services, op):
    cid = services.intake.register(form(), op).case_id
    services.cases.accept(cid, op)
    return cid


def _events(services, case):  # noqa: ANN001, ANN202
    with services.store.read() as s:
        return case_events(s, case)


def _handling(services, case) -> str:  # noqa: ANN001
    with services.store.read() as s:
        return parties_of(load_state(s, case), register=unit_register(s)).handling


def test_transfer_to_a_department_gives_it_the_case(services, op, case):
    d = services.cases.transfer(case, op, to_unit=MZ, note="低保问题")
    ev = _events(services, case)[-1]
    assert ev.data()["to_unit"] == MZ and ev.data()["to_division"] == COUNTY
    assert ev.route == COUNTY
    assert _handling(services, case) == MZ                  # the department, not the centre
    assert d.owner_unit == MZ and d.owner_unit_name == "凤庆县民政局"
    assert d.timeline[-1].summary.startswith("转至凤庆县民政局")
    # printed documents name the unit, not its code
    assert services.documents.acceptance_notice_data(case).handling_unit == "凤庆县民政局"


def test_the_old_call_shape_still_works(services, op, case):
    """to_division alone: its centre; a name that is one registered unit: that unit."""
    services.cases.transfer(case, op, to_division=TOWNSHIP)
    assert _events(services, case)[-1].data()["to_unit"] == TOWNSHIP
    assert _handling(services, case) == TOWNSHIP
    c2 = services.intake.register(form(), op).case_id
    services.cases.accept(c2, op)
    services.cases.transfer(c2, op, to_division=COUNTY, to_unit="县民政局")
    assert _events(services, c2)[-1].data()["to_unit"] == MZ


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"to_unit": "530921000000.zz"}, "unit_unknown"),
    ({"to_unit": "5309210000"}, "unit_code_invalid"),
    ({"to_unit": "530921000000.MZ"}, "unit_suffix_invalid"),
    ({"to_unit": TEST_VILLAGE + ".cwh"}, "unit_under_village"),
    ({"to_unit": "999999000000"}, "unit_unknown"),
    ({"to_unit": TOWNSHIP, "to_division": COUNTY}, "unit_division_mismatch"),
    ({"to_unit": "某个新单位", "to_division": COUNTY}, "unit_unknown"),
    ({"to_unit": ["530921000000.mz"]}, "unit_code_invalid"),
    ({}, "required"),
])
def test_bad_units_are_refused_and_nothing_is_written(services, op, case, kwargs, code):
    before = len(_events(services, case))
    with pytest.raises(ValidationErrors) as ei:
        services.cases.transfer(case, op, **kwargs)
    assert ei.value.codes() == {"to_unit": code}
    with pytest.raises(ValidationErrors) as ei:
        services.cases.assign(case, op, due=(date.today() + timedelta(days=9)).isoformat(),
                              **kwargs)
    assert ei.value.codes() == {"to_unit": code}
    assert len(_events(services, case)) == before
    assert services.cases.detail(case, op).status == "accepted"


def test_bad_division_and_an_inactive_unit(services, op, case):
    with pytest.raises(ValidationErrors) as ei:
        services.cases.transfer(case, op, to_division="530921999000")
    assert ei.value.codes() == {"to_division": "division_unknown"}
    # the county deactivated 林草局 (a synced register row)
    with services.store.session() as s:
        set_setting(s, "ref.unit.530921000000.lc", json.dumps({"data": {
            "code": "530921000000.lc", "name": "凤庆县林业和草原局", "kind": "department",
            "active": False}}))
    with pytest.raises(ValidationErrors) as ei:
        services.cases.transfer(case, op, to_unit="530921000000.lc")
    assert ei.value.codes() == {"to_unit": "unit_inactive"}
    assert _handling(services, case) == TEST_VILLAGE


def test_transfer_to_the_handling_unit_itself_is_refused(services, op, case):
    with pytest.raises(ServiceError) as ei:
        services.cases.transfer(case, op, to_unit=TEST_VILLAGE)
    assert ei.value.code == "transfer_same"


def test_assign_to_a_unit_code(services, township_services, case):
    town = township_services.accounts.authenticate("admin", "admin1234")
    ship(services, township_services, case)
    due = (date.today() + timedelta(days=20)).isoformat()
    d = township_services.cases.assign(case, town, to_unit=TEST_VILLAGE, due=due)
    assert d.status == "assigned"
    ev = _events(township_services, case)[-1]
    assert (ev.data()["to_division"], ev.data()["to_unit"]) == (TEST_VILLAGE, TEST_VILLAGE)
    assert _handling(township_services, case) == TEST_VILLAGE


def test_assign_to_oneself_is_refused(services, township_services, case):
    town = township_services.accounts.authenticate("admin", "admin1234")
    ship(services, township_services, case)
    with pytest.raises(ServiceError) as ei:
        township_services.cases.assign(
            case, town, to_unit=TOWNSHIP, due=(date.today() + timedelta(days=9)).isoformat())
    assert ei.value.code == "transfer_same"


def test_an_old_free_text_transfer_still_folds(services, op, case):
    """A 转办 written before units (to_division + a name) arriving by sync: the fold and
    ownership read it (the name of one registered department → that department), and the
    case page shows the name as it was written."""
    from datetime import UTC, datetime

    from petition_core.events import Event, make_payload
    from petition_core.ids import uuid7
    from station_app.store import apply_remote_events

    ev = Event(event_id=uuid7(), case_id=case, station_id="old-station", station_seq=1,
               type="case.transferred", lamport=3, actor="clerk",
               occurred_at=datetime.now(UTC).isoformat(), route=COUNTY,
               payload=make_payload({"at": datetime.now(UTC).isoformat(), "kind": "transfer",
                                     "to_division": COUNTY, "to_unit": "县民政局",
                                     "deadline_days": 15, "note": ""}))
    with services.store.session() as s:
        assert apply_remote_events(s, [ev])[0] == 1
    d = services.cases.detail(case, op)
    assert d.status == "transferred" and d.owner_unit == "县民政局"
    assert d.owner_unit_name == "县民政局"
    assert d.timeline[-1].summary == "转至云南省临沧市凤庆县县民政局"          # as before units
    assert _handling(services, case) == MZ
