"""Guessing enrollment codes is throttled: wrong codes are counted per client and overall."""
from __future__ import annotations

import pytest

from petition_core.protocol import ProtocolError, decode_response
from sync_server.services.enrollment import create_code
from sync_server.services.ratelimit import FailureLimiter

from .helpers import VILLAGE_A, VILLAGE_B, Station, count


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_counts_failures_per_client_and_overall_and_forgets_after_the_window():
    clock = Clock()
    lim = FailureLimiter(per_client=3, overall=5, window=60, clock=clock)
    for _ in range(3):
        lim.check("a")
        lim.failed("a")
    with pytest.raises(ProtocolError) as err:
        lim.check("a")
    assert (err.value.code, err.value.status) == ("enroll_rate_limited", 429)
    assert 1 <= err.value.detail["retry_after"] <= 61
    lim.check("b")                      # another client still may
    lim.failed("b")
    lim.failed("c")
    with pytest.raises(ProtocolError):  # 5 failures in all: everyone waits
        lim.check("d")
    clock.now += 61
    lim.check("a")
    lim.check("d")


def test_wrong_codes_from_one_client_are_refused_429_then_even_a_right_one_waits(server):
    client, engine = server
    for _ in range(10):
        r = Station(VILLAGE_A).enroll(client, "AAAA-BBBB")
        assert r.status_code == 403
    good = create_code(engine, division=VILLAGE_B)
    r = Station(VILLAGE_B).enroll(client, good)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    body = decode_response(r.content)
    assert body["error"] == "enroll_rate_limited" and "十分钟" in body["message"]
    assert count(engine, "stations") == 0
    # the code was not consumed: once the window has passed it still works
    client.app.state.ctx.enroll_limiter._clock = lambda: 10**9
    assert Station(VILLAGE_B).enroll(client, good).status_code == 200
