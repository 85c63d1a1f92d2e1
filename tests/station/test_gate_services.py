"""The station's own services judge what they write with the county's gate
(petition_core.gate, issue 7 A2): the same function, the same codes."""
from __future__ import annotations

import pytest
from station_helpers import TEST_VILLAGE, form

from petition_core.events import Event, EventType, make_payload
from petition_core.ids import uuid7
from station_app.services import ServiceError
from station_app.store import apply_remote_events, case_events

OTHER_VILLAGE = "530921108204"   # another village of the same township


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


def _foreign_case(services) -> str:
    """A case of another village that reached this station's database (an old township
    return bundle, a restored backup of another PC): present here, not visible to it."""
    case = uuid7()
    reg = Event(uuid7(), case, "other-village", 1, EventType.REGISTERED.value, 1, "duty",
                "2026-11-02T10:00:00+08:00",
                make_payload({**form(), "division": OTHER_VILLAGE,
                              "received_at": "2026-11-02T09:00:00+08:00"}),
                route=OTHER_VILLAGE)
    with services.store.session() as s:
        apply_remote_events(s, [reg])
    return case


def test_services_refuse_to_act_on_a_case_not_visible_to_the_station(services, op):
    case = _foreign_case(services)
    for act in (lambda: services.cases.accept(case, op, note="受理"),
                lambda: services.cases.transfer(case, op, to_division=TEST_VILLAGE),
                lambda: services.cases.progress(case, op, note="进展")):
        with pytest.raises(ServiceError) as ei:
            act()
        # the permission matrix refuses first (the gate would as well)
        assert ei.value.code == "case_not_visible"
    with services.store.read() as s:
        assert len(case_events(s, case)) == 1        # nothing was written


def test_services_still_act_on_their_own_cases(services, op):
    case = services.intake.register(form(), op).case_id
    d = services.cases.accept(case, op, note="受理")
    assert d.status == "accepted"
