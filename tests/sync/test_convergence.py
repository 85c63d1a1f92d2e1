"""Property: N stations × M events through a faulty line converge to exactly N×M events on
the server and, on every station, exactly the events of its jurisdiction.

Some examples also carry one event the server cannot take (a newer record type): it is
voided and quarantined at its station, and every other event still converges.  Some also
have a hostile enrolled station (issue 7): it pushes poison payloads, a case planted in
another township, a transfer of another station's case to itself and an event on a case
that does not exist.  Every one is refused at merge; none is stored on the server or
reaches any station; the honest stations converge exactly as without it.

Default: a few small examples (well under a minute).  ``--soak`` (or scripts/soak.sh):
thousands of examples with more stations, events and faults (``SUQIU_SOAK_EXAMPLES=N``
to choose how many).
"""
from __future__ import annotations

import itertools
import json
import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from petition_core import protocol as P
from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7
from station_app.store import append_events
from station_app.store.models import EventRow

from .faultproxy import FaultPlan, FaultProxy
from .server_proc import ServerProcess
from .stations import (
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGES,
    event_ids,
    make_station,
    pending,
    quarantined,
    register_cases,
    registration,
    routes,
)
from .test_faults import sync_until_ok

DIVISIONS = VILLAGES[:4] + [OTHER_VILLAGE, TOWNSHIP]
HOSTILE = VILLAGES[5]    # a village of the same township, its own division


def hostile_events(st, victim_case: str) -> list[str]:
    """What a modified station writes straight into its log: every kind of event the gate
    refuses (payload, authorization), plus content the intake form would refuse."""
    d = st.division
    drafts = [
        EventDraft(uuid7(), EventType.REGISTERED, registration(d, petitioner="张三"), route=d),
        EventDraft(uuid7(), EventType.REGISTERED, registration(d, attachments=3), route=d),
        EventDraft(uuid7(), EventType.REGISTERED, registration(OTHER_VILLAGE),
                   route=OTHER_VILLAGE),
        EventDraft(victim_case, EventType.TRANSFERRED,
                   {"kind": "transfer", "to_division": d, "note": ""}, route=d),
        EventDraft(uuid7(), EventType.PROGRESS, {"note": "无中生有"}),
        EventDraft(uuid7(), EventType.REGISTERED, registration(d, summary="长" * 101),
                   route=d),
    ]
    with st.store.session() as s:
        return [e.event_id for e in append_events(s, drafts, "hostile")]


def test_n_stations_m_events_converge(tmp_path_factory, soak):
    root = tmp_path_factory.mktemp("conv")
    server = ServerProcess(root / "server").start()
    counter = itertools.count()
    # soak: up to 6 stations × 24 events by default (a bigger day adds round trips, not new
    # cases: the variety is in the fault positions, sizes and station mixes);
    # SUQIU_SOAK_STATIONS / SUQIU_SOAK_EVENTS change the bounds
    max_n, max_m = (int(os.environ.get("SUQIU_SOAK_STATIONS", "6")),
                    int(os.environ.get("SUQIU_SOAK_EVENTS", "24"))) if soak else (3, 6)
    log_path = os.environ.get("SUQIU_SOAK_LOG") if soak else None

    examples = int(os.environ.get("SUQIU_SOAK_EXAMPLES", "2000")) if soak else 3

    # batch and pull sizes: mostly small (every boundary case), sometimes whole-day sized
    # (a batch of 1 with 240 events is ~1,500 round trips: most of a soak's time)
    sizes = st.one_of(st.integers(1, 8), st.sampled_from([13, 50, 500]))

    @settings(max_examples=examples, deadline=None, derandomize=not soak,
              suppress_health_check=list(HealthCheck))
    @given(divisions=st.lists(st.sampled_from(DIVISIONS), min_size=1, max_size=max_n),
           m=st.integers(1, max_m), seed=st.integers(0, 2**31),
           p=st.floats(0.0, 0.3), batch=sizes, pull_limit=sizes, bad=st.booleans(),
           hostile=st.booleans())
    def run(divisions, m, seed, p, batch, pull_limit, bad, hostile):
        example = next(counter)
        stations = [make_station(root / f"e{example}s{i}", d) for i, d in enumerate(divisions)]
        villain = make_station(root / f"e{example}h", HOSTILE) if hostile else None
        plan = FaultPlan(seed=seed, p_cut_request=p / 4, p_cut_response=p / 4,
                         p_drop_response=p / 4, p_duplicate=p / 4)
        try:
            from station_app.sync.engine import SyncEngine

            for s in stations + ([villain] if villain else []):
                SyncEngine(s.store, s.paths, server_url=server.url).enroll(
                    server.enroll_code(s.division))
            made = {s.station_id: register_cases(s, m) for s in stations}
            evil: set[str] = set()
            if villain is not None:
                with stations[0].store.read() as ses:
                    victim_case = ses.scalar(select(EventRow.case_id).where(
                        EventRow.event_id == made[stations[0].station_id][0]))
                evil = set(hostile_events(villain, victim_case))
            refused: set[str] = set()
            if bad:  # one event the server cannot take: voided, the rest still converge
                victim = stations[0]
                refused = {made[victim.station_id][m // 2]}
                with victim.store.session() as ses:
                    ses.execute(update(EventRow).where(EventRow.event_id.in_(refused))
                                .values(type="case.from_the_future"))
            with FaultProxy(server.port, plan) as proxy:
                for _ in range(2):  # push everything, then pull what the others pushed
                    for s in stations + ([villain] if villain else []):
                        sync_until_ok(s, proxy.url, attempts=60, batch_size=batch,
                                      pull_limit=pull_limit)
            stored = server.event_ids()
            assert not [e for e, n in Counter(stored).items() if n > 1]
            ours = {e for ids in made.values() for e in ids}
            assert len(ours) == len(stations) * m
            assert ours - refused <= set(stored) and not refused & set(stored)
            assert not evil & set(stored)            # nothing hostile is stored anywhere
            if villain is not None:
                assert {q[0] for q in quarantined(villain)} == evil and pending(villain) == 0
            for s in stations:
                assert pending(s) == 0
                assert {q[0] for q in quarantined(s)} == (
                    refused if s is stations[0] else set())
                assert not evil & event_ids(s)
                have = event_ids(s) & ours
                expected = {e for other in stations for e in made[other.station_id]
                            if P.within(other.division, s.division)
                            and (e not in refused or other is s)}
                assert have == expected, (s.division, len(have), len(expected))
                # and nothing outside its jurisdiction, from any example
                assert all(P.within(r, s.division) for r in routes(s))
            if log_path:  # one line per passed example: what ran and which faults it met
                with open(log_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({
                        "example": example, "stations": len(stations), "events": m,
                        "batch": batch, "pull_limit": pull_limit, "p": round(p, 3),
                        "refused_event": bad, "hostile": hostile,
                        "requests": proxy.stats.requests,
                        "faults": proxy.stats.faults}) + "\n")
        finally:
            for s in stations + ([villain] if villain else []):
                s.close()

    try:
        run()
    finally:
        server.stop()
