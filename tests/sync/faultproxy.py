"""An asyncio HTTP/1.1 proxy that misbehaves on purpose, for the sync fault tests.

It sits between a station and a real ``suqiu-server`` on 127.0.0.1 and, per request, can:

* ``cut_request``  – forward only the first N bytes of the request, then close both sides
  (the server never sees a whole request);
* ``cut_response`` – let the server answer, forward only the first N bytes of the response;
* ``drop_response`` – let the server commit and answer, then close without a single byte
  back (the station must retry; the retry must change nothing);
* ``duplicate``    – send the same request to the server twice (the first answer is thrown
  away), as a flaky middlebox that retransmits would;
* ``delay``        – wait before forwarding;
* link emulation   – bandwidth, round-trip time and segment loss (a lost segment costs a
  retransmission timeout), to time a township's day over a 64 kbit/s line.

The proxy understands just enough HTTP to find request boundaries (headers +
``Content-Length``); it adds ``Connection: close`` so that one TCP connection carries one
request and the response is everything up to EOF.  It counts requests and bytes both ways,
which the benchmarks use as "bytes on the wire" and "round trips".
"""
from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

CHUNK = 1460  # one TCP segment's payload, the unit of loss in link emulation


@dataclass
class FaultPlan:
    """Probabilities of each fault per request (0 = never), plus a seed for replay."""

    seed: int = 0
    p_cut_request: float = 0.0
    p_cut_response: float = 0.0
    p_drop_response: float = 0.0
    p_duplicate: float = 0.0
    max_delay: float = 0.0
    # link emulation (None = local speed)
    bandwidth_bps: float | None = None
    rtt: float = 0.0
    loss: float = 0.0
    # exact faults for the n-th request (1-based), overriding the probabilities
    script: dict[int, str] = field(default_factory=dict)


@dataclass
class Stats:
    requests: int = 0
    bytes_up: int = 0      # client -> server, as forwarded
    bytes_down: int = 0    # server -> client, as forwarded
    faults: dict[str, int] = field(default_factory=dict)

    def count(self, fault: str) -> None:
        self.faults[fault] = self.faults.get(fault, 0) + 1


class FaultProxy:
    """Run ``FaultProxy(port).start()`` in a test; ``.url`` is what the station talks to."""

    def __init__(self, upstream_port: int, plan: FaultPlan | None = None,
                 upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.plan = plan or FaultPlan()
        self.stats = Stats()
        self._rng = random.Random(self.plan.seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        # called on the proxy thread right after a whole request reached the server
        self.on_forwarded: Callable[[int], None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- lifecycle ---------------------------------------------------------------
    def start(self) -> FaultProxy:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0))
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._server.close()
            self._loop.run_until_complete(self._server.wait_closed())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="faultproxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- per request -------------------------------------------------------------
    def _choose(self, n: int) -> str:
        if n in self.plan.script:
            return self.plan.script[n]
        p, r = self.plan, self._rng.random()
        for name, prob in (("cut_request", p.p_cut_request), ("cut_response", p.p_cut_response),
                           ("drop_response", p.p_drop_response), ("duplicate", p.p_duplicate)):
            if r < prob:
                return name
            r -= prob
        return "ok"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_request(reader)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            writer.close()
            return
        if request is None:
            writer.close()
            return
        self.stats.requests += 1
        fault = self._choose(self.stats.requests)
        if fault != "ok":
            self.stats.count(fault)
        try:
            await self._serve(fault, request, writer)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            try:
                writer.close()
            except (ConnectionError, OSError):
                pass

    async def _serve(self, fault: str, request: bytes, writer: asyncio.StreamWriter) -> None:
        if self.plan.max_delay:
            await asyncio.sleep(self._rng.uniform(0, self.plan.max_delay))
        if self.plan.bandwidth_bps:
            await asyncio.sleep(self.plan.rtt)  # TCP handshake
        if fault == "cut_request":
            cut = self._rng.randrange(0, max(1, len(request)))
            await self._upstream(request[:cut], want_response=False)
            self.stats.bytes_up += cut
            return
        if fault == "duplicate":
            await self._upstream(request, want_response=True)
            self.stats.bytes_up += len(request)
        await self._link(len(request))
        self.stats.bytes_up += len(request)
        response = await self._upstream(request, want_response=True)
        if fault == "drop_response":
            return
        if fault == "cut_response":
            response = response[: self._rng.randrange(0, max(1, len(response)))]
        await self._link(len(response))
        self.stats.bytes_down += len(response)
        writer.write(response)
        await writer.drain()

    async def _upstream(self, request: bytes, *, want_response: bool) -> bytes:
        r, w = await asyncio.open_connection(*self.upstream)
        try:
            w.write(request)
            await w.drain()
            if want_response and self.on_forwarded is not None:
                self.on_forwarded(self.stats.requests)
            if not want_response:
                return b""
            return await r.read()  # Connection: close -> everything up to EOF
        finally:
            w.close()

    async def _link(self, nbytes: int) -> None:
        """Time ``nbytes`` take one way over the emulated link (half an RTT of latency,
        serialisation at the bandwidth, one RTO per lost segment)."""
        p = self.plan
        if not p.bandwidth_bps:
            return
        delay = p.rtt / 2 + nbytes * 8 / p.bandwidth_bps
        segments = max(1, -(-nbytes // CHUNK))
        lost = sum(1 for _ in range(segments) if self._rng.random() < p.loss)
        delay += lost * max(0.2, p.rtt * 2)  # Linux min RTO 200 ms; ~2 RTT when RTT is long
        await asyncio.sleep(delay)


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    """Read one HTTP/1.1 request (headers + Content-Length body), forcing Connection: close."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise
    lines = head[:-4].split(b"\r\n")
    kept = [lines[0]]
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lname = name.strip().lower()
        if lname == b"content-length":
            length = int(value.strip())
        if lname in (b"connection", b"keep-alive"):
            continue
        if lname == b"transfer-encoding":
            raise ValueError("chunked requests are not supported by the fault proxy")
        kept.append(line)
    kept.append(b"Connection: close")
    body = await reader.readexactly(length) if length else b""
    return b"\r\n".join(kept) + b"\r\n\r\n" + body
