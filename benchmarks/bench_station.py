"""Station benchmarks (issue: village station).  Run:

    .venv/bin/python benchmarks/bench_station.py [--cases 100000] [--fresh]

Prints, each against a baseline measured in the same run:
1. cold start to a usable main window vs a bare PySide6 window (goal ≤ 2×);
2. case-book search and filter on N cases: median per query (goal ≤ 50 ms), against a
   bare indexed SELECT … LIMIT 50 on the same database;
3. register-and-save through the services (goal ≤ 20 ms), against a raw INSERT + COMMIT of
   the same payload into the same database;
4. resident memory with N cases (main window + case book shown) vs the same app on an
   empty station (goal ≤ 2×).
The N-case data folder is cached in $TMPDIR/suqiu-bench-N (``--fresh`` rebuilds it); an
older cached folder is migrated to head the first time the services open it.

Cold start runs with compiled bytecode, as an installed app does (PyInstaller ships .pyc;
pip compiles on install): when PYTHONDONTWRITEBYTECODE is set (it is on the build
machine), every start would otherwise recompile our ~70 modules from source (~50-100 ms
that no user pays).  The children get a private PYTHONPYCACHEPREFIX (never the source
tree) and one unmeasured warm-up run fills it; ``--source-only`` measures the other way.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import cached_dir, median_ms, row, run_child, timed  # noqa: E402

BARE_WINDOW = r"""
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtGui import QFont
app = QApplication([])
app.setFont(QFont("Noto Sans CJK SC", 10))
w = QMainWindow(); w.setCentralWidget(QLabel("诉求通")); w.resize(1326, 688); w.show()
app.processEvents(); w.grab()
print(time.perf_counter() - t0)
"""

APP_WINDOW = r"""
import time, sys, os
t0 = time.perf_counter()
from station_app.paths import AppPaths
from station_app.app import _make_app, _prepare, settle
paths = AppPaths(sys.argv[1])
app = _make_app([])
prefs = _prepare(app, paths)
from station_app.services import StationServices
from station_app.ui import UiContext
from station_app.ui.main_window import MainWindow
from station_app.ui.runner import Runner
services = StationServices.open(paths)
runner = Runner()
op = services.accounts.list_operators()[0]
ctx = UiContext(services=services, runner=runner, operator=op,
                station=services.setup.station(), prefs=prefs)
w = MainWindow(ctx); w.show()
settle(app, runner); w.grab()
ready = time.perf_counter() - t0
if len(sys.argv) > 2 and sys.argv[2] == "casebook":
    w.show_page("casebook"); settle(app, runner); w.grab()
rss = 0
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        rss = int(line.split()[1])
print(ready, rss)
runner.shutdown(); services.close()
"""


def make_station(root: Path, cases: int) -> None:
    from station_app.demo import fill_bulk
    from station_app.paths import AppPaths
    from station_app.services import StationServices

    svc = StationServices.open(AppPaths(root))
    svc.setup.initialise("530921108203", "鹿鸣村群众诉求站", "bench", "bench12345", "基准")
    if cases:
        t0 = time.perf_counter()
        fill_bulk(svc.store, cases)
        print(f"  filled {cases} cases in {time.perf_counter() - t0:.1f} s")
    svc.close()


def cached_station(cases: int, fresh: bool) -> Path:
    return cached_dir("suqiu-bench", cases, fresh, make_station)


def use_bytecode_cache() -> None:
    """Children compile once into a private cache (see the module docstring)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "suqiu-bench-pyc")


def bench_cold_start(big: Path, empty: Path, repeat: int) -> list[str]:
    run_child(BARE_WINDOW)              # warm-up: disk cache, bytecode cache
    run_child(APP_WINDOW, str(empty))
    bare = [float(run_child(BARE_WINDOW)[1].split()[0]) for _ in range(repeat)]
    app = [float(run_child(APP_WINDOW, str(empty))[1].split()[0]) for _ in range(repeat)]
    import statistics as st
    b, a = st.median(bare) * 1000, st.median(app) * 1000
    return [row("cold start → usable window (empty station)", a, "ms", b, "goal ≤ 2×")]


def bench_memory(big: Path, empty: Path) -> list[str]:
    e = int(run_child(APP_WINDOW, str(empty), "casebook")[1].split()[1]) / 1024
    f = int(run_child(APP_WINDOW, str(big), "casebook")[1].split()[1]) / 1024
    return [row(f"resident memory, case book open ({big.name})", f, "MiB", e, "goal ≤ 2×")]


def bench_casebook(big: Path, repeat: int) -> list[str]:
    from station_app.paths import AppPaths
    from station_app.services import CaseQuery, StationServices

    svc = StationServices.open(AppPaths(big))
    con = sqlite3.connect(AppPaths(big).db_path)
    base = median_ms(timed(lambda: con.execute(
        "SELECT * FROM case_index ORDER BY received_at DESC LIMIT 50").fetchall(), repeat))
    queries = {
        "first page, newest first": CaseQuery(),
        "full text 道路 (FTS trigram)": CaseQuery(text="道路损坏"),
        "full text 2 chars (bigrams)": CaseQuery(text="低保"),
        "full text 1 char (bigram prefix)": CaseQuery(text="路"),
        "name by pinyin initials": CaseQuery(name_query="zh"),
        "name by 1 letter": CaseQuery(name_query="z"),
        "name by full pinyin": CaseQuery(name_query="zhang"),
        "status filter 已受理": CaseQuery(statuses=("accepted",)),
        "category + channel": CaseQuery(category="land", channel="visit"),
        "overdue only": CaseQuery(overdue_only=True),
        "date range, by due date": CaseQuery(date_from="2026-01-01", date_to="2026-06-30",
                                             sort_key="due_date", descending=False),
        "page 200 (offset 10000)": CaseQuery(offset=10000),
        "page 1000 by due date (offset 50000)": CaseQuery(offset=50000, sort_key="due_date"),
    }
    out = []
    for name, q in queries.items():
        svc.casebook.query(q)  # warm
        ms = median_ms(timed(lambda q=q: svc.casebook.query(q), repeat))
        out.append(row("case book: " + name, ms, "ms", base, "goal ≤ 50 ms"))
    con.close()
    svc.close()
    return out


def bench_register(repeat: int) -> list[str]:
    from petition_core.events import canonical_json
    from station_app.app import _sample_form
    from station_app.paths import AppPaths
    from station_app.services import StationServices

    with tempfile.TemporaryDirectory() as d:
        make_station(Path(d), 0)
        svc = StationServices.open(AppPaths(d))
        op = svc.accounts.list_operators()[0]
        forms = [_sample_form(svc, i) for i in range(repeat)]
        it = iter(forms)
        svc.intake.register(_sample_form(svc, 99), op)  # warm caches
        reg = median_ms(timed(lambda: svc.intake.register(next(it), op), repeat))
        con = sqlite3.connect(AppPaths(d).db_path, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, payload BLOB)")
        payload = canonical_json(forms[0])

        def raw():
            con.execute("BEGIN")
            con.execute("INSERT INTO bench_raw (payload) VALUES (?)", (payload,))
            con.execute("COMMIT")
        base = median_ms(timed(raw, repeat))
        con.close()
        svc.close()
    return [row("register and save one case", reg, "ms", base, "goal ≤ 20 ms")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--source-only", action="store_true",
                    help="cold start without a bytecode cache (recompile every start)")
    args = ap.parse_args()
    if not args.source_only:
        use_bytecode_cache()
    print(f"station benchmarks ({args.cases} cases)")
    big = cached_station(args.cases, args.fresh)
    empty = cached_station(0, args.fresh)
    lines = []
    lines += bench_register(max(args.repeat * 4, 40))
    lines += bench_casebook(big, args.repeat)
    lines += bench_cold_start(big, empty, max(3, args.repeat // 3))
    lines += bench_memory(big, empty)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
