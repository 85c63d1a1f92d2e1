"""A poor rural line between two network namespaces, for real TCP: what ``tc qdisc … netem
delay 250ms loss 2% rate 64kbit`` on a veth pair would give, done in user space.

Why user space: this kernel has network namespaces, veth and TUN, but no ``sch_netem``
(``tc qdisc add … netem`` answers "Specified qdisc kind is unknown"), so the link is a
pair of TUN devices — one in a fresh namespace where the station runs, one in the
namespace of this process where the server listens — and a thread that carries every IP
packet from one to the other the way netem would: each packet is lost with probability
``loss`` (independently, as netem's plain ``loss``); the others queue behind each other
for the serialisation time ``len × 8 / rate`` and arrive ``delay`` later (a FIFO of at
most 1000 packets, netem's default limit).  Both ends run the kernel's own TCP (slow
start, SACK, RTO, retransmissions), which is the point of the exercise.

Needs root (CAP_NET_ADMIN) and ``ip``; :func:`available` says whether this machine allows
it.  Use as a context manager; ``run_in(cmd)`` runs a command inside the station's
namespace.
"""
from __future__ import annotations

import collections
import fcntl
import os
import random
import select
import shutil
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field

_TUNSETIFF = 0x400454CA
_IFF_TUN = 0x0001
_IFF_NO_PI = 0x1000
QUEUE_LIMIT = 1000


@dataclass
class Direction:
    packets: int = 0
    bytes: int = 0          # IP bytes delivered (headers included)
    lost: int = 0
    first: float | None = None
    last: float | None = None
    trace: list = field(default_factory=list, repr=False)   # (delivered at, bytes)
    _busy_until: float = field(default=0.0, repr=False)
    _queue: collections.deque = field(default_factory=collections.deque, repr=False)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def available() -> tuple[bool, str]:
    """(True, "") when namespaces and TUN devices can be made here; else (False, why)."""
    if os.geteuid() != 0:
        return False, "needs root (CAP_NET_ADMIN)"
    if not shutil.which("ip"):
        return False, "the ip command (iproute2) is missing"
    if not os.path.exists("/dev/net/tun"):
        return False, "no /dev/net/tun"
    name = f"sqprobe{os.getpid() % 100000}"
    try:
        _ip("netns", "add", name)
    except (subprocess.CalledProcessError, OSError) as exc:
        return False, f"ip netns add failed: {getattr(exc, 'stderr', b'')!r}"
    try:
        _ip("netns", "del", name)
    except subprocess.CalledProcessError:
        pass
    return True, ""


def _open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, _TUNSETIFF, struct.pack("16sH", name.encode(), _IFF_TUN | _IFF_NO_PI))
    return fd


class TunLink:
    """``with TunLink(rate_bps=64_000, delay=0.25, loss=0.02, seed=1) as link:`` — the
    server listens on ``link.server_ip`` (this namespace); ``link.run_in([...])`` runs a
    command in the station's namespace, whose address is ``link.station_ip``."""

    def __init__(self, *, rate_bps: float, delay: float, loss: float, seed: int = 0):
        self.rate, self.delay, self.loss = rate_bps, delay, loss
        self._rng = random.Random(seed)
        tag = os.getpid() % 100000
        self.netns = f"suqiu-link-{tag}"
        self._names = (f"sqst{tag}", f"sqsv{tag}")      # station side, server side
        net = 4 * (tag % 60)
        self.station_ip, self.server_ip = f"10.231.{net // 256}.{net % 256 + 1}", \
            f"10.231.{net // 256}.{net % 256 + 2}"
        self.up = Direction()     # station → server
        self.down = Direction()   # server → station
        self._fds: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- set-up -----------------------------------------------------------------------
    def __enter__(self) -> TunLink:
        st_name, sv_name = self._names
        _ip("netns", "add", self.netns)
        try:
            fd_st, fd_sv = _open_tun(st_name), _open_tun(sv_name)
            self._fds = (fd_st, fd_sv)
            _ip("link", "set", st_name, "netns", self.netns)
            _ip("-n", self.netns, "addr", "add", self.station_ip, "peer", self.server_ip,
                "dev", st_name)
            _ip("-n", self.netns, "link", "set", st_name, "up")
            _ip("-n", self.netns, "link", "set", "lo", "up")
            _ip("addr", "add", self.server_ip, "peer", self.station_ip, "dev", sv_name)
            _ip("link", "set", sv_name, "up")
        except BaseException:
            self.__exit__()
            raise
        self._thread = threading.Thread(target=self._run, name="tunlink", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._fds:
            for fd in self._fds:   # closing a non-persistent TUN device removes it
                os.close(fd)
            self._fds = None
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, check=False)

    def run_in(self, cmd: list[str], **kw) -> subprocess.CompletedProcess:  # noqa: ANN003
        """Run ``cmd`` in the station's namespace (its only route is this link)."""
        return subprocess.run(["ip", "netns", "exec", self.netns, *cmd], **kw)

    def reset_stats(self) -> None:
        self.up, self.down = Direction(), Direction()

    # ---- the link -----------------------------------------------------------------------
    def _accept(self, d: Direction, packet: bytes, now: float) -> None:
        if self._rng.random() < self.loss or len(d._queue) >= QUEUE_LIMIT:
            d.lost += 1
            return
        start = max(now, d._busy_until)
        d._busy_until = start + len(packet) * 8 / self.rate
        d._queue.append((d._busy_until + self.delay, packet))

    def _deliver(self, d: Direction, fd: int, now: float) -> None:
        while d._queue and d._queue[0][0] <= now:
            _, packet = d._queue.popleft()
            try:
                os.write(fd, packet)
            except OSError:
                continue
            d.packets += 1
            d.bytes += len(packet)
            d.first = d.first if d.first is not None else now
            d.last = now
            d.trace.append((now, len(packet)))

    def _run(self) -> None:
        assert self._fds is not None
        fd_st, fd_sv = self._fds
        while not self._stop.is_set():
            now = time.monotonic()
            due = [q[0][0] for q in (self.up._queue, self.down._queue) if q]
            timeout = max(0.0, min(due) - now) if due else 0.05
            ready, _, _ = select.select([fd_st, fd_sv], [], [], min(timeout, 0.05))
            now = time.monotonic()
            for fd in ready:
                while True:
                    try:
                        packet = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    except OSError:
                        return
                    self._accept(self.up if fd == fd_st else self.down, packet, now)
            self._deliver(self.up, fd_sv, now)
            self._deliver(self.down, fd_st, now)
