"""Property: N stations × M events through a faulty line converge to exactly N×M events on
the server and, on every station, exactly the events of its jurisdiction.

Default: a few small examples (well under a minute).  ``--soak`` (or scripts/soak.sh):
thousands of examples with more stations, events and faults (``SUQIU_SOAK_EXAMPLES=N``
to choose how many).
"""
from __future__ import annotations

import itertools
import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petition_core import protocol as P

from .faultproxy import FaultPlan, FaultProxy
from .server_proc import ServerProcess
from .stations import (OTHER_VILLAGE, TOWNSHIP, VILLAGES, event_ids, make_station, pending,
                       register_cases, routes)
from .test_faults import sync_until_ok

DIVISIONS = VILLAGES[:4] + [OTHER_VILLAGE, TOWNSHIP]


def test_n_stations_m_events_converge(tmp_path_factory, soak):
    root = tmp_path_factory.mktemp("conv")
    server = ServerProcess(root / "server").start()
    counter = itertools.count()
    max_n, max_m = (6, 40) if soak else (3, 6)

    examples = int(os.environ.get("SUQIU_SOAK_EXAMPLES", "2000")) if soak else 3

    @settings(max_examples=examples, deadline=None, derandomize=not soak,
              suppress_health_check=list(HealthCheck))
    @given(divisions=st.lists(st.sampled_from(DIVISIONS), min_size=1, max_size=max_n),
           m=st.integers(1, max_m), seed=st.integers(0, 2**31),
           p=st.floats(0.0, 0.3), batch=st.integers(1, 8), pull_limit=st.integers(1, 10))
    def run(divisions, m, seed, p, batch, pull_limit):
        example = next(counter)
        stations = [make_station(root / f"e{example}s{i}", d) for i, d in enumerate(divisions)]
        plan = FaultPlan(seed=seed, p_cut_request=p / 4, p_cut_response=p / 4,
                         p_drop_response=p / 4, p_duplicate=p / 4)
        try:
            from station_app.sync.engine import SyncEngine

            for s in stations:
                SyncEngine(s.store, s.paths, server_url=server.url).enroll(
                    server.enroll_code(s.division))
            made = {s.station_id: register_cases(s, m) for s in stations}
            with FaultProxy(server.port, plan) as proxy:
                for _ in range(2):  # push everything, then pull what the others pushed
                    for s in stations:
                        sync_until_ok(s, proxy.url, attempts=60, batch_size=batch,
                                      pull_limit=pull_limit)
            stored = server.event_ids()
            assert not [e for e, n in Counter(stored).items() if n > 1]
            ours = {e for ids in made.values() for e in ids}
            assert ours <= set(stored)
            assert len(ours) == len(stations) * m
            for s in stations:
                assert pending(s) == 0
                have = event_ids(s) & ours
                expected = {e for other in stations for e in made[other.station_id]
                            if P.within(other.division, s.division)}
                assert have == expected, (s.division, len(have), len(expected))
                # and nothing outside its jurisdiction, from any example
                assert all(P.within(r, s.division) for r in routes(s))
        finally:
            for s in stations:
                s.close()

    try:
        run()
    finally:
        server.stop()
