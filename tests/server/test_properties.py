"""Randomised (seeded, reproducible) checks of the two promises the rest builds on:
1. however batches are retried, repeated, reordered or cut, each event is stored once and a
   station's stored events are always gap-free;
2. every station pulls exactly the events of the cases routed into its division — never
   one more, never one less — whatever the paging."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from petition_core.events import EventType
from petition_core.protocol import within
from sync_server.services import pull as pull_service
from sync_server.services.auth import get_station
from sync_server.services.merge import merge_push
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
def test_pull_is_exactly_the_jurisdiction(server, seed):
    client, engine = server
    rng = random.Random(seed)
    stations = {d: enrolled(client, engine, d) for d in VILLAGES}
    town = enrolled(client, engine, TOWNSHIP)
    enrolled(client, engine, COUNTY)
    routes: dict[str, set[str]] = {}
    case_events: dict[str, list[str]] = {}
    for _ in range(40):
        if not routes or rng.random() < 0.4:  # a village registers a case
            d = rng.choice(VILLAGES)
            ev = stations[d].event()
            routes[ev.case_id] = {d}
            case_events[ev.case_id] = [ev.event_id]
            author = stations[d]
        else:  # the township transfers a case to a village, or a village adds progress
            case = rng.choice(sorted(routes))
            # only a case visible to the township (petition_core.authz): one routed into it
            if rng.random() < 0.5 and any(within(r, TOWNSHIP) for r in routes[case]):
                to = rng.choice(VILLAGES)
                ev = town.event(case_id=case, type=EventType.TRANSFERRED, route=to,
                                data={"to_division": to})
                routes[case] |= {to, TOWNSHIP}
                author = town
            else:
                d = rng.choice(sorted(routes[case] & set(VILLAGES)) or VILLAGES)
                ev = stations[d].event(case_id=case, type=EventType.PROGRESS, route="",
                                       data={"note": "办理中"})
                routes[case].add(d)
                author = stations[d]
            case_events[case].append(ev.event_id)
        acks = author.sync(client, [ev], cursor=None).json()["acks"]
        assert acks[0]["status"] == "applied", acks
        # someone pulls in the middle with a small page, as real stations do
        if rng.random() < 0.3:
            rng.choice(list(stations.values())).sync(client, limit=3)

    def pulled(division: str) -> set[str]:
        got, cursor, more = set(), 0, True
        while more:
            res = pull_service.pull(engine, division=division, cursor=cursor,
                                    limit=rng.randint(1, 7))
            got |= {e["event_id"] for e in res.events}
            cursor, more = res.cursor, res.more
        return got

    def expected(pred) -> set[str]:  # type: ignore[no-untyped-def]
        return {e for case, rs in routes.items() if any(pred(r) for r in rs)
                for e in case_events[case]}

    for d in VILLAGES:
        assert pulled(d) == expected(lambda r, d=d: r == d), d
    assert pulled(TOWNSHIP) == expected(lambda r: r.startswith("530921108"))
    assert pulled(COUNTY) == expected(lambda r: r.startswith("530921"))
    assert pulled(COUNTY) == {e for evs in case_events.values() for e in evs}
