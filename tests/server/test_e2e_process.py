"""The real server process (``suqiu-server serve``) on 127.0.0.1: a full sync over the
network, and a SIGKILL in the middle of a merge followed by a restart and a retry."""
from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import select

from petition_core.protocol import decode_response
from sync_server.services.enrollment import create_code
from sync_server.store.db import make_engine, migrate_to_head
from sync_server.store.models import events

from .helpers import TOWNSHIP, VILLAGE_A, Station, counts
from .procs import ServerProcess


@pytest.fixture
def engine(db_url):  # type: ignore[no-untyped-def]
    eng = make_engine(db_url)
    migrate_to_head(eng)
    yield eng
    eng.dispose()


def test_real_process_enroll_push_pull_with_requests_style_client(db_url, engine, tmp_path):
    srv = ServerProcess(db_url, tmp_path / "blobs")
    try:
        with httpx.Client(base_url=srv.base, timeout=10) as client:
            village, town = Station(VILLAGE_A), Station(TOWNSHIP)
            for st in (village, town):
                code = create_code(engine, division=st.division)
                assert st.enroll(client, code).status_code == 200
            evs = village.events(50)
            r = village.sync(client, evs)
            assert r.status_code == 200
            body = decode_response(r.content)
            assert [a["status"] for a in body["acks"]] == ["applied"] * 50
            pulled = decode_response(town.sync(client).content)["pull"]["events"]
            assert [e["event_id"] for e in pulled] == [e.event_id for e in evs]
            # a refusal over the real network keeps its code
            bad = client.post("/v1/sync", content=b"x", headers={"X-Suqiu-Protocol": "9"})
            assert bad.status_code == 426
            assert decode_response(bad.content)["error"] == "protocol_unsupported"
    finally:
        srv.stop()


def test_sigkill_during_merge_then_restart_and_retry(db_url, engine, tmp_path):
    village = Station(VILLAGE_A)
    code = create_code(engine, division=VILLAGE_A)
    srv = ServerProcess(db_url, tmp_path / "blobs", env={"SUQIU_SERVER_FAULT_MERGE_DELAY": "30"})
    result: dict[str, object] = {}
    try:
        with httpx.Client(base_url=srv.base, timeout=60) as client:
            assert village.enroll(client, code).status_code == 200
            evs = village.events(300)   # made once the server assigned the station id
            before = counts(engine)

            def push() -> None:
                try:
                    result["resp"] = village.sync(client, evs, cursor=None)
                except httpx.HTTPError as exc:
                    result["error"] = exc

            t = threading.Thread(target=push)
            t.start()
            srv.wait_for_log("fault injection")  # rows inserted, transaction still open
            srv.kill()
            t.join(10)
    finally:
        srv.kill()
    assert "error" in result and "resp" not in result  # the station never got acks
    assert counts(engine) == before  # nothing half-written survived the kill

    srv = ServerProcess(db_url, tmp_path / "blobs")
    try:
        with httpx.Client(base_url=srv.base, timeout=60) as client:
            r = village.sync(client, evs, cursor=None)  # the station retries the same batch
            assert [a["status"] for a in decode_response(r.content)["acks"]] == ["applied"] * 300
            r = village.sync(client, evs, cursor=None)  # and a cut after commit is harmless
            assert {a["status"] for a in decode_response(r.content)["acks"]} == {"duplicate"}
    finally:
        srv.stop()
    with engine.connect() as conn:
        seqs = [r.station_seq for r in conn.execute(
            select(events.c.station_seq).order_by(events.c.server_pos))]
    assert seqs == list(range(1, 301))
