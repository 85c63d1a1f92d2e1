"""Automatic sync: nothing happens while the server is away; it syncs once it is back."""
from __future__ import annotations

import random
import time

from station_app.sync.autosync import AutoSync, Backoff, reachable

from .conftest import engine
from .stations import pending, register_cases


def test_backoff_is_jittered_exponential_and_capped():
    b = Backoff(base=1.0, cap=30.0, rng=random.Random(5))
    delays = [b.next() for _ in range(12)]
    assert all(0.5 <= d <= 30.0 for d in delays)
    assert max(delays[6:]) > max(delays[:2])      # grows
    assert len(set(round(d, 3) for d in delays)) == len(delays)  # jittered, not lockstep
    b.reset()
    assert b.next() <= 1.0


def test_syncs_when_the_server_comes_back(own_server, own_station_factory, area):
    st = own_station_factory(area.villages[0])
    register_cases(st, 3)
    own_server.stop()
    assert not reachable(own_server.url, timeout=0.5)
    results = []
    auto = AutoSync(lambda: engine(st), on_result=results.append, interval=0.2,
                    backoff=Backoff(base=0.2, cap=0.4, rng=random.Random(1)))
    auto.start()
    try:
        time.sleep(1.0)
        assert results == [] and pending(st) == 3   # probing only: no failed syncs piling up
        own_server.start()
        deadline = time.monotonic() + 20
        while pending(st) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        auto.stop()
    assert pending(st) == 0
    assert results and results[0].applied == 3


def test_unenrolled_station_is_left_alone(tmp_path):
    from .stations import make_station

    st = make_station(tmp_path / "x", "530921108201")
    try:
        auto = AutoSync(lambda: engine(st, "http://127.0.0.1:9"), interval=7.0)
        assert auto.round() == 7.0
    finally:
        st.close()
