"""Issue 9 (decision 0007) with a real server process and real station folders: the county
server judges every pushed event with the permission matrix on its folded case.  A village
that transferred a case to the county and then concludes it anyway (an older app, or a
modified one: its services would not write it) gets the refusal in its quarantine with the
matrix's code; the rest of its sync goes through, the county gets the case, and the
refused conclusion reaches no other station."""
from __future__ import annotations

from sqlalchemy import text

from petition_core.events import EventDraft, EventType
from station_app.store import append_events

from .conftest import engine
from .stations import event_ids, pending, quarantined, register_cases


def _case_of(st, event_id: str) -> str:  # type: ignore[no-untyped-def]
    with st.store.read() as s:
        return s.execute(text("SELECT case_id FROM event WHERE event_id = :e"),
                         {"e": event_id}).scalar()


def test_a_village_cannot_conclude_a_case_it_transferred_to_the_county(
        server, station_factory, area):
    county_code = area.township[:6] + "000000"
    village = station_factory(area.villages[0])
    county = station_factory(county_code)
    neighbour = station_factory(area.villages[1])
    [reg] = register_cases(village, 1)
    case = _case_of(village, reg)
    with village.store.session() as s:   # written without the services' checks
        transfer, conclude = append_events(s, [
            EventDraft(case, EventType.TRANSFERRED,
                       {"kind": "transfer", "to_division": county_code, "note": "转县办理"},
                       route=county_code),
            EventDraft(case, EventType.CONCLUDED,
                       {"result": "resolved", "opinion": "已答复当事人"})], "clerk")
    later = register_cases(village, 1)     # pushed after the refused one, same sync
    engine(village).sync_once()
    assert [(q[0], q[1]) for q in quarantined(village)] == [
        (conclude.event_id, "action_not_for_relation")]
    assert pending(village) == 0          # nothing left blocked behind it
    stored = set(server.event_ids())
    assert {reg, transfer.event_id, *later} <= stored and conclude.event_id not in stored
    # the county (now handling it) gets the case, never the refused conclusion
    engine(county).sync_once()
    assert {reg, transfer.event_id} <= event_ids(county)
    assert conclude.event_id not in event_ids(county)
    # a village with no relation to it sees nothing of it
    engine(neighbour).sync_once()
    assert not {reg, transfer.event_id, conclude.event_id} & event_ids(neighbour)
