"""Start time of the station program against a bare PySide6 window (issue 12: goal ≤ 2×).

    .venv/bin/python benchmarks/bench_start.py [--repeat 9] [--bundle dist/suqiu-station]

Both sides are measured the same way, side by side, in the same run: wall time from
starting the child process until it prints a marker on its window's first paint event
(the window is on screen).  The app prints it when ``SUQIU_START_MARKER`` is set
(``=exit`` also closes the login, so the child ends); the bare window prints the same
marker from its own paintEvent.  Interpreter start-up is inside both figures.

The station is a set-up station (one administrator, no cases) made once in a temporary
folder; the app is started the way a clerk starts it (``suqiu-station --data-dir …``), so
it takes the quick login path (station_app/quickstart.py).  With ``--bundle`` the
PyInstaller one-folder build is measured too, against the same bare window.

Children run with compiled bytecode, as an installed app does (see bench_station.py).
Figures are medians; the machine is shared, so the ratio is what to read.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import ROOT, child_env, row  # noqa: E402

MARKER = "suqiu-start: login shown"

BARE_WINDOW = r"""
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout
app = QApplication([])
app.setFont(QFont("Noto Sans CJK SC", 10))

class Bare(QDialog):
    shown = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.shown:
            self.shown = True
            print(MARKER, flush=True)
            self.reject()

w = Bare(); QVBoxLayout(w).addWidget(QLabel("诉求通")); w.setMinimumWidth(420)
w.exec()
""".replace("MARKER", repr(MARKER))


AFTER_LOGIN = r"""
import sys, time
from station_app.paths import AppPaths
from station_app.app import _OpenServices, _make_app, _prepare, settle
from station_app.ui.runner import Runner
paths = AppPaths(sys.argv[1])
app = _make_app([])
prefs = _prepare(app, paths)
services = _OpenServices(paths).warm_up()  # done while the clerk types (not timed)
runner = Runner()
op = services.accounts.list_operators()[0]
from PySide6.QtCore import QEvent, QObject
t0 = time.perf_counter()                   # the login dialog accepted
from station_app.ui import UiContext
from station_app.ui.main_window import MainWindow
ctx = UiContext(services=services, runner=runner, operator=op,
                station=services.setup.station(), prefs=prefs)
w = MainWindow(ctx)
painted = []
class P(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and not painted:
            painted.append(time.perf_counter() - t0)
        return False
f = P(); w.installEventFilter(f)
w.resize(1366, 768); w.show()
while not painted:
    app.processEvents()
settle(app, runner)                        # the dashboard's figures are in
print(painted[0], time.perf_counter() - t0)
runner.shutdown(); services.close()
"""


def after_login(data: Path, env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Median seconds from the login accepted to the main window's first paint, and to
    its first page's data shown."""
    runs = []
    for _ in range(repeat + 1):
        out = subprocess.run([sys.executable, "-c", AFTER_LOGIN, str(data)], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    runs = runs[1:]                                      # the first one warms the caches
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))


def time_to_marker(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``cmd`` until it prints the marker (then it must exit 0)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    seen = None
    for line in proc.stdout:
        if line.strip() == MARKER:
            seen = time.perf_counter() - t0
            break
    out, err = proc.communicate(timeout=60)
    if seen is None or proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]}: no marker (exit {proc.returncode}):\n{err[-3000:]}")
    return seen


def make_station(root: Path) -> None:
    from station_app.paths import AppPaths
    from station_app.services import StationServices

    svc = StationServices.open(AppPaths(root))
    try:
        svc.setup.initialise("530921108203", "鹿鸣村群众诉求站", "bench", "bench12345", "基准")
    finally:
        svc.close()


def use_bytecode_cache(env: dict[str, str]) -> dict[str, str]:
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "suqiu-bench-pyc")
    return env


def median_ms(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(time_to_marker(cmd, env) for _ in range(repeat)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--bundle", type=Path, default=None,
                    help="a PyInstaller one-folder build (dist/suqiu-station)")
    ap.add_argument("--cases", type=int, default=0,
                    help="also: main window after login on the N-case station that "
                         "bench_station.py caches (100000 for the issue's goal)")
    args = ap.parse_args()
    env = use_bytecode_cache(child_env())
    env["SUQIU_START_MARKER"] = "exit"
    with tempfile.TemporaryDirectory() as d:
        data = Path(d) / "station"
        data.mkdir()
        make_station(data)
        bare = [sys.executable, "-c", BARE_WINDOW]
        app = [sys.executable, "-m", "station_app.cli", "--data-dir", str(data)]
        cmds = {"bare": bare, "app": app}
        if args.bundle is not None:
            exe = args.bundle / ("suqiu-station.exe" if os.name == "nt" else "suqiu-station")
            cmds["bundle"] = [str(exe), "--data-dir", str(data)]
        for cmd in cmds.values():        # warm-up: disk cache, bytecode cache
            time_to_marker(cmd, env)
        # interleaved, so a burst of load on the shared machine hits every side alike
        runs: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(args.repeat):
            for k, cmd in cmds.items():
                runs[k].append(time_to_marker(cmd, env))
        med = {k: statistics.median(v) * 1000 for k, v in runs.items()}
        b = med["bare"]
        print(f"start time, median of {args.repeat} (wall, process start → first paint)")
        print(row("bare PySide6 window (from source)", b, "ms"))
        print(row("login window shown (from source)", med["app"], "ms", b, "goal ≤ 2×"))
        if "bundle" in med:
            print(row("login window shown (PyInstaller bundle)", med["bundle"], "ms", b,
                      "goal ≤ 2×"))
    if args.cases:
        from benchmarks.bench_station import cached_station

        big = cached_station(args.cases, False)
        env.pop("SUQIU_START_MARKER", None)
        paint, ready = after_login(big, env, args.repeat)
        print(row(f"login → main window painted ({args.cases} cases)", paint * 1000, "ms",
                  None, "goal ≤ 1000 ms"))
        print(row(f"login → first page's data shown ({args.cases} cases)", ready * 1000,
                  "ms", None, "goal ≤ 1000 ms"))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
