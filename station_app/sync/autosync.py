"""Automatic sync: probe the county server and sync as soon as it becomes reachable.

Why a probe first: most village PCs are offline most of the day.  A TCP connect (3 s
timeout) costs nothing on the server and no request counter, and tells us when a cable or
a 4G dongle came back.  Failures back off exponentially with full jitter (so 187 villages
coming online after a county outage do not all hit the server in the same second), capped
at ``max_delay``; a success resets the backoff and waits ``interval`` before the next round.
Errors a person must fix (revoked, unknown station, old version) stop the fast retries: the
loop waits ``max_delay`` and tries again, in case the county fixed it meanwhile.
"""
from __future__ import annotations

import logging
import random
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .engine import ProgressFn, SyncEngine, SyncReport
from .transport import SyncError

log = logging.getLogger(__name__)


def reachable(url: str, timeout: float = 3.0) -> bool:
    """True when a TCP connection to the server's host:port opens within ``timeout``."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class Backoff:
    """Exponential backoff with full jitter: delay ∈ [0, min(cap, base·2^n)]."""

    base: float = 5.0
    cap: float = 600.0
    attempt: int = 0
    rng: random.Random | None = None

    def next(self) -> float:
        high = min(self.cap, self.base * (2 ** self.attempt))
        self.attempt += 1
        r = self.rng or random
        return max(self.base / 2, r.uniform(0, high))

    def reset(self) -> None:
        self.attempt = 0


class AutoSync:
    """A daemon thread running ``engine.sync_once`` whenever the server is reachable.

    ``on_result(report_or_error)`` is called from the thread (the UI turns it into a
    signal).  ``engine_factory`` builds a fresh engine per round, so settings changed by
    enrollment are picked up.
    """

    def __init__(self, engine_factory: Callable[[], SyncEngine], *,
                 on_result: Callable[[SyncReport | SyncError], None] | None = None,
                 progress: ProgressFn | None = None, interval: float = 300.0,
                 backoff: Backoff | None = None,
                 lock: threading.Lock | None = None):
        self._factory = engine_factory
        self._on_result = on_result
        self._progress = progress
        self.interval = interval
        self.backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.lock = lock or threading.Lock()   # shared with "立即同步": one sync at a time

    def set_callbacks(self, on_result: Callable[[SyncReport | SyncError], None] | None,
                      progress: ProgressFn | None) -> None:
        """Replace the listeners (None: deliver nothing); takes effect at the next call."""
        self._on_result, self._progress = on_result, progress

    def _report_progress(self, p: Any) -> None:
        cb = self._progress      # read at call time: a detached listener gets nothing
        if cb is not None:
            cb(p)

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="autosync", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Try now (e.g. after a new case was saved)."""
        self._wake.set()

    def _wait(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.round()
            except Exception as exc:  # noqa: BLE001 - the loop must outlive any one round
                log.error("autosync round failed: %s", type(exc).__name__)
                delay = self.backoff.next()
            if self._stop.is_set():
                break
            self._wait(delay)

    def round(self) -> float:
        """One probe-and-sync round; returns how long to wait before the next."""
        try:
            engine = self._factory()
        except Exception as exc:  # noqa: BLE001 - a broken store must not kill the thread
            log.error("autosync could not open the engine: %s", type(exc).__name__)
            return self.backoff.next()
        if not engine.enrolled():
            return self.interval
        if not reachable(engine.transport.base_url):
            return self.backoff.next()
        if not self.lock.acquire(blocking=False):
            return self.interval  # a manual sync is running
        try:
            report = engine.sync_once(self._report_progress)
        except SyncError as exc:
            self._emit(exc)
            return self.backoff.next() if exc.retryable else self.backoff.cap
        finally:
            self.lock.release()
        self.backoff.reset()
        self._emit(report)
        return self.interval

    def _emit(self, result: SyncReport | SyncError) -> None:
        cb = self._on_result
        if cb:
            try:
                cb(result)
            except Exception:  # noqa: BLE001
                log.exception("autosync result callback failed")
