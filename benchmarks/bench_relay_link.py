"""The relayed township day over a poor rural line (issue 7 C11), in ONE ``suqiu-station sync``.

13 villages without a line each export 20 registrations (Chinese accounts of median ~360
characters, ``_township_day``) onto a USB stick; the township imports the 13 files and runs
``suqiu-station sync`` once, as a separate process, over an emulated line of 64 kbit/s,
250 ms each way, 2 % packet loss, to a real ``suqiu-server serve`` process.

The line: real TCP through a pair of TUN devices between network namespaces, carried by
``benchmarks/tunlink.py`` the way ``tc … netem delay 250ms loss 2% rate 64kbit`` would (this
kernel has no sch_netem).  Where namespaces cannot be made (not root), ``--proxy`` or the
automatic fallback uses ``tests/sync/faultproxy.py``'s emulation instead (it models the
same line inside a proxy; less faithful: its loss costs a fixed 2 RTT per lost segment).

Printed, per run and as medians (never asserted):
* the sync's time as the command reports it ("用时"), the whole process's wall time
  (Python start-up and imports included: seconds on this VM, none for the app's own
  automatic sync) and the time the line was busy (first to last packet), each against the
  link time of the baseline: the bytes of zstd-3 of the canonical JSON of the 260 events at
  64 kbit/s.  Goal ≤ 1.3×.
* bytes down / bytes up (IP packets on the line, headers included).  Goal < 10 %.
* round trips the sync made (goal: as the data needs; one request carries the day).
* the same 260 registrations pushed by one station over the same line, for reference.

Run (as root): ``.venv/bin/python benchmarks/bench_relay_link.py [--runs 3] [--proxy]``;
``SUQIU_BENCH_TRACE=1`` also prints every pause of the line longer than 0.4 s (a lost
segment's retransmission timeout shows there).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import tunlink  # noqa: E402
from benchmarks._common import child_env  # noqa: E402
from benchmarks._township_day import median_account_chars, registrations  # noqa: E402
from petition_core import protocol as P  # noqa: E402
from station_app.sync.bundles import export_bundle, import_bundle  # noqa: E402
from station_app.sync.engine import SyncEngine  # noqa: E402
from station_app.sync.keys import StationKeys  # noqa: E402
from tests.sync.server_proc import ServerProcess  # noqa: E402
from tests.sync.stations import make_station  # noqa: E402

RATE, DELAY, LOSS = 64_000, 0.25, 0.02
TOWNSHIP = "530921108000"                                   # 洛党镇
VILLAGES = [f"530921108{n:03d}" for n in range(201, 214)]   # 13 of its villages
SINGLE = "530921108299"


def _enroll(st, server) -> None:  # noqa: ANN001
    SyncEngine(st.store, st.paths, server_url=server.url).enroll(server.enroll_code(st.division))


def prepare(tmp: Path, server: ServerProcess, seed: int, villages: int, events: int):
    """The township's data folder with the villages' 13 files imported, the baseline
    bytes, and a station holding the same number of registrations of its own."""
    rng = random.Random(seed)
    wire, evs = [], []
    township = make_station(tmp / "township", TOWNSHIP, "洛党镇")
    _enroll(township, server)
    files = []
    for i in range(villages):
        v = make_station(tmp / f"village{i}", VILLAGES[i], f"村{i}")
        _enroll(v, server)
        evs += registrations(v, events, rng)
        files.append(tmp / f"village{i}.suqiu")
        export_bundle(v.store, StationKeys.load_or_create(v.paths.keys_dir), files[-1])
        wire += P.read_bundle(files[-1].read_bytes()).events
        v.close()
    # the township synced once since its villages enrolled (not measured): its county-signed
    # register lists them, which it checks their USB files against
    SyncEngine(township.store, township.paths, server_url=server.url).sync_once()
    for f in files:
        import_bundle(township.store, township.paths, f)
    township.close()
    single = make_station(tmp / "single", SINGLE, "一个站")
    _enroll(single, server)
    registrations(single, villages * events, random.Random(seed))
    single.close()
    base = len(P.compress(P.canonical_json(wire)))
    return tmp / "township", tmp / "single", base, median_account_chars(evs)


def station_sync(data_dir: Path, url: str, link: tunlink.TunLink | None) -> tuple[float, str]:
    exe = shutil.which("suqiu-station", path=str(Path(sys.executable).parent))
    cmd = [exe or sys.executable, *([] if exe else ["-m", "station_app.cli"]),
           "--data-dir", str(data_dir), "sync", "--server", url, "--quiet"]
    t0 = time.perf_counter()
    run = link.run_in if link is not None else subprocess.run
    proc = run(cmd, capture_output=True, text=True, env=child_env(), check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"sync failed: {proc.stdout}\n{proc.stderr}")
    return wall, proc.stdout


def _trips(out: str) -> int:
    m = re.search(r"往返 (\d+) 次", out)
    return int(m.group(1)) if m else -1


def _sync_seconds(out: str) -> float:
    """The sync's own time, as the command reports it (program start-up excluded)."""
    m = re.search(r"用时 ([0-9.]+) 秒", out)
    return float(m.group(1)) if m else float("nan")


def _gaps(name: str, link: tunlink.TunLink) -> None:
    t0 = min(link.up.first or 0, link.down.first or 0)
    for label, d in (("up", link.up), ("down", link.down)):
        prev = t0
        for t, n in d.trace:
            if t - prev > 0.4:
                print(f"    {name} {label}: idle {t - prev:.2f} s before {t - t0:.2f} s ({n} B)")
            prev = t
        print(f"    {name} {label}: {len(d.trace)} packets, last at {prev - t0:.2f} s")


def one_run_tun(tmp: Path, seed: int, villages: int, events: int) -> dict:
    with tunlink.TunLink(rate_bps=RATE, delay=DELAY, loss=LOSS, seed=seed) as link:
        server = ServerProcess(tmp / "server", host=link.server_ip).start()
        try:
            town, single, base, chars = prepare(tmp, server, seed, villages, events)
            out = {"base": base, "chars": chars}
            for name, folder in (("relay", town), ("single", single)):
                time.sleep(5)            # the previous connection's last FINs drain first
                link.reset_stats()
                wall, text = station_sync(folder, server.url, link)
                done = time.monotonic()   # later packets are only the connection's teardown
                times = [t for d in (link.up, link.down) for t, _ in d.trace if t <= done]
                busy = max(times) - min(times)
                if os.environ.get("SUQIU_BENCH_TRACE"):
                    _gaps(name, link)
                out[name] = {"wall": wall, "sync": _sync_seconds(text), "busy": busy,
                             "up": link.up.bytes,
                             "down": link.down.bytes, "lost": link.up.lost + link.down.lost,
                             "trips": _trips(text)}
            return out
        finally:
            server.stop()


def one_run_proxy(tmp: Path, seed: int, villages: int, events: int) -> dict:
    from tests.sync.faultproxy import FaultPlan, FaultProxy

    server = ServerProcess(tmp / "server").start()
    try:
        town, single, base, chars = prepare(tmp, server, seed, villages, events)
        out = {"base": base, "chars": chars}
        for name, folder in (("relay", town), ("single", single)):
            plan = FaultPlan(seed=seed, bandwidth_bps=RATE, rtt=2 * DELAY, loss=LOSS)
            with FaultProxy(server.port, plan) as proxy:
                wall, text = station_sync(folder, proxy.url, None)
                out[name] = {"wall": wall, "sync": _sync_seconds(text), "busy": float("nan"),
                             "up": proxy.stats.bytes_up,
                             "down": proxy.stats.bytes_down, "lost": -1, "trips": _trips(text)}
        return out
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--villages", type=int, default=13)
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--proxy", action="store_true", help="use the proxy's link emulation")
    ap.add_argument("--nice", type=int, default=0, metavar="N",
                    help="lower this process's niceness by N (root), inherited by the server "
                         "and the station: on a shared build machine it approximates a PC "
                         "that runs nothing else")
    args = ap.parse_args()
    if args.nice:
        os.nice(-args.nice)
    ok, why = (False, "--proxy given") if args.proxy else tunlink.available()
    if not ok:
        print(f"NOTE: no TUN link between namespaces here ({why}); falling back to the "
              "proxy's emulation (tests/sync/faultproxy.py), which is less faithful")
    runner = one_run_tun if ok else one_run_proxy
    results = []
    for seed in range(args.runs):
        tmp = Path(tempfile.mkdtemp(prefix="bench-relay-"))
        try:
            results.append(runner(tmp, seed, args.villages, args.events))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    base = statistics.median(r["base"] for r in results)
    link_s = base * 8 / RATE
    n = args.villages * args.events
    print(f"relayed township day: {args.villages} villages × {args.events} registrations "
          f"(median account {results[0]['chars']:.0f} characters); "
          f"{RATE // 1000} kbit/s, {DELAY * 1000:.0f} ms each way, {LOSS:.0%} loss; "
          f"{'TUN link between namespaces, real TCP' if ok else 'proxy emulation'}; "
          f"{args.runs} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, "
          f"niceness {os.nice(0)}")
    print(f"  baseline: zstd-3 of the {n} events' canonical JSON = {base / 1000:.1f} kB "
          f"= {link_s:.2f} s of link time")
    for name, label in (("relay", "ONE suqiu-station sync relaying the 13 files"),
                        ("single", f"the same {n} pushed by one station (reference)")):
        rows = [r[name] for r in results]
        wall = statistics.median(x["wall"] for x in rows)
        sync = statistics.median(x["sync"] for x in rows)
        busy = statistics.median(x["busy"] for x in rows)
        up = statistics.median(x["up"] for x in rows)
        down = statistics.median(x["down"] for x in rows)
        print(f"  {label}:")
        print("    the sync (as the command reports it) " + ", ".join(
            f"{x['sync']:.1f}" for x in rows) + f" s → median {sync:.1f} s = "
            f"{sync / link_s:.2f}× the baseline's link time (goal ≤ 1.3)")
        print("    the whole process " + ", ".join(f"{x['wall']:.2f}" for x in rows)
              + f" s → median {wall:.2f} s = {wall / link_s:.2f}×, of which Python start-up "
              f"and imports ≈ {wall - sync:.1f} s; the line busy (first to last packet) "
              f"{busy:.2f} s = {busy / link_s:.2f}×")
        print(f"    on the line: up {up / 1000:.1f} kB, down {down / 1000:.1f} kB = "
              f"{down / up:.1%} of up (goal < 10 %); round trips "
              + ", ".join(str(x["trips"]) for x in rows)
              + "; packets lost " + ", ".join(str(x["lost"]) for x in rows))


if __name__ == "__main__":
    main()
