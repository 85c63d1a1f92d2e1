"""Guessing enrollment codes is throttled per client, with a global backstop that slows a
distributed guesser down but never locks out a station that types its code right."""
from __future__ import annotations

import threading

import httpx
import pytest

from petition_core.protocol import ProtocolError, decode_response
from sync_server.services.enrollment import create_code
from sync_server.services.ratelimit import FailureLimiter, client_key
from sync_server.store.db import make_engine, migrate_to_head

from .helpers import VILLAGE_A, VILLAGE_B, Station, count
from .procs import ServerProcess


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _refused(lim: FailureLimiter, client: str) -> int:
    with pytest.raises(ProtocolError) as err:
        lim.check(client)
    assert (err.value.code, err.value.status) == ("enroll_rate_limited", 429)
    return err.value.detail["retry_after"]


def test_limiter_counts_failures_per_client_and_forgets_after_the_window():
    clock = Clock()
    lim = FailureLimiter(per_client=3, overall=100, window=60, clock=clock)
    for _ in range(3):
        lim.check("a")
        lim.failed("a")
    assert 1 <= _refused(lim, "a") <= 61
    lim.check("b")                      # another client still may
    clock.now += 61
    lim.check("a")


def test_backstop_refuses_clients_that_failed_but_never_a_client_with_a_clean_record():
    clock = Clock()
    lim = FailureLimiter(per_client=3, overall=5, window=60, clock=clock)
    for client in ("a", "a", "b", "b", "c"):       # 5 wrong codes in all, 2 per client at most
        lim.failed(client)
        clock.now += 1
    # under attack: every client that failed in the window waits, even below its own limit …
    for client in ("a", "b", "c"):
        assert 1 <= _refused(lim, client) <= 61
    # … while a client that never failed still gets its attempt (the honest station)
    lim.check("honest")
    token = lim.begin("honest")
    lim.settle(token, failed=False)     # it enrolled: nothing counted against it
    lim.check("honest")
    # a newcomer that guesses wrong once joins the refused set
    lim.settle(lim.begin("newcomer"), failed=True)
    _refused(lim, "newcomer")
    clock.now += 61
    for client in ("a", "b", "c", "newcomer"):
        lim.check(client)


def test_attempts_reserve_their_failure_so_concurrent_guesses_cannot_pass_the_limit():
    lim = FailureLimiter(per_client=3, overall=100, window=60, clock=Clock())
    tokens = [lim.begin("a") for _ in range(3)]   # three attempts in flight, none judged yet
    _refused(lim, "a")                            # a fourth has to wait
    for t in tokens[:2]:
        lim.settle(t, failed=False)               # two turned out not to be guesses
    lim.check("a")
    lim.settle(tokens[2], failed=True)


def test_client_records_are_bounded_and_ipv6_counts_per_64():
    lim = FailureLimiter(per_client=3, overall=10**9, window=60, max_clients=100, clock=Clock())
    for i in range(1000):
        lim.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(lim._by_client) == 100
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9") \
        == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:10.1.2.3") == client_key("10.1.2.3") == "10.1.2.3"
    assert client_key(None) == "?"


def test_wrong_codes_from_one_client_are_refused_429_then_even_a_right_one_waits(server):
    client, engine = server
    for _ in range(10):
        r = Station(VILLAGE_A).enroll(client, "AAAA-BBBB")
        assert r.status_code == 403
    good = create_code(engine, division=VILLAGE_B)
    r = Station(VILLAGE_B).enroll(client, good)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    body = decode_response(r.content)
    assert body["error"] == "enroll_rate_limited" and "ten minutes" in body["message"]
    assert count(engine, "stations") == 0
    # the code was not consumed: once the window has passed it still works
    client.app.state.ctx.enroll_limiter._clock = lambda: 10**9
    assert Station(VILLAGE_B).enroll(client, good).status_code == 200


def test_malformed_enrollments_are_not_counted_as_guesses(server):
    client, _engine = server
    st = Station(VILLAGE_A)
    for _ in range(15):   # refused for their form (signature), not for a wrong code
        body = b"\x28\xb5\x2f\xfd" + b"junk"
        r = client.post("/v1/enroll", content=body,
                        headers=st.headers("POST", "/v1/enroll", b"other", counter=0))
        assert r.status_code in (400, 401)
    assert not client.app.state.ctx.enroll_limiter._all


def test_a_hundred_wrong_codes_from_ten_addresses_do_not_lock_out_an_honest_station(
        db_url, tmp_path):
    """Issue 7 A5: 100 failed enrollments from anywhere locked every enrollment in the
    county.  Ten attacking addresses (127.0.0.2–11) guess ten codes each against a real
    server process; a station on another address then enrolls with its right code, while
    the attackers are refused."""
    engine = make_engine(db_url)
    migrate_to_head(engine)
    srv = ServerProcess(db_url, tmp_path / "blobs")

    def client_from(addr: str) -> httpx.Client:
        return httpx.Client(base_url=srv.base, timeout=20,
                            transport=httpx.HTTPTransport(local_address=addr))

    statuses: list[int] = []

    def attack(addr: str) -> None:
        with client_from(addr) as c:
            for _ in range(10):
                statuses.append(Station(VILLAGE_A).enroll(c, "AAAA-BBBB").status_code)

    try:
        threads = [threading.Thread(target=attack, args=(f"127.0.0.{i}",)) for i in range(2, 12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses.count(403) == 100          # each a wrong code, none throttled yet
        with client_from("127.0.0.2") as c:        # an attacker is refused now
            r = Station(VILLAGE_A).enroll(c, "AAAA-BBBC")
            assert (r.status_code, decode_response(r.content)["error"]) == \
                (429, "enroll_rate_limited")
        good = create_code(engine, division=VILLAGE_B)
        with client_from("127.0.0.50") as c:       # the honest station is not
            r = Station(VILLAGE_B).enroll(c, good)
            assert r.status_code == 200, r.content
        assert count(engine, "stations") == 1
    finally:
        srv.stop()
        engine.dispose()
