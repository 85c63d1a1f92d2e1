"""Randomised (seeded, reproducible) checks of the two promises the rest builds on:
1. however batches are retried, repeated, reordered or cut, each event is stored once and a
   station's stored events are always gap-free;
2. every station pulls exactly the events its unit may see by the ownership model — never
   one more, never one less — whatever the paging."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest
from sqlalchemy import select

from petition_core.events import Event, EventType
from petition_core.ownership import Relation, derive_parties, relations
from sync_server.services import pull as pull_service
from sync_server.services.auth import get_station
from sync_server.services.merge import merge_push
from sync_server.store.cases import FOLLOWUP_TYPES, view_of
from sync_server.store.models import events

from .helpers import COUNTY, TOWNSHIP, enrolled

VILLAGES = ["530921108203", "530921108204", "530921108205", "530921109201"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_retries_never_store_twice_or_leave_gaps(server, seed):
    client, engine = server
    rng = random.Random(seed)
    st = enrolled(client, engine, VILLAGES[0])
    info = get_station(engine, st.station_id)
    evs = st.events(60)
    stored: set[str] = set()
    while len(stored) < len(evs):
        # the station pushes from its oldest unacked event, a batch of random size; the
        # network may duplicate an old batch or drop the answer (acks lost)
        first = next(i for i, e in enumerate(evs) if e.event_id not in stored)
        batch = evs[first:first + rng.randint(1, 12)]
        if rng.random() < 0.3:
            old = rng.randint(0, first)
            batch = evs[old:old + rng.randint(1, 8)] + batch
        acks = merge_push(engine, pusher=info, items=[e.to_wire() for e in batch], bundles=[])
        assert {a.status for a in acks} <= {"applied", "duplicate"}
        if rng.random() < 0.25:
            continue  # answer lost: the station learns nothing
        stored.update(a.event_id for a in acks)
    with engine.connect() as conn:
        seqs = [r.station_seq for r in conn.execute(
            select(events.c.station_seq).order_by(events.c.server_pos))]
    assert seqs == list(range(1, 61))


@pytest.mark.parametrize("seed", [7, 8])
def test_pull_is_exactly_what_the_unit_may_see(server, seed):
    """Villages register cases and note progress on what they handle; the township assigns
    (交办) cases to villages, inside and outside its own subtree.  Pulled from cursor 0 with
    random pages, each station gets exactly the events its unit may see now by the
    ownership model (petition_core.ownership; a unit with the follow-up view only
    FOLLOWUP_TYPES): the backfill of a case assigned in late, whatever the paging."""
    client, engine = server
    rng = random.Random(seed)
    stations = {d: enrolled(client, engine, d) for d in VILLAGES}
    town = enrolled(client, engine, TOWNSHIP)
    enrolled(client, engine, COUNTY)
    unit_of = {st.station_id: d for d, st in stations.items()} | {town.station_id: TOWNSHIP}
    case_events: dict[str, list[Event]] = {}
    lamport = 0
    for _ in range(40):
        lamport += 1
        cases = sorted(case_events)
        parties = {c: derive_parties(case_events[c], station_unit=unit_of.get) for c in cases}
        if not cases or rng.random() < 0.4:  # a village registers a case
            author = stations[rng.choice(VILLAGES)]
            ev = author.event()
        elif rng.random() < 0.5:  # the township assigns (交办) a case in its subtree
            mine = [c for c in cases if Relation.ABOVE in relations(parties[c], TOWNSHIP)]
            if not mine:
                continue
            case, to = rng.choice(mine), rng.choice(VILLAGES)
            if parties[case].handling == to:
                continue
            author = town
            ev = town.event(case_id=case, type=EventType.ASSIGNED, route=to,
                            data={"to_division": to})
        else:  # the handling village notes progress
            case = rng.choice(cases)
            author = stations[parties[case].handling]
            ev = author.event(case_id=case, type=EventType.PROGRESS, route="",
                              data={"note": "办理中"})
        ev = replace(ev, lamport=lamport)   # causal order across stations
        case_events.setdefault(ev.case_id, []).append(ev)
        acks = author.sync(client, [ev], cursor=None).json()["acks"]
        assert acks[0]["status"] == "applied", acks
        # someone pulls in the middle with a small page, as real stations do
        if rng.random() < 0.3:
            rng.choice(list(stations.values())).sync(client, limit=3)

    def pulled(unit: str) -> set[str]:
        got, cursor, more = set(), 0, True
        while more:
            res = pull_service.pull(engine, unit=unit, cursor=cursor,
                                    limit=rng.randint(1, 7))
            got |= {e["event_id"] for e in res.events}
            cursor, more = res.cursor, res.more
        return got

    def expected(unit: str) -> set[str]:
        out = set()
        for evs in case_events.values():
            p = derive_parties(evs, station_unit=unit_of.get)
            held = relations(p, unit)
            if held:
                full = view_of(held, unit) == "full"
                out |= {e.event_id for e in evs if full or e.type in FOLLOWUP_TYPES}
        return out

    assigned_out = 0
    for d in VILLAGES:
        assert pulled(d) == expected(d), d
        assigned_out += len(expected(d)) < sum(
            len(evs) for evs in case_events.values()
            if derive_parties(evs, station_unit=unit_of.get).registering == d)
    assert pulled(TOWNSHIP) == expected(TOWNSHIP)
    assert pulled(COUNTY) == {e.event_id for evs in case_events.values() for e in evs}
    assert assigned_out, "no village lost the full view of a case: the seed tests nothing"
