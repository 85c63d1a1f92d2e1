"""Helpers shared by the benchmark scripts: timing, medians, child processes.

Benchmarks print figures and ratios against a baseline measured in the same run; they
never assert (machines here are shared and noisy).  Results go to docs/benchmarks.md.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(code: str, *args: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; return (wall seconds until it exits, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], env=child_env(),
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, proc.stdout


def row(name: str, value: float, unit: str, baseline: float | None = None,
        goal: str = "") -> str:
    ratio = f"{value / baseline:6.2f}×" if baseline else "      "
    base = f"{baseline:9.2f} {unit}" if baseline is not None else " " * 12
    return f"{name:<44} {value:9.2f} {unit:<3} base {base} ratio {ratio}  {goal}"


def cached_dir(name: str, cases: int, fresh: bool, make: Callable[[Path, int], None]) -> Path:
    """A station data folder of ``cases`` cases made once by ``make(root, cases)`` and kept
    in the temp folder between runs (``fresh``: made again); ``.complete`` marks a folder
    whose making finished."""
    root = Path(tempfile.gettempdir()) / f"{name}-{cases}"
    if fresh or not (root / ".complete").exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        make(root, cases)
        (root / ".complete").write_text("ok")
    return root
