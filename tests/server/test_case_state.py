"""The server's folded cases and the permission matrix at merge (issue 9 items 0, 2, 5;
docs/decisions/0007-server-case-state.md): ``cases``/``case_units`` follow every push, a
station may push only what its unit's relation to the case allows (permissions.allowed), a
refused event is voided with the matrix's code without blocking the rest of the push, and
pull follows the case's parties (a unit that passed it on keeps only the follow-up types)."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, select

from petition_core.events import Event, EventType
from sync_server.store.cases import FOLLOWUP_TYPES, rebuild
from sync_server.store.models import case_units, cases, voided_events

from .helpers import COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B, Station, enrolled

T = EventType
CITY, PROVINCE = "530900000000", "530000000000"


def _at(ev: Event, lamport: int) -> Event:
    """The event as its station writes it after seeing the case up to ``lamport - 1``."""
    return replace(ev, lamport=lamport)


def _acks(r) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(a["status"], a["code"]) for a in r.json()["acks"]]


def _ids(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["event_id"] for e in r.json()["pull"]["events"]]


def _case(engine, case_id: str) -> dict:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        row = conn.execute(select(cases).where(cases.c.case_id == case_id)).one()
    return dict(row._mapping)


def _units(engine, case_id: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    q = select(case_units.c.case_id, case_units.c.unit, case_units.c.relation,
               case_units.c.view)
    if case_id is not None:
        q = q.where(case_units.c.case_id == case_id)
    with engine.connect() as conn:
        return {(r.case_id, r.unit) if case_id is None else r.unit: (r.relation, r.view)
                for r in conn.execute(q)}


def _transfer_to_county(village: Station, case_id: str, lamport: int) -> Event:
    return _at(village.event(case_id=case_id, type=T.TRANSFERRED, route=COUNTY,
                             data={"kind": "transfer", "to_division": COUNTY,
                                   "to_unit": COUNTY, "note": "涉及县级部门"}), lamport)


def _transferred_case(client, engine):  # type: ignore[no-untyped-def]
    village = enrolled(client, engine, VILLAGE_A)
    county = enrolled(client, engine, COUNTY)
    reg = _at(village.event(), 1)
    transfer = _transfer_to_county(village, reg.case_id, 2)
    conclude = _at(village.event(case_id=reg.case_id, type=T.CONCLUDED,
                                 data={"result": "resolved", "opinion": "已答复"}), 3)
    other = _at(village.event(), 1)
    note = _at(village.event(case_id=other.case_id, type=T.PROGRESS), 2)
    r = village.sync(client, [reg, transfer, conclude, other, note], cursor=None)
    return village, county, (reg, transfer, conclude, other, note), r


def test_a_village_that_transferred_a_case_away_cannot_conclude_it(server):
    client, engine = server
    village, _, (reg, transfer, conclude, other, note), r = _transferred_case(client, engine)
    # refused with the matrix's code; the rest of the same push is applied
    assert _acks(r) == [("applied", None), ("applied", None),
                        ("rejected", "action_not_for_relation"),
                        ("applied", None), ("applied", None)]
    assert r.json()["acks"][2]["detail"] == "action=conclude,relation=supervising"
    with engine.connect() as conn:   # voided (its seq is used), never stored
        voided = conn.execute(select(voided_events.c.station_seq, voided_events.c.code)).all()
    assert [tuple(v) for v in voided] == [(conclude.station_seq, "action_not_for_relation")]
    row = _case(engine, reg.case_id)
    assert (row["status"], row["registering"], row["handling"], row["supervising"]) == (
        "transferred", VILLAGE_A, COUNTY, VILLAGE_A)
    assert row["events"] == 2 and row["registering_station"] == village.station_id
    assert _units(engine, reg.case_id) == {
        VILLAGE_A: ("supervising", "followup"),   # a village may not supervise (督办)
        TOWNSHIP: ("above", "full"),
        COUNTY: ("handling", "full"),
        CITY: ("above", "full"), PROVINCE: ("above", "full")}
    assert _case(engine, other.case_id)["status"] == "registered"
    assert _units(engine, other.case_id)[VILLAGE_A] == ("handling", "full")
    # pushed again (the station retries what the county refused): still refused, once
    again = village.sync(client, [conclude], cursor=None)
    assert _acks(again) == [("rejected", "action_not_for_relation")]


def test_the_county_accepts_and_concludes_the_village_pulls_only_the_follow_up(server):
    client, engine = server
    village, county, (reg, transfer, conclude, other, note), _ = _transferred_case(
        client, engine)
    seen = village.sync(client)   # the village is up to date
    cursor = seen.json()["pull"]["cursor"]
    accept = _at(county.event(case_id=reg.case_id, type=T.ACCEPTED,
                              data={"note": "", "notify_channel": "phone"}), 3)
    work = _at(county.event(case_id=reg.case_id, type=T.PROGRESS,
                            data={"note": "县里已约谈当事人"}), 4)
    done = _at(county.event(case_id=reg.case_id, type=T.CONCLUDED,
                            data={"result": "resolved", "opinion": "已协调解决"}), 5)
    r = county.sync(client, [accept, work, done], cursor=0)
    assert _acks(r) == [("applied", None)] * 3
    # the county pulls the whole case (it handles it) and, as the level above, the
    # village's other case
    assert set(_ids(r)) == {reg.event_id, transfer.event_id, accept.event_id,
                            work.event_id, done.event_id, other.event_id, note.event_id}
    row = _case(engine, reg.case_id)
    assert (row["status"], row["handling"], row["events"]) == ("concluded", COUNTY, 5)
    # the village that passed it on: the decisions and the reply, not the working notes
    assert T.PROGRESS.value not in FOLLOWUP_TYPES
    assert _ids(village.sync(client, cursor=cursor)) == [accept.event_id, done.event_id]
    # a village elsewhere never pulls it; its township sees everything below it
    unrelated = enrolled(client, engine, VILLAGE_B)
    assert _ids(unrelated.sync(client)) == []
    town = enrolled(client, engine, TOWNSHIP)
    assert set(_ids(town.sync(client))) == {
        reg.event_id, transfer.event_id, accept.event_id, work.event_id, done.event_id,
        other.event_id, note.event_id}
    # and the village still may do the 回访 (it registered the case)
    follow = _at(village.event(case_id=reg.case_id, type=T.FOLLOWED_UP,
                               data={"satisfaction": "satisfied", "method": "visit",
                                     "note": ""}), 6)
    assert _acks(village.sync(client, [follow], cursor=None)) == [("applied", None)]
    assert _case(engine, reg.case_id)["status"] == "followed_up"


def test_a_case_transferred_in_later_is_pulled_whole_by_its_new_handler(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    county = enrolled(client, engine, COUNTY)
    reg = _at(village.event(), 1)
    note = _at(village.event(case_id=reg.case_id, type=T.PROGRESS), 2)
    village.sync(client, [reg, note], cursor=None)
    other = enrolled(client, engine, VILLAGE_B)
    cursor = other.sync(client).json()["pull"]["cursor"]
    assert cursor == 2
    # the village sends it to village B (转办 by its handler): B gets the history too
    send = _at(village.event(case_id=reg.case_id, type=T.TRANSFERRED, route=VILLAGE_B,
                             data={"kind": "transfer", "to_division": VILLAGE_B}), 3)
    assert _acks(village.sync(client, [send], cursor=None)) == [("applied", None)]
    assert _ids(other.sync(client, cursor=cursor)) == [reg.event_id, note.event_id,
                                                       send.event_id]
    assert _units(engine, reg.case_id)[VILLAGE_A] == ("supervising", "followup")
    assert county.station_id   # the county sees it as above (no row of its own needed)
    assert _units(engine, reg.case_id)[COUNTY] == ("above", "full")


def test_cases_folded_incrementally_equal_a_fold_of_everything(server):
    """Pushes one event at a time (and one that sorts before what is stored: a late
    arrival folds the case again) leave exactly the rows a fold of all events gives
    (store.cases.rebuild, what migration 0009 runs)."""
    client, engine = server
    village, county, (reg, *_), _ = _transferred_case(client, engine)
    accept = _at(county.event(case_id=reg.case_id, type=T.ACCEPTED,
                              data={"note": "", "notify_channel": "phone"}), 3)
    county.sync(client, [accept], cursor=None)
    town = enrolled(client, engine, TOWNSHIP)
    # the township urges with a lamport older than the county's acceptance
    urge = _at(town.event(case_id=reg.case_id, type=T.URGED, data={"note": "请尽快"}), 3)
    assert _acks(town.sync(client, [urge], cursor=None)) == [("applied", None)]
    with engine.connect() as conn:
        before_cases = sorted(tuple(r) for r in conn.execute(select(cases)))
    before_units = _units(engine)
    with engine.begin() as conn:
        conn.execute(delete(case_units))
        conn.execute(delete(cases))
        assert rebuild(conn) == 2
    with engine.connect() as conn:
        assert sorted(tuple(r) for r in conn.execute(select(cases))) == before_cases
    assert _units(engine) == before_units
    assert _case(engine, reg.case_id)["events"] == 4


def test_a_fold_kept_between_pushes_is_not_used_once_the_case_moved_elsewhere(server):
    """The merge keeps folded cases between pushes (store.cases.FOLD_CACHE), valid only
    while ``cases.last_pos`` is what it folded: an event stored by another writer (here
    planted straight into the tables and folded by ``rebuild``, as another server process
    or the upstream link would) makes the next push fold the case from its events."""
    from sqlalchemy import insert

    from petition_core.ids import uuid7
    from sync_server.services.merge import _row, writer
    from sync_server.store.cases import FOLD_CACHE
    from sync_server.store.models import events

    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    reg = _at(village.event(), 1)
    accept = _at(village.event(case_id=reg.case_id, type=T.ACCEPTED,
                               data={"note": "", "notify_channel": "on_spot"}), 2)
    hits = FOLD_CACHE.hits
    assert _acks(village.sync(client, [reg], cursor=None)) == [("applied", None)]
    assert _acks(village.sync(client, [accept], cursor=None)) == [("applied", None)]
    assert FOLD_CACHE.hits == hits + 1          # the second push read no history
    elsewhere = Station(division=VILLAGE_A)
    elsewhere.station_id = uuid7()
    moved = _transfer_to_county(elsewhere, reg.case_id, 3)
    with writer(engine) as conn:
        conn.execute(insert(events).values(**_row(moved, "2026-11-28T01:00:00+00:00", "x")))
        rebuild(conn)
    assert _case(engine, reg.case_id)["handling"] == COUNTY
    conclude = _at(village.event(case_id=reg.case_id, type=T.CONCLUDED,
                                 data={"result": "resolved", "opinion": "已答复"}), 4)
    # the cached fold (village handling, accepted) would let it through
    assert _acks(village.sync(client, [conclude], cursor=None)) == [
        ("rejected", "action_not_for_relation")]
