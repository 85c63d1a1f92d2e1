"""A township's day over a poor rural line: 13 villages × 20 events (+ the township's own
20) through the fault proxy emulating 64 kbit/s, 500 ms RTT and 2 % segment loss.

Compares the wall time of ``sync_once`` with the time the link needs just to carry the
compressed bytes (``zstd(canonical JSON)`` of the pushed and pulled events at 64 kbit/s),
and with that plus the one round trip any request needs.  Goal: within 1.5×.
The emulation charges a TCP handshake (1 RTT) per connection, half an RTT each way, the
serialisation time at the bandwidth, and ~1 s (2 RTT) per lost 1460-byte segment.

Run: ``.venv/bin/python benchmarks/bench_sync_link.py [--runs 3]``.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_sync_wire import (  # noqa: E402
    TOWNSHIP,
    VILLAGES,
    day_of_registrations,
    zstd_baseline,
)
from station_app.sync.engine import SyncEngine  # noqa: E402
from tests.sync.faultproxy import FaultPlan, FaultProxy  # noqa: E402
from tests.sync.server_proc import ServerProcess  # noqa: E402
from tests.sync.stations import make_station  # noqa: E402

BANDWIDTH = 64_000
RTT = 0.5
LOSS = 0.02


def one_run(tmp: Path, seed: int, villages: int, events: int) -> tuple[float, float, int]:
    rng = random.Random(seed)
    server = ServerProcess(tmp / f"server{seed}").start()
    try:
        pulled_events = []
        for i in range(villages):
            st = make_station(tmp / f"s{seed}v{i}", VILLAGES[i])
            SyncEngine(st.store, st.paths, server_url=server.url).enroll(
                server.enroll_code(st.division))
            pulled_events += day_of_registrations(st, events, rng)
            SyncEngine(st.store, st.paths, server_url=server.url).sync_once()
            st.close()
        township = make_station(tmp / f"s{seed}t", TOWNSHIP)
        SyncEngine(township.store, township.paths, server_url=server.url).enroll(
            server.enroll_code(TOWNSHIP))
        own = day_of_registrations(township, events, rng)
        plan = FaultPlan(seed=seed, bandwidth_bps=BANDWIDTH, rtt=RTT, loss=LOSS)
        with FaultProxy(server.port, plan) as proxy:
            t0 = time.perf_counter()
            r = SyncEngine(township.store, township.paths, server_url=proxy.url).sync_once()
            wall = time.perf_counter() - t0
        assert r.pulled == len(pulled_events) and r.applied == len(own), r
        township.close()
        base = (zstd_baseline(own) + zstd_baseline(pulled_events)) * 8 / BANDWIDTH
        return wall, base, r.round_trips
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--villages", type=int, default=13)
    ap.add_argument("--events", type=int, default=20)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-link-"))
    results = [one_run(tmp, seed, args.villages, args.events) for seed in range(args.runs)]
    walls = [w for w, _, _ in results]
    base = results[0][1]
    print(f"township day: pull {args.villages}×{args.events}, push {args.events}; "
          f"64 kbit/s, RTT {RTT * 1000:.0f} ms, loss {LOSS:.0%}; {args.runs} runs")
    print(f"  sync wall time: median {statistics.median(walls):.2f} s "
          f"(min {min(walls):.2f}, max {max(walls):.2f}); round trips {results[0][2]}")
    print(f"  link time for the compressed bytes: {base:.2f} s → ratio "
          f"{statistics.median(walls) / base:.2f}; with one RTT: {base + RTT:.2f} s → ratio "
          f"{statistics.median(walls) / (base + RTT):.2f} (goal ≤ 1.5)")


if __name__ == "__main__":
    main()
