"""Cheap denial of service on the wire (issue 7 A5): the unauthenticated enrollment's
caps, JSON nested too deep, parsing off the event loop, and requests cut mid-body.
Effects are measured as sizes and counts (the server's peak memory, log lines), never as
timings."""
from __future__ import annotations

import asyncio
import base64
import socket
import time

import httpx
import pytest
import zstandard

from petition_core.protocol import (
    MAX_ENROLL_BYTES,
    MAX_ENROLL_DECOMPRESSED,
    PROTOCOL_VERSION,
    compress,
    decode_response,
    encode_body,
    enroll_body,
    write_bundle,
)
from sync_server.services.enrollment import create_code
from sync_server.store.db import make_engine, migrate_to_head

from .helpers import VILLAGE_A, VILLAGE_B, Station, counts, enrolled
from .procs import ServerProcess

# 3 KB of zstd that decompresses to 31 MiB of `[{},{},…]`: ≈ 10 million objects to parse
BOMB = zstandard.ZstdCompressor(level=19).compress(b"[" + b"{}," * ((31 << 20) // 3) + b"{}]")


def _peak_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def _enroll_headers(st: Station, body: bytes) -> dict[str, str]:
    return st.headers("POST", "/v1/enroll", body, counter=0)


@pytest.fixture
def live(db_url, tmp_path):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    migrate_to_head(engine)
    srv = ServerProcess(db_url, tmp_path / "blobs")
    try:
        with httpx.Client(base_url=srv.base, timeout=60) as client:
            yield srv, client, engine
    finally:
        srv.stop()
        engine.dispose()


def test_enrollment_bomb_stops_at_the_small_cap_and_the_server_stays_small(live):
    """3 KB of zstd to /v1/enroll made the server decompress 31 MiB and parse it into
    ≈ 860 MiB of objects.  Now it is refused at MAX_ENROLL_DECOMPRESSED and the server's
    peak memory grows by less than 64 MiB."""
    srv, client, engine = live
    assert len(BOMB) < 4096
    before = _peak_rss_kib(srv.proc.pid)
    st = Station(VILLAGE_A)
    r = client.post("/v1/enroll", content=BOMB, headers=_enroll_headers(st, BOMB))
    grown_mib = (_peak_rss_kib(srv.proc.pid) - before) / 1024
    assert grown_mib < 64, f"the server's peak memory grew by {grown_mib:.0f} MiB"
    body = decode_response(r.content)
    assert (r.status_code, body["error"], body["detail"]) == \
        (413, "body_too_large", {"limit": MAX_ENROLL_DECOMPRESSED})
    # a body over the compressed cap is refused from its Content-Length, unread
    big = b"\x28\xb5\x2f\xfd" + b"\0" * MAX_ENROLL_BYTES
    r = client.post("/v1/enroll", content=big, headers=_enroll_headers(st, big))
    assert (r.status_code, decode_response(r.content)["error"]) == (413, "body_too_large")
    # and an honest enrollment still works
    ok = st.enroll(client, create_code(engine, division=VILLAGE_A))
    assert ok.status_code == 200, ok.content


def test_enrollment_headers_are_judged_before_the_body(server):
    client, engine = server
    st = Station(VILLAGE_A)
    body = encode_body(enroll_body(code=create_code(engine, division=VILLAGE_A), key=st.key,
                                   division=VILLAGE_A, name="站"))
    before = counts(engine)
    for change, code in (({"X-Suqiu-Counter": "1"}, "auth_bad_signature"),
                         ({"X-Suqiu-Signature": "AAAA"}, "auth_bad_signature"),
                         ({"Content-Encoding": "gzip"}, "body_bad_encoding")):
        r = client.post("/v1/enroll", content=body, headers={**_enroll_headers(st, body),
                                                             **change})
        assert decode_response(r.content)["error"] == code
    assert counts(engine) == before


@pytest.mark.parametrize("path, depth", [("/v1/enroll", 4000), ("/v1/sync", 100_000)])
def test_json_nested_100000_deep_is_a_clean_400_without_a_traceback(live, path, depth):
    """(Enrollment's cap of 8 KiB leaves room for 4,000 levels: past Python's limit too.)"""
    srv, client, engine = live
    st = enrolled(client, engine, VILLAGE_A) if path == "/v1/sync" else Station(VILLAGE_B)
    body = compress(b"[" * depth + b"]" * depth)
    headers = _enroll_headers(st, body) if path == "/v1/enroll" else \
        st.headers("POST", path, body)
    r = client.post(path, content=body, headers=headers)
    err = decode_response(r.content)
    assert (r.status_code, err["error"], err["detail"]) == (400, "body_malformed",
                                                            "json_too_deep")
    client.get("/healthz")
    assert not [line for line in srv.log if "Traceback" in line or "ERROR" in line], srv.log


def test_json_nesting_just_past_the_cap_is_refused_just_under_is_read(server):
    """Depth is capped at MAX_JSON_DEPTH for the whole body, so nothing later (events'
    canonical JSON, voided items) meets a structure near the interpreter's limit."""
    from petition_core.protocol import MAX_JSON_DEPTH, ProtocolError, parse_json

    assert parse_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    with pytest.raises(ProtocolError) as exc:
        parse_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert (exc.value.code, exc.value.detail) == ("body_malformed", "json_too_deep")
    with pytest.raises(ProtocolError) as exc:
        parse_json(b'{"a":' * 900 + b"1" + b"}" * 900)   # parses, then measured too deep
    assert exc.value.detail == "json_too_deep"
    # an event payload nested 850 deep used to pass the parser, then crash canonical_json
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    body = compress(b'{"pull":null,"push":{"events":[' + _deep_event(st, 850) + b"]}}")
    r = client.post("/v1/sync", content=body, headers=st.headers("POST", "/v1/sync", body))
    assert (r.status_code, r.json()["detail"]) == (400, "json_too_deep")


def _deep_event(st: Station, depth: int) -> bytes:
    from petition_core.events import canonical_json

    envelope = canonical_json({k: v for k, v in st.event().to_wire().items() if k != "payload"})
    return envelope[:-1] + b',"payload":{"deep":' + b"[" * depth + b"]" * depth + b"}}"


def test_a_bundle_nested_too_deep_is_acked_malformed(server):
    from petition_core.protocol import new_private_key

    client, engine = server
    town = enrolled(client, engine, "530921108000")
    village = enrolled(client, engine, VILLAGE_A)
    manifest = {"station_id": village.station_id, "station_code": VILLAGE_A, "from_seq": 1,
                "to_seq": 1, "created": "2026-11-30T10:00:00+08:00", "kind": "push"}
    deep: list = []
    node = deep
    for _ in range(200):
        node.append([])
        node = node[0]
    bundle = write_bundle(new_private_key(), manifest, [{"x": deep}])
    r = town.sync(client, [], cursor=None, bundles=[bundle])
    acks = r.json()["acks"]
    assert r.status_code == 200 and [a["code"] for a in acks] == ["bundle_malformed"]


def test_decompression_and_parsing_run_off_the_event_loop(server, monkeypatch):
    """A 32 MiB body takes seconds to parse: on the event loop that stalled every other
    request meanwhile.  The real decoder runs; we only note where it ran."""
    from sync_server.api import wire

    client, engine = server
    where: list[bool] = []
    real = wire.decode_body

    def noting(*args, **kw):  # type: ignore[no-untyped-def]
        try:
            asyncio.get_running_loop()
            where.append(True)
        except RuntimeError:
            where.append(False)
        return real(*args, **kw)

    monkeypatch.setattr(wire, "decode_body", noting)
    st = enrolled(client, engine, VILLAGE_A)
    assert st.sync(client, st.events(2)).status_code == 200
    assert where == [False, False]           # the enrollment and the sync, both off-loop


def _cut_request(port: int, head: str, sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(head.encode("ascii") + sent)
        time.sleep(0.3)


def test_a_request_cut_mid_body_logs_one_line_and_no_traceback(live):
    srv, client, engine = live
    st = enrolled(client, engine, VILLAGE_A)
    sig = base64.b64encode(b"\0" * 64).decode()
    common = (f"Host: x\r\nX-Suqiu-Protocol: {PROTOCOL_VERSION}\r\nContent-Encoding: zstd\r\n"
              f"X-Suqiu-Station: {st.station_id}\r\nX-Suqiu-Signature: {sig}\r\n")
    _cut_request(srv.port, f"POST /v1/sync HTTP/1.1\r\n{common}X-Suqiu-Counter: 99\r\n"
                 "Content-Length: 100000\r\n\r\n", b"x" * 5000)
    _cut_request(srv.port, f"PUT /v1/blobs/{'a' * 64} HTTP/1.1\r\n{common}"
                 "X-Suqiu-Counter: 100\r\nContent-Range: bytes 0-99999/100000\r\n"
                 "Content-Length: 100000\r\n\r\n", b"x" * 5000)
    _cut_request(srv.port, f"POST /v1/enroll HTTP/1.1\r\n{common}X-Suqiu-Counter: 0\r\n"
                 "Content-Length: 5000\r\n\r\n", b"x" * 100)
    srv.wait_for_log("/v1/enroll after")
    client.get("/healthz")
    gone = [line for line in srv.log if "client went away" in line]
    assert len(gone) == 3, srv.log
    assert not [line for line in srv.log if "Traceback" in line or "ERROR" in line], srv.log
