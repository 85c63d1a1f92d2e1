"""Blob uploads belong to the station sending them until complete and verified, and the
quota counts what a station stores whether or not an event names it (issue 7 A5)."""
from __future__ import annotations

import hashlib
import os

from alembic import command
from sqlalchemy import insert, select, update

from sync_server.services import blobs as blob_store
from sync_server.store.db import alembic_config, make_engine
from sync_server.store.models import blob_uploads, stations

from .helpers import VILLAGE_A, VILLAGE_B, Station, count, enrolled


def _put(client, st, sha, data, start, total):  # type: ignore[no-untyped-def]
    path = f"/v1/blobs/{sha}"
    headers = st.headers("PUT", path, data)
    headers["Content-Range"] = f"bytes {start}-{start + len(data) - 1}/{total}"
    headers.pop("Content-Encoding")
    return client.put(path, content=data, headers=headers)


def _head(client, st, sha):  # type: ignore[no-untyped-def]
    path = f"/v1/blobs/{sha}"
    return client.head(path, headers=st.headers("HEAD", path, b""))


def _upload(client, st, data: bytes, chunk: int = 100_000):  # type: ignore[no-untyped-def]
    sha = hashlib.sha256(data).hexdigest()
    for start in range(0, len(data), chunk):
        r = _put(client, st, sha, data[start:start + chunk], start, len(data))
        assert r.status_code == 200, r.text
    return r


def test_a_squatted_total_does_not_block_the_honest_upload(server):
    """Another station that knows the sha (an event it pulled names it) PUTs its first
    bytes with a made-up total: the honest station used to get 416 for ever."""
    client, engine = server
    honest = enrolled(client, engine, VILLAGE_A)
    squatter = enrolled(client, engine, VILLAGE_B)
    data = os.urandom(250_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _put(client, squatter, sha, b"garbage", 0, 10**8).status_code == 200
    assert _head(client, honest, sha).status_code == 404        # the squat is not ours
    assert _upload(client, honest, data).json() == {"sha256": sha, "size": len(data),
                                                    "complete": True}
    assert (engine_blob_dir(client) / sha[:2] / sha).read_bytes() == data
    # the squatter comes back: it is not told the file is here now (it may not read it,
    # issue 7 A2c); its own squat goes on, in its own slot and against its own quota, and
    # the blob is untouched (stale uploads are dropped after 7 days)
    r = _put(client, squatter, sha, b"more", 7, 10**8)
    assert (r.status_code, r.json()["complete"], r.json()["size"]) == (200, False, 11)
    assert (engine_blob_dir(client) / sha[:2] / sha).read_bytes() == data
    assert count(engine, "blob_uploads") == 1
    assert count(engine, "blob_holders") == 0


def test_nobody_else_can_append_to_an_unfinished_upload(server):
    client, engine = server
    honest = enrolled(client, engine, VILLAGE_A)
    other = enrolled(client, engine, VILLAGE_B)
    data = os.urandom(200_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _put(client, honest, sha, data[:100_000], 0, len(data)).status_code == 200
    # the other station cannot continue (or spoil) it: it holds no bytes of its own
    r = _put(client, other, sha, os.urandom(100_000), 100_000, len(data))
    assert (r.status_code, r.json()["detail"]) == (416, {"stored": 0})
    assert _head(client, other, sha).status_code == 404
    assert _head(client, honest, sha).headers["X-Suqiu-Blob-Size"] == "100000"
    r = _put(client, honest, sha, data[100_000:], 100_000, len(data))
    assert r.json()["complete"] is True


def test_two_honest_stations_uploading_one_file_both_finish(server):
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _put(client, a, sha, data[:100_000], 0, len(data)).status_code == 200
    assert _put(client, b, sha, data[:100_000], 0, len(data)).status_code == 200
    assert _put(client, a, sha, data[100_000:], 100_000, len(data)).json()["complete"] is True
    # b (another village: it may not read a's file) is not told it is complete; it finishes
    # its own copy, whose sha256 verifies: b holds the file and may name and read it
    r = _put(client, b, sha, data[100_000:200_000], 100_000, len(data))
    assert r.json()["complete"] is False
    assert _put(client, b, sha, data[200_000:], 200_000, len(data)).json()["complete"] is True
    assert count(engine, "blob_uploads") == 0
    assert count(engine, "blob_holders") == 1
    assert not list(engine_blob_dir(client).rglob("*.part"))
    assert (engine_blob_dir(client) / sha[:2] / sha).read_bytes() == data
    assert _head(client, b, sha).status_code == 200


def test_naming_a_blob_does_not_free_the_daily_quota(server, monkeypatch):
    """Referencing a blob freed it from the (only) quota, so a key could store without
    limit by naming each upload in one cheap event."""
    client, engine = server
    monkeypatch.setattr(blob_store, "DAILY_QUOTA", 250_000, raising=False)
    village = enrolled(client, engine, VILLAGE_A)
    a, b = os.urandom(200_000), os.urandom(100_000)
    sha_a, sha_b = hashlib.sha256(a).hexdigest(), hashlib.sha256(b).hexdigest()
    assert _upload(client, village, a).status_code == 200
    village.sync(client, [village.event(data={"summary": "有照片",
                                              "attachments": [{"sha256": sha_a}]})],
                 cursor=None)
    r = _put(client, village, sha_b, b, 0, len(b))
    assert (r.status_code, r.json()["error"]) == (507, "blob_quota_exceeded")
    assert r.json()["detail"] == {"today": 200_000, "quota": 250_000, "window": 86400}
    assert blob_store.state(engine, sha_b, village.station_id) is None


def test_unfinished_uploads_count_and_stale_ones_are_dropped(server, monkeypatch):
    client, engine = server
    monkeypatch.setattr(blob_store, "UNREFERENCED_QUOTA", 250_000)
    village = enrolled(client, engine, VILLAGE_A)
    a, b = os.urandom(200_000), os.urandom(100_000)
    sha_a, sha_b = hashlib.sha256(a).hexdigest(), hashlib.sha256(b).hexdigest()
    assert _put(client, village, sha_a, a[:1000], 0, len(a)).status_code == 200
    r = _put(client, village, sha_b, b, 0, len(b))         # a's declared 200,000 count
    assert (r.status_code, r.json()["error"]) == (507, "blob_quota_exceeded")
    with engine.begin() as conn:   # a week without a byte: the upload was abandoned
        conn.execute(update(blob_uploads).values(updated_at="2020-01-01T00:00:00+00:00"))
    assert _put(client, village, sha_b, b, 0, len(b)).json()["complete"] is True
    assert _head(client, village, sha_a).status_code == 404
    assert not list(engine_blob_dir(client).rglob(f"{sha_a}*"))


def test_an_unfinished_upload_from_before_the_migration_resumes(db_url, tmp_path):
    """Migration 0006 hands unfinished rows of ``blobs`` to their uploader, part file and
    all; a part file that went missing resumes from what is really on disk."""
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from petition_core.protocol import public_key_b64
    from sync_server.app import create_app
    from sync_server.settings import Settings

    engine = make_engine(db_url)
    command.upgrade(alembic_config(engine), "0005")
    st = Station(VILLAGE_A)
    data, lost = os.urandom(300_000), os.urandom(50_000)
    sha, sha_lost = hashlib.sha256(data).hexdigest(), hashlib.sha256(lost).hexdigest()
    blobs_dir = tmp_path / "blobs"
    (blobs_dir / sha[:2]).mkdir(parents=True)
    (blobs_dir / sha[:2] / f"{sha}.part").write_bytes(data[:100_000])
    with engine.begin() as conn:
        conn.execute(insert(stations).values(
            station_id=st.station_id, station_code=VILLAGE_A, division=VILLAGE_A, level=5,
            name="站", public_key=public_key_b64(st.key), enrolled_at="2026-11-01",
            last_counter=0))
        for s, size, total in ((sha, 100_000, len(data)), (sha_lost, 20_000, len(lost))):
            conn.execute(text(
                "INSERT INTO blobs (sha256, size, total, complete, uploaded_by, created_at) "
                "VALUES (:s, :size, :total, :f, :by, '2026-11-01T00:00:00+00:00')"),
                {"s": s, "size": size, "total": total, "f": False, "by": st.station_id})
    app = create_app(Settings(db_url=db_url, blob_dir=blobs_dir))
    # protocol 2 (migration 0007): signatures name the server and the station's epoch
    st.server_id, st.epoch = app.state.ctx.ident.server_id, 1
    with TestClient(app) as client:
        with engine.connect() as conn:
            assert [r.part_name for r in conn.execute(
                select(blob_uploads).where(blob_uploads.c.sha256 == sha))] == [f"{sha}.part"]
        assert _head(client, st, sha).headers["X-Suqiu-Blob-Size"] == "100000"
        r = _put(client, st, sha, data[100_000:], 100_000, len(data))
        assert r.json()["complete"] is True
        assert (blobs_dir / sha[:2] / sha).read_bytes() == data
        assert _head(client, st, sha_lost).headers["X-Suqiu-Blob-Size"] == "0"
        assert _put(client, st, sha_lost, lost, 0, len(lost)).json()["complete"] is True
    app.state.ctx.engine.dispose()
    engine.dispose()


def engine_blob_dir(client):  # type: ignore[no-untyped-def]
    return client.app.state.ctx.settings.blob_dir
