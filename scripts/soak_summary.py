"""Add up a soak run's per-example lines: scripts/soak_summary.py LOGDIR [LOGDIR ...]."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main(dirs: list[str]) -> int:
    examples = requests = 0
    faults: Counter[str] = Counter()
    stations = Counter()
    refused = hostile = 0
    for d in dirs:
        for f in sorted(Path(d).glob("job*.jsonl")):
            for line in f.read_text("utf-8").splitlines():
                r = json.loads(line)
                examples += 1
                requests += r["requests"]
                faults.update(r["faults"])
                stations[r["stations"]] += 1
                refused += bool(r["refused_event"])
                hostile += bool(r.get("hostile"))
    print(f"examples passed: {examples} ({refused} with a record the server refuses, "
          f"{hostile} with a hostile station)")
    print(f"stations per example: {dict(sorted(stations.items()))}")
    print(f"requests through the fault proxy: {requests}")
    print(f"faults injected: {sum(faults.values())} {dict(sorted(faults.items()))}")
    return 0 if examples else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
