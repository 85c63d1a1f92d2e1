"""Limit guessing of enrollment codes.

A code is 8 characters from a 32-letter alphabet (40 bits) and lives 7 days, but a county
has a code out for each of its ~190 villages at once: unthrottled, a script guessing a
thousand codes a second for a week has a real chance (≈ 10 %) of binding a rogue key to
some village and pulling its cases.  So failed attempts (unknown or expired codes) are
counted: at most ``per_client`` per client address and ``overall`` in all per ``window``
seconds; past that every enrollment is refused with 429 ``enroll_rate_limited`` and a
``retry_after`` until the window has room again.  That caps a guesser at a few thousand
codes a day.  A legitimate clerk who mistypes gets ``per_client`` tries.

In memory, per server process (one uvicorn process is how the county runs it); behind a
reverse proxy every station shares one address and only ``overall`` really applies.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

from petition_core.protocol import ProtocolError


class FailureLimiter:
    def __init__(self, *, per_client: int = 10, overall: int = 100, window: float = 600.0,
                 clock: Callable[[], float] = time.monotonic):
        self.per_client, self.overall, self.window = per_client, overall, window
        self._clock = clock
        self._lock = threading.Lock()
        self._all: deque[float] = deque()
        self._by_client: dict[str, deque[float]] = {}

    def _prune(self, now: float) -> None:
        edge = now - self.window
        while self._all and self._all[0] <= edge:
            self._all.popleft()
        for key in [k for k, q in self._by_client.items() if not q or q[-1] <= edge]:
            del self._by_client[key]
        for q in self._by_client.values():
            while q and q[0] <= edge:
                q.popleft()

    def check(self, client: str) -> None:
        """Raise ``enroll_rate_limited`` (429) when ``client`` may not try now."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            mine = self._by_client.get(client)
            waits = []
            if mine is not None and len(mine) >= self.per_client:
                waits.append(mine[0] + self.window - now)
            if len(self._all) >= self.overall:
                waits.append(self._all[0] + self.window - now)
            if waits:
                raise ProtocolError("enroll_rate_limited", 429,
                                    {"retry_after": max(1, int(max(waits)) + 1)})

    def failed(self, client: str) -> None:
        with self._lock:
            now = self._clock()
            self._all.append(now)
            self._by_client.setdefault(client, deque()).append(now)
