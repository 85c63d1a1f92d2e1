"""Issue 7 A1/A2 with a real server process and real station folders: a poisoned record
stored on the server (an older or compromised server) never stops a station, and the
authorization attacks die at merge."""
from __future__ import annotations

from sqlalchemy import text

from petition_core.events import Event, EventDraft, EventType, make_payload
from petition_core.ids import uuid7
from station_app.store import append_events, get_setting
from station_app.sync.engine import K_CURSOR, K_LAST_ERROR, K_LAST_OK

from .conftest import engine
from .stations import event_ids, quarantined, register_cases


def _server_engine(server):
    from sync_server.store.db import make_engine, normalize_url

    return make_engine(normalize_url(str(server.db)))


def _plant(server, evs: list[Event]) -> None:
    """Write events straight into the server's tables (event rows and their case routes),
    bypassing the merge, then fold them into ``cases``/``case_units`` as migration 0009
    does: what an older server, or one whose database was edited, holds."""
    from sqlalchemy import insert, select

    from sync_server.services.merge import _row, writer
    from sync_server.store.cases import rebuild
    from sync_server.store.models import case_routes, events

    eng = _server_engine(server)
    try:
        with writer(eng) as conn:
            for e in evs:
                conn.execute(insert(events).values(**_row(e, "2026-11-28T01:00:00+00:00",
                                                          "planted")))
                pos = conn.execute(select(events.c.server_pos)
                                   .where(events.c.event_id == e.event_id)).scalar()
                if e.route:
                    conn.execute(insert(case_routes).values(case_id=e.case_id,
                                                            division=e.route, added_pos=pos))
            rebuild(conn)
    finally:
        eng.dispose()


def _event(division: str, seq: int, data: dict, *, station: str | None = None,
           etype: EventType = EventType.REGISTERED, case_id: str | None = None) -> Event:
    return Event(uuid7(), case_id or uuid7(), station or uuid7(), seq, etype.value, 1, "duty",
                 "2026-11-28T09:00:00+08:00", make_payload(data),
                 route=division if etype == EventType.REGISTERED else "")


def _reg(division: str, **extra) -> dict:
    return {"division": division, "channel": "visit", "category": "land",
            "statute_type": "appeal", "received_at": "2026-11-28T08:00:00+08:00",
            "summary": "诉求", "petitioner": {"name": "王五", "anonymous": False}, **extra}


def test_poison_on_the_server_is_quarantined_and_the_station_keeps_syncing(
        server, station_factory, area):
    village = station_factory(area.villages[0])
    mine = register_cases(village, 2)
    engine(village).sync_once()
    d = area.villages[0]
    poison = [_event(d, 1, _reg(d, petitioner="王五")),          # the cases
              _event(d, 2, _reg(d, attachments=3)),
              _event(d, 3, _reg(d, case_no=530921))]
    good = _event(d, 4, _reg(d))
    linked_bad = _event(d, 5, {"related": 3}, etype=EventType.LINKED, case_id=good.case_id)
    _plant(server, [*poison, good, linked_bad])
    report = engine(village).sync_once()          # on the base commit: AttributeError
    from station_app.store.pulled import list_pulled

    assert report.pulled_quarantined == 4 and report.pulled >= 1
    assert good.event_id in event_ids(village) and set(mine) <= event_ids(village)
    assert not {e.event_id for e in poison + [linked_bad]} & event_ids(village)
    with village.store.read() as s:
        assert get_setting(s, K_LAST_ERROR) == "" and get_setting(s, K_LAST_OK)
        cursor = int(get_setting(s, K_CURSOR))
        rows = list_pulled(s)
    assert sorted(r.code for r in rows) == ["payload_invalid"] * 4
    assert {r.detail.split(":")[0] for r in rows} == {"petitioner", "attachments", "case_no",
                                                       "related"}
    # the station keeps syncing: new work goes up and comes down; the cursor moved past it
    more = register_cases(village, 1)
    engine(village).sync_once()
    assert set(more) <= event_ids(village) and not quarantined(village)
    with village.store.read() as s:
        assert int(get_setting(s, K_CURSOR)) > cursor
        assert len(list_pulled(s)) == 4        # kept once, not again at every sync


def test_a_set_aside_record_this_version_reads_is_applied_at_the_next_sync(
        server, station_factory, area):
    """What an upgrade does: an item an older version quarantined (e.g. a newer record
    type) and this version can read is applied by the next sync, and leaves the list."""
    from petition_core.events import canonical_json
    from station_app.store.models import PulledQuarantineRow
    from station_app.store.pulled import list_pulled

    village = station_factory(area.villages[0])
    item = _event(area.villages[0], 1, _reg(area.villages[0])).to_wire()
    with village.store.session() as s:
        s.add(PulledQuarantineRow(event_id=item["event_id"], event_type=item["type"],
                                  code="event_unknown_type", detail="", at="2026-11-28",
                                  item=canonical_json(item), item_hash="x" * 64))
    report = engine(village).sync_once()
    assert report.pulled_recovered == 1 and item["event_id"] in event_ids(village)
    with village.store.read() as s:
        assert list_pulled(s) == []


def test_a_failure_that_is_not_a_sync_error_still_leaves_a_code(server, station_factory,
                                                                area):
    village = station_factory(area.villages[0])
    with village.store.session() as s:   # a damaged database: a table is gone
        s.execute(text("DROP TABLE pulled_quarantine"))
    try:
        engine(village).sync_once()
    except Exception as exc:  # noqa: BLE001 - the point is what is recorded
        assert "pulled_quarantine" in str(exc)
    else:
        raise AssertionError("the sync should have failed")
    with village.store.read() as s:
        assert get_setting(s, K_LAST_ERROR) == "internal"


def _append(st, drafts) -> list[Event]:
    with st.store.session() as s:
        return append_events(s, drafts, "attacker")


def test_a_hostile_village_cannot_plant_or_take_cases(server, station_factory, area):
    a = station_factory(area.villages[0])
    b = station_factory(area.villages[1])
    town = station_factory(area.township)
    other = station_factory(area.other_village)
    [reg_a] = register_cases(a, 1)
    engine(a).sync_once()
    with a.store.read() as s:
        case_a = s.execute(text("SELECT case_id FROM event WHERE event_id = :e"),
                           {"e": reg_a}).scalar()
    # B (a modified station) writes what its own services would refuse
    planted, grab = _append(b, [
        EventDraft(uuid7(), EventType.REGISTERED, _reg(area.other_village),
                   route=area.other_village),
        EventDraft(case_a, EventType.TRANSFERRED,
                   {"kind": "transfer", "to_division": area.villages[1], "note": ""},
                   route=area.villages[1])])
    engine(b).sync_once()
    assert {(q[0], q[1]) for q in quarantined(b)} == {
        (planted.event_id, "event_not_permitted"), (grab.event_id, "case_not_visible")}
    assert reg_a not in event_ids(b)                # it never sees A's petitioner
    assert planted.event_id not in set(server.event_ids())
    assert grab.event_id not in set(server.event_ids())
    engine(other).sync_once()
    engine(town).sync_once()
    assert planted.event_id not in event_ids(other)
    assert reg_a in event_ids(town) and grab.event_id not in event_ids(town)
