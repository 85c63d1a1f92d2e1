"""Cost of one login's password hash (scrypt), measured, never asserted.

The station hashes with ``station_app.services.accounts.PRODUCTION_SCRYPT`` (N=2^17, r=8,
p=1: 128·N·r = 128 MiB).  Printed: the median time of the production cost and of the
pre-issue-7 cost N=2^14 (the same-run baseline), their ratio, and the peak memory the
process needed.  docs/benchmarks.md turns the figure into an estimate for an old PC.

    .venv/bin/python benchmarks/bench_scrypt.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from station_app.services.accounts import PRODUCTION_SCRYPT, SCRYPT_MAXMEM  # noqa: E402


def _median_seconds(params: dict[str, int], repeat: int) -> float:
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        hashlib.scrypt(b"admin1234", salt=bytes([i]) * 16, n=params["n"], r=params["r"],
                       p=params["p"], dklen=params["dklen"], maxmem=SCRYPT_MAXMEM)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    old = dict(PRODUCTION_SCRYPT, n=2 ** 14)
    base = _median_seconds(old, args.repeat)
    prod = _median_seconds(PRODUCTION_SCRYPT, args.repeat)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n, r = PRODUCTION_SCRYPT["n"], PRODUCTION_SCRYPT["r"]
    print(f"scrypt N=2^{n.bit_length() - 1} r={r}: {prod * 1000:8.1f} ms   "
          f"base N=2^14 {base * 1000:7.1f} ms   ratio {prod / base:5.2f}×")
    print(f"memory 128·N·r = {128 * n * r / 2**20:.0f} MiB; process peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
