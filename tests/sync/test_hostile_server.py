"""Bad answers from the other end: the station must stay safe and finite.

A broken or hostile server (or a captive portal on a village 4G dongle) is simulated by a
tiny raw HTTP server that answers every request with fixed bytes.  These are inputs the
real server never sends, so they cannot come from it.
"""
from __future__ import annotations

import http.server
import threading
import tracemalloc

import pytest
import zstandard

from petition_core import protocol as P
from station_app.sync.engine import K_CURSOR, SyncEngine
from station_app.sync.transport import SyncError
from station_app.ui.messages import error_text  # the one table of words

from .stations import event_ids, fake_enrolled, make_station, pending, register_cases


class _Fixed(http.server.BaseHTTPRequestHandler):
    status = 200
    body = b""
    headers_out: dict[str, str] = {}

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(self.status)
        for k, v in self.headers_out.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@pytest.fixture
def fake(tmp_path):
    handler = type("H", (_Fixed,), {})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    st = make_station(tmp_path / "st", "530921108201")
    # as if enrolled at this address
    fake_enrolled(st.store, f"http://127.0.0.1:{srv.server_port}", st.division)
    yield handler, st
    srv.shutdown()
    st.close()


ZSTD = {"Content-Type": "application/json", "Content-Encoding": "zstd"}


def test_zip_bomb_answer_is_refused_quickly(fake):
    handler, st = fake
    handler.body = zstandard.ZstdCompressor(level=19).compress(b"\0" * (200 * 1024 * 1024))
    handler.headers_out = ZSTD
    register_cases(st, 2)
    tracemalloc.start()
    try:
        with pytest.raises(SyncError) as exc:
            SyncEngine(st.store, st.paths).sync_once()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert exc.value.code == "response_malformed"
    # the 200 MiB bomb is cut at the answer cap: it never becomes a 200 MiB bytes object
    assert peak < 64 * 1024 * 1024, peak
    assert pending(st) == 2


def test_answer_without_acks_does_not_loop_or_lose(fake):
    handler, st = fake
    handler.body = P.encode_body({"acks": [], "pull": {"events": [], "cursor": 0,
                                                       "more": False}})
    handler.headers_out = ZSTD
    register_cases(st, 3)
    with pytest.raises(SyncError) as exc:
        SyncEngine(st.store, st.paths, batch_size=3).sync_once()
    assert exc.value.code == "response_malformed"
    assert pending(st) == 3


def test_malformed_pulled_event_is_set_aside_and_the_sync_goes_on(fake):
    """Issue 7 A1: one record this version cannot read no longer refuses the whole answer
    (which kept the cursor where it was, so every later sync failed the same way): it is
    quarantined raw with its code, and the cursor moves on."""
    handler, st = fake
    bad = {"event_id": "not-a-uuid", "case_id": "x", "payload": {}}
    handler.body = P.encode_body({"acks": [], "pull": {"events": [bad], "cursor": 99,
                                                       "more": False}})
    handler.headers_out = ZSTD
    before = event_ids(st)
    report = SyncEngine(st.store, st.paths).sync_once()
    assert report.pulled_quarantined == 1
    from station_app.store import get_setting
    from station_app.store.pulled import list_pulled

    with st.store.read() as s:
        assert get_setting(s, K_CURSOR) == "99"
        assert [(r.code, r.event_id) for r in list_pulled(s)] == [("event_malformed",
                                                                   "not-a-uuid")]
    assert event_ids(st) == before


@pytest.mark.parametrize("status,body,code", [
    (502, b"<html>Bad Gateway</html>", "server_error"),
    (200, b"<html>please log in to the hotspot</html>", "response_malformed"),
    (426, P.encode_body({"error": "protocol_unsupported", "min": 2, "max": 2}),
     "protocol_unsupported"),
])
def test_error_pages_map_to_codes(fake, status, body, code):
    handler, st = fake
    handler.status, handler.body = status, body
    handler.headers_out = ZSTD if body.startswith(b"\x28\xb5") else {"Content-Type": "text/html"}
    register_cases(st, 1)
    with pytest.raises(SyncError) as exc:
        SyncEngine(st.store, st.paths).sync_once()
    assert exc.value.code == code
    assert error_text(exc.value.code) and not error_text(exc.value.code).isascii()
    assert pending(st) == 1


def _enroll_answer(ours: str, **over) -> dict:
    from petition_core.ids import uuid7

    return {"station_id": uuid7(), "station_no": 1, "division": ours, "level": 5,
            "epoch": 1, "next_seq": 1, "server_id": uuid7(),
            "server_key": P.public_key_b64(P.new_private_key()), "register": [],
            "register_cursor": 0, "protocol": 2, **over}


@pytest.mark.parametrize("over,code", [
    ({"division": "530921108299"}, "enroll_division_mismatch"),    # B9
    ({"server_key": "not a key"}, "enroll_answer_invalid"),
    ({"station_id": "upstream"}, "enroll_answer_invalid"),
    ({"epoch": 0}, "enroll_answer_invalid"),
    ({"unit": "530921108201.mz"}, "enroll_answer_invalid"),        # under a village
    ({"unit": "530921000000.mz"}, "enroll_answer_invalid"),        # not of our division
    ({"unit": ["x"]}, "enroll_answer_invalid"),
    ({"unit": "530921108202"}, "enroll_answer_invalid"),           # another village
])
def test_an_enrollment_answer_that_does_not_fit_is_refused_and_nothing_kept(
        tmp_path, over, code):
    """Issue 7 B9: the station compares the division the server granted with its own; a
    server answer that is not a proper grant is refused too.  Nothing is stored: the
    station stays unenrolled under its provisional id."""
    from station_app.store import get_setting
    from station_app.sync.engine import K_ENROLLED
    from station_app.sync.trust import load_trust

    handler = type("H", (_Fixed,), {})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    st = make_station(tmp_path / "st", "530921108201")
    try:
        ids = register_cases(st, 1)
        sid = st.station_id
        handler.body = P.encode_body(_enroll_answer(st.division, **over))
        handler.headers_out = ZSTD
        e = SyncEngine(st.store, st.paths, server_url=f"http://127.0.0.1:{srv.server_port}")
        with pytest.raises(SyncError) as exc:
            e.enroll("ABCD-EFGH")
        assert exc.value.code == code and not exc.value.retryable
        assert error_text(exc.value.code) and not error_text(exc.value.code).isascii()
        with st.store.read() as s:
            assert get_setting(s, K_ENROLLED) is None and load_trust(s) is None
        assert st.station_id == sid and not e.enrolled()
        assert set(ids) <= event_ids(st) and pending(st) == 1
    finally:
        srv.shutdown()
        st.close()


@pytest.mark.parametrize("status,code", [(200, "response_malformed"), (500, "server_error")])
def test_answer_nested_100000_deep_is_refused_not_a_crash(fake, status, code):
    """Issue 7 A5: the station parsed answers with json.loads, whose RecursionError on a
    100,000-deep array escaped the sync as an unexpected error."""
    handler, st = fake
    handler.status = status
    handler.body = P.compress(b"[" * 100_000 + b"]" * 100_000)
    handler.headers_out = ZSTD
    register_cases(st, 1)
    with pytest.raises(SyncError) as exc:
        SyncEngine(st.store, st.paths).sync_once()
    assert exc.value.code == code
    assert pending(st) == 1
