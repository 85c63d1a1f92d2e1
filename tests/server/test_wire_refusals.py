"""Every bad input on the wire is refused with its stable code, and NOTHING is written
(row counts of every table are compared before and after)."""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import zstandard
from sqlalchemy import update

from petition_core.protocol import (
    MAX_COMPRESSED_BYTES,
    MAX_PUSH_BUNDLES,
    MAX_PUSH_EVENTS,
    compress,
    encode_body,
)
from sync_server.services.enrollment import create_code
from sync_server.services.stations import revoke
from sync_server.store.models import enrollment_codes

from .helpers import VILLAGE_A, Station, counts, enrolled, ident


def _push_body(st: Station, n: int = 2) -> bytes:
    return encode_body({"push": {"events": [e.to_wire() for e in st.events(n)]},
                        "pull": {"cursor": 0, "limit": 10}})


def _refused(resp, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"] == code
    # the wire speaks codes: the message is an English line for logs, the station has words
    assert body["message"] and not any("\u4e00" <= c <= "\u9fff" for c in body["message"])


@pytest.mark.parametrize("version", [None, "0", "1", "3", "abc", "", b"\xb2"])
def test_unknown_protocol_version_is_426(server, version):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    before = counts(engine)
    body = _push_body(st)
    headers = st.headers("POST", "/v1/sync", body)
    if version is None:
        del headers["X-Suqiu-Protocol"]
    else:
        headers["X-Suqiu-Protocol"] = version
    r = client.post("/v1/sync", content=body, headers=headers)
    _refused(r, 426, "protocol_unsupported")
    assert (r.json()["min"], r.json()["max"], r.json()["message"]) == (
        2, 2, "protocol version not supported: upgrade the program")
    assert counts(engine) == before


def _signed_raw(client, st: Station, body: bytes, **extra):  # type: ignore[no-untyped-def]
    headers = {**st.headers("POST", "/v1/sync", body), **extra}
    return client.post("/v1/sync", content=body, headers=headers)


@pytest.mark.parametrize("case", ["bad_json", "truncated", "not_zstd", "no_encoding_header",
                                  "not_object", "bad_cursor", "bad_limit", "events_not_list",
                                  "bad_own_through", "bool_own_through", "huge_own_through"])
def test_malformed_bodies(server, case):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    before = counts(engine)
    good = _push_body(st)
    bodies = {
        "bad_json": (compress(b'{"push": {"events": [}'), 400, "body_malformed"),
        "truncated": (good[: len(good) // 2], 400, "body_bad_encoding"),
        "not_zstd": (b'{"push": {}}', 400, "body_bad_encoding"),
        "no_encoding_header": (good, 400, "body_bad_encoding"),
        "not_object": (encode_body([1, 2, 3]), 400, "body_malformed"),
        "bad_cursor": (encode_body({"pull": {"cursor": -1, "limit": 5}}), 400, "body_malformed"),
        "bad_limit": (encode_body({"pull": {"cursor": 0, "limit": "x"}}), 400, "body_malformed"),
        "events_not_list": (encode_body({"push": {"events": {"a": 1}}}), 400, "body_malformed"),
        "bad_own_through": (encode_body({"pull": {"cursor": 0, "own_through": -3}}), 400,
                            "body_malformed"),
        "bool_own_through": (encode_body({"pull": {"cursor": 0, "own_through": True}}), 400,
                             "body_malformed"),
        "huge_own_through": (encode_body({"pull": {"cursor": 0, "own_through": 2**64}}), 400,
                             "body_malformed"),
    }
    body, status, code = bodies[case]
    extra = {"Content-Encoding": "identity"} if case == "no_encoding_header" else {}
    _refused(_signed_raw(client, st, body, **extra), status, code)
    assert counts(engine) == before


def test_oversized_body_is_413_before_anything_else(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    before = counts(engine)
    body = os.urandom(MAX_COMPRESSED_BYTES + 1)
    _refused(_signed_raw(client, st, body), 413, "body_too_large")
    assert counts(engine) == before


def test_zip_bomb_is_stopped_at_the_decompression_cap(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    before = counts(engine)
    # 64 MiB of zeros compresses to a few KiB; no content size in the frame header
    cctx = zstandard.ZstdCompressor(level=19, write_content_size=False)
    bomb = cctx.compress(b"0" * (64 * 1024 * 1024))
    assert len(bomb) < 100_000
    _refused(_signed_raw(client, st, bomb), 413, "body_too_large")
    assert counts(engine) == before


def test_too_many_events_in_one_push(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    before = counts(engine)
    ev = st.event().to_wire()
    body = encode_body({"push": {"events": [ev] * (MAX_PUSH_EVENTS + 1)}, "pull": None})
    _refused(_signed_raw(client, st, body), 413, "body_too_large")
    body = encode_body({"push": {"bundles": ["AAAA"] * (MAX_PUSH_BUNDLES + 1)}, "pull": None})
    _refused(_signed_raw(client, st, body), 413, "body_too_large")
    assert counts(engine) == before


def test_wrong_signature(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    impostor = Station(VILLAGE_A, station_id=st.station_id, server_id=st.server_id,
                       epoch=st.epoch)  # same id, other key
    before = counts(engine)
    _refused(impostor.sync(client, impostor.events(2)), 401, "auth_bad_signature")
    # a body altered after signing
    body = _push_body(st)
    headers = st.headers("POST", "/v1/sync", body)
    r = client.post("/v1/sync", content=_push_body(st), headers=headers)
    _refused(r, 401, "auth_bad_signature")
    # signed for another path
    headers = st.headers("POST", "/v1/enroll", body)
    _refused(client.post("/v1/sync", content=body, headers=headers), 401, "auth_bad_signature")
    assert counts(engine) == before


def test_missing_auth_headers_and_unknown_station(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    before = counts(engine)
    body = _push_body(st)
    headers = st.headers("POST", "/v1/sync", body)
    del headers["X-Suqiu-Signature"]
    _refused(client.post("/v1/sync", content=body, headers=headers), 401, "auth_missing")
    headers = st.headers("POST", "/v1/sync", body)
    for bad in ("-3", b"\xb2", "1" * 30):  # b"\xb2" arrives as "²", which isdigit()
        headers["X-Suqiu-Counter"] = bad
        _refused(client.post("/v1/sync", content=body, headers=headers), 401, "auth_missing")
    stranger = Station(VILLAGE_A)
    _refused(stranger.sync(client, stranger.events(1)), 401, "auth_unknown_station")
    assert counts(engine) == before


def test_replayed_counter_is_refused_even_for_a_new_body(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    body = _push_body(st)
    headers = st.headers("POST", "/v1/sync", body)
    assert client.post("/v1/sync", content=body, headers=headers).status_code == 200
    before = counts(engine)
    _refused(client.post("/v1/sync", content=body, headers=headers), 409, "auth_replayed")
    body2 = _push_body(st)
    lower = st.headers("POST", "/v1/sync", body2, counter=st.counter - 1)
    _refused(client.post("/v1/sync", content=body2, headers=lower), 409, "auth_replayed")
    assert counts(engine) == before


def test_revoked_station_is_refused_and_nothing_written(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    revoke(engine, st.station_id, ident(client))
    before = counts(engine)
    _refused(st.sync(client, st.events(2)), 403, "auth_revoked")
    _refused(st.enroll(client, create_code(engine, division=VILLAGE_A), old_key=st.key), 403,
             "auth_revoked")
    after = counts(engine)
    assert after["events"] == before["events"] and after["stations"] == before["stations"]


def test_bad_expired_and_reused_enrollment_codes(server):
    client, engine = server
    before = counts(engine)
    _refused(Station(VILLAGE_A).enroll(client, "ABCD-EFGH"), 403, "enroll_code_invalid")
    code = create_code(engine, division=VILLAGE_A)
    with engine.begin() as conn:
        past = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
        conn.execute(update(enrollment_codes).values(expires_at=past))
    _refused(Station(VILLAGE_A).enroll(client, code), 403, "enroll_code_invalid")
    assert counts(engine)["stations"] == before["stations"]
    code = create_code(engine, division=VILLAGE_A)
    assert Station(VILLAGE_A).enroll(client, code.lower().replace("-", " ")).status_code == 200
    mid = counts(engine)
    _refused(Station(VILLAGE_A).enroll(client, code), 409, "enroll_code_used")
    assert counts(engine) == mid


def test_enroll_must_be_signed_by_the_enrolled_key(server):
    client, engine = server
    code = create_code(engine, division=VILLAGE_A)
    st, other = Station(VILLAGE_A), Station(VILLAGE_A)
    from petition_core.protocol import enroll_body

    body = encode_body(enroll_body(code=code, key=st.key, division=VILLAGE_A, name="x"))
    before = counts(engine)
    r = client.post("/v1/enroll", content=body,
                    headers=other.headers("POST", "/v1/enroll", body, counter=0))
    _refused(r, 401, "auth_bad_signature")
    bad = encode_body({"code": code, "public_key": "bm90IGEga2V5", "division": VILLAGE_A,
                       "name": "x"})
    r = client.post("/v1/enroll", content=bad, headers=st.headers("POST", "/v1/enroll", bad, 0))
    _refused(r, 400, "body_malformed")
    assert counts(engine) == before


def test_unknown_route_is_a_json_404(server):
    client, _ = server
    r = client.get("/v1/nothing", headers={"X-Suqiu-Protocol": "2"})
    _refused(r, 404, "not_found")


def test_api_docs_are_not_served_by_default(server):
    """/docs, /redoc and /openapi.json describe the whole API to anyone: off unless configured
    (issue 12 item 5); they answer like any unknown route."""
    client, _ = server
    for path in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
        _refused(client.get(path), 404, "not_found")


def test_api_docs_are_served_when_configured(tmp_path):
    from fastapi.testclient import TestClient

    from sync_server.app import create_app
    from sync_server.settings import Settings

    settings = Settings.from_env(db=f"sqlite:///{tmp_path / 'server.db'}",
                                 blob_dir=str(tmp_path / "blobs"),
                                 env={"SUQIU_SERVER_API_DOCS": "1"})
    assert settings.api_docs
    app = create_app(settings)
    with TestClient(app) as client:
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/v1/sync", "/v1/enroll", "/v1/blobs/{sha256}"} <= set(paths)
        assert client.get("/docs").status_code == 200
        assert client.get("/redoc").status_code == 200
    app.state.ctx.engine.dispose()


def test_api_docs_setting_comes_from_the_flag_or_the_environment(tmp_path):
    from sync_server.settings import Settings

    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert not Settings.from_env(db=db, env={}).api_docs
    assert not Settings.from_env(db=db, env={"SUQIU_SERVER_API_DOCS": "0"}).api_docs
    assert Settings.from_env(db=db, env={"SUQIU_SERVER_API_DOCS": "yes"}).api_docs
    assert Settings.from_env(db=db, api_docs=True, env={}).api_docs
