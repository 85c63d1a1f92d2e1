"""Limit guessing of enrollment codes without letting a guesser lock out honest stations.

A code is 8 characters from a 32-letter alphabet (40 bits) and lives 7 days, but a county
has a code out for each of its ~190 villages at once: unthrottled, a script guessing a
thousand codes a second for a week has a real chance (≈ 10 %) of binding a rogue key to
some village and pulling its cases.  So wrong codes are counted, per client and overall,
over a sliding ``window`` (10 minutes):

* **Per client** (an IPv4 address, or an IPv6 /64, which one machine can fill at will):
  ``per_client`` wrong codes, then 429 ``enroll_rate_limited`` with ``retry_after`` until
  its oldest failure leaves the window.  A clerk who mistypes gets that many tries.
* **Global backstop**: once ``overall`` wrong codes came from all clients together, the
  county is *under attack* and every client that failed at least once in the window is
  refused; a client with no failure still gets its attempt (one; a wrong code puts it in
  the refused set).  Why not refuse everyone, as this limiter did before: then 100 wrong
  codes from anywhere — ten addresses, a few seconds — locked every station of the county
  out of enrolling, and an attacker could keep that up for ever.  Now an attacker cannot
  stop an honest station that types its code right; what the backstop takes away is the
  *per-client allowance* (10 → 1 while the attack lasts), so guessing from many addresses
  gains one guess per address per window: 10,000 addresses give ≈ 1.4 M guesses a day,
  against ≈ 5.8 × 10⁹ needed on average for one hit among 190 live codes (≈ 0.2 % over a
  code's 7 days).
* Concurrency: an attempt *reserves* its failure before the code is checked
  (``begin``/``settle``), so 50 simultaneous requests from one client cannot all slip
  under the limit before the first failure is counted.
* Memory is bounded: at most ``max_clients`` client records (oldest forgotten first).

In memory, per server process (one uvicorn process is how the county runs it).  Behind a
reverse proxy every station shares the proxy's address unless uvicorn is told to trust its
``X-Forwarded-For`` (``--forwarded-allow-ips``); docs/PROTOCOL.md, "Station identity".
"""
from __future__ import annotations

import ipaddress
import itertools
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from petition_core.protocol import ProtocolError


def client_key(host: str | None) -> str:
    """The unit a client is counted in: an IPv4 address or an IPv6 /64."""
    try:
        ip = ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return host or "?"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class FailureLimiter:
    def __init__(self, *, per_client: int = 10, overall: int = 100, window: float = 600.0,
                 max_clients: int = 50_000, clock: Callable[[], float] = time.monotonic,
                 code: str = "enroll_rate_limited"):
        self.per_client, self.overall, self.window = per_client, overall, window
        self.code = code      # the refusal's code (public progress has its own)
        self.max_clients = max_clients
        self._clock = clock
        self._lock = threading.Lock()
        self._all: deque[float] = deque()
        self._by_client: OrderedDict[str, deque[float]] = OrderedDict()
        self._tokens = itertools.count(1)
        self._pending: dict[int, tuple[str, float]] = {}

    # ---- bookkeeping ------------------------------------------------------------------
    def _prune(self, now: float) -> None:
        """Forget what left the window: the global log, and clients whose last failure did
        (they are kept in order of their last failure, so only the front is looked at)."""
        edge = now - self.window
        while self._all and self._all[0] <= edge:
            self._all.popleft()
        while self._by_client:
            key, q = next(iter(self._by_client.items()))
            if q and q[-1] > edge:
                break
            del self._by_client[key]

    def _mine(self, client: str, now: float) -> deque[float] | None:
        q = self._by_client.get(client)
        while q and q[0] <= now - self.window:
            q.popleft()
        return q or None

    def _record(self, client: str, now: float) -> None:
        self._all.append(now)
        q = self._by_client.pop(client, None) or deque()
        q.append(now)
        self._by_client[client] = q            # most recent last
        while len(self._by_client) > self.max_clients:
            self._by_client.popitem(last=False)

    def _unrecord(self, client: str, at: float) -> None:
        for q in (self._all, self._by_client.get(client)):
            if q is not None:
                try:
                    q.remove(at)
                except ValueError:
                    pass

    def _refusal(self, client: str, now: float) -> ProtocolError | None:
        mine = self._mine(client, now)
        waits = []
        if mine and len(mine) >= self.per_client:
            waits.append(mine[-self.per_client] + self.window - now)
        if mine and len(self._all) >= self.overall:      # the backstop: only clients that failed
            waits.append(min(mine[-1], self._all[-self.overall]) + self.window - now)
        if not waits:
            return None
        return ProtocolError(self.code, 429,
                             {"retry_after": max(1, int(max(waits)) + 1)})

    # ---- API --------------------------------------------------------------------------
    def check(self, client: str) -> None:
        """Raise ``enroll_rate_limited`` (429) when ``client`` may not try now."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            refusal = self._refusal(client, now)
        if refusal is not None:
            raise refusal

    def begin(self, client: str) -> int:
        """Check, then reserve one failure for an attempt about to be judged; pass the
        token to :meth:`settle` (an attempt that is never settled stays a failure)."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            refusal = self._refusal(client, now)
            if refusal is not None:
                raise refusal
            self._record(client, now)
            token = next(self._tokens)
            self._pending[token] = (client, now)
            return token

    def settle(self, token: int, *, failed: bool) -> None:
        """The attempt's outcome: a wrong code keeps its failure; anything else (enrolled,
        a malformed body, a used code) gives it back."""
        with self._lock:
            client, at = self._pending.pop(token, (None, 0.0))
            if client is not None and not failed:
                self._unrecord(client, at)

    def failed(self, client: str) -> None:
        with self._lock:
            self._record(client, self._clock())
