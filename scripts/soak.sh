#!/usr/bin/env bash
# Long randomised sync fault runs: thousands of Hypothesis examples of N stations × M events
# through the fault proxy against a real server (tests/sync/test_convergence.py), plus the
# rest of the sync tests.  Takes a long time on purpose; not part of the normal suite.
#
#   SUQIU_SOAK_EXAMPLES=N   examples per job (default 2000)
#   SUQIU_SOAK_JOBS=J       run J convergence jobs side by side (each its own server and
#                           random seed), then the other sync tests once; default 1
#   SUQIU_SOAK_STATIONS=N, SUQIU_SOAK_EVENTS=M   bounds of an example (default 6 × 24)
# With jobs, every passed example is one JSON line in <logs>/job<j>.jsonl (sizes, requests
# and the faults it met): scripts/soak_summary.py <logs> adds them up.
# The --soak option lives in tests/sync/conftest.py, so the path must be given.
# First, the large-size checks the normal suite runs smaller: the case book's exact answers
# on 100,000 cases (tests/station/test_casebook_speed.py; 20,000 in the suite), and the
# county demo built twice to check it is deterministic (tests/station/test_demo_county.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
PY=.venv/bin/python
JOBS=${SUQIU_SOAK_JOBS:-1}
SUQIU_CASEBOOK_CASES=100000 SUQIU_LONG_TESTS=1 $PY -m pytest -p no:cacheprovider --timeout 0 -q \
    tests/station/test_casebook_speed.py tests/station/test_demo_county.py
if [ "$JOBS" -le 1 ]; then
    exec $PY -m pytest -p no:cacheprovider --timeout 0 tests/sync --soak "$@"
fi
LOGS=$(mktemp -d)
pids=()
for j in $(seq 1 "$JOBS"); do
    SUQIU_SOAK_LOG="$LOGS/job$j.jsonl" \
    $PY -m pytest -p no:cacheprovider --timeout 0 -q --basetemp "$LOGS/tmp$j" \
        tests/sync/test_convergence.py --soak --hypothesis-show-statistics "$@" \
        > "$LOGS/job$j.log" 2>&1 &
    pids+=($!)
done
status=0
for j in "${!pids[@]}"; do
    if wait "${pids[$j]}"; then echo "soak job $((j + 1)): passed"; else
        echo "soak job $((j + 1)): FAILED"; tail -50 "$LOGS/job$((j + 1)).log"; status=1; fi
done
echo "logs: $LOGS"
$PY -m pytest -p no:cacheprovider --timeout 0 -q tests/sync --soak \
    --deselect tests/sync/test_convergence.py::test_n_stations_m_events_converge "$@" || status=1
exit $status
