"""Relayed offline bundles, county import, and resumable attachment blobs."""
from __future__ import annotations

import hashlib
import os

from petition_core.events import EventType
from petition_core.protocol import BUNDLE_MAGIC, compress, write_bundle
from sync_server.cli import main as cli_main
from sync_server.services.merge import import_bundle

from .helpers import (
    OTHER_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    Station,
    count,
    counts,
    enrolled,
)


def _manifest(st: Station, first: int = 1, last: int = 1) -> dict:
    return {"station_id": st.station_id, "station_code": st.division, "from_seq": first,
            "to_seq": last, "created": "2026-11-28T10:00:00+08:00", "kind": "push",
            "for_station": None}


def _bundle(st: Station, evs) -> bytes:  # type: ignore[no-untyped-def]
    return write_bundle(st.key, _manifest(st, evs[0].station_seq, evs[-1].station_seq),
                        [e.to_wire() for e in evs])


def test_township_relays_a_village_bundle_idempotently(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    own = town.events(1)
    evs = village.events(3)
    data = _bundle(village, evs)
    r = town.sync(client, own, bundles=[data])
    acks = r.json()["acks"]
    assert [a["event_id"] for a in acks] == [own[0].event_id] + [e.event_id for e in evs]
    assert {a["status"] for a in acks} == {"applied"}
    r = town.sync(client, bundles=[data], cursor=None)
    assert [a["status"] for a in r.json()["acks"]] == ["duplicate"] * 3
    # the village, once online, sees its cases and pushes the same events as duplicates
    r = village.sync(client, evs)
    assert [a["status"] for a in r.json()["acks"]] == ["duplicate"] * 3
    assert count(engine, "events") == 4


def test_tampered_foreign_and_garbage_bundles_are_refused(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    other_town = enrolled(client, engine, OTHER_TOWNSHIP)
    evs = village.events(2)
    data = _bundle(village, evs)
    before = counts(engine)
    # flip one byte of the signature
    tampered = bytearray(data)
    tampered[len(BUNDLE_MAGIC) + 5] ^= 0x01
    r = town.sync(client, bundles=[bytes(tampered)], cursor=None)
    assert {(a["status"], a["code"]) for a in r.json()["acks"]} == {
        ("rejected", "bundle_bad_signature")}
    # a township that does not contain the village
    r = other_town.sync(client, bundles=[data], cursor=None)
    assert {a["code"] for a in r.json()["acks"]} == {"bundle_foreign"}
    # a bundle of a station not enrolled here
    stranger = Station(VILLAGE_A)
    r = town.sync(client, bundles=[_bundle(stranger, stranger.events(1))], cursor=None)
    assert r.json()["acks"][0]["code"] == "bundle_foreign"
    # a bundle that would decompress past the request cap (a zip bomb on a USB stick)
    bomb = write_bundle(village.key, {**_manifest(village), "pad": "0" * (40 << 20)}, [])
    assert len(bomb) < 100_000
    r = town.sync(client, bundles=[bomb], cursor=None)
    assert r.json()["acks"] == [{"event_id": "", "status": "rejected", "code": "bundle_too_large"}]
    # garbage
    r = town.sync(client, bundles=[BUNDLE_MAGIC + b"x" * 64 + compress(b"[1]")], cursor=None)
    assert r.json()["acks"] == [{"event_id": "", "status": "rejected", "code": "bundle_malformed"}]
    # a bundle signed by the village but carrying another station's event
    forged = _bundle(village, [Station(VILLAGE_A).event()])
    r = town.sync(client, bundles=[forged], cursor=None)
    assert r.json()["acks"][0]["code"] == "event_foreign_station"
    assert counts(engine)["events"] == before["events"]


def test_cli_import_bundle(server, tmp_path, capsys):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    evs = village.events(2)
    path = tmp_path / "b.suqiu"
    path.write_bytes(_bundle(village, evs))
    url = str(engine.url.render_as_string(hide_password=False))
    assert cli_main(["import-bundle", str(path), "--db", url]) == 0
    assert "Imported: 2 new" in capsys.readouterr().out
    assert cli_main(["--db", url, "import-bundle", str(path)]) == 0
    assert "2 already here" in capsys.readouterr().out
    bad = tmp_path / "bad.suqiu"
    bad.write_bytes(path.read_bytes()[:-3])
    assert cli_main(["import-bundle", str(bad), "--db", url]) == 1
    assert "bundle damaged [bundle_malformed]" in capsys.readouterr().err
    assert cli_main(["import-bundle", str(tmp_path / "missing.suqiu"), "--db", url]) == 1
    assert "Cannot read" in capsys.readouterr().err
    assert count(engine, "events") == 2
    assert len(import_bundle(engine, path.read_bytes())) == 2


def _put(client, st, sha, data, start, total):  # type: ignore[no-untyped-def]
    path = f"/v1/blobs/{sha}"
    headers = st.headers("PUT", path, data)
    headers["Content-Range"] = f"bytes {start}-{start + len(data) - 1}/{total}"
    headers.pop("Content-Encoding")
    return client.put(path, content=data, headers=headers)


def _signed(client, st, method, sha, **extra):  # type: ignore[no-untyped-def]
    path = f"/v1/blobs/{sha}"
    headers = {**st.headers(method, path, b""), **extra}
    return client.request(method, path, headers=headers)


def test_blob_resumable_upload_verify_and_jurisdiction(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    other = enrolled(client, engine, OTHER_TOWNSHIP)
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _signed(client, village, "HEAD", sha).status_code == 404
    assert _put(client, village, sha, data[:100_000], 0, len(data)).json()["complete"] is False
    head = _signed(client, village, "HEAD", sha)
    assert head.headers["X-Suqiu-Blob-Size"] == "100000"
    # a chunk at the wrong offset is refused with the stored size
    r = _put(client, village, sha, data[150_000:], 150_000, len(data))
    assert (r.status_code, r.json()["error"], r.json()["detail"]) == (416, "blob_range_invalid",
                                                                        {"stored": 100_000})
    r = _put(client, village, sha, data[100_000:], 100_000, len(data))
    assert r.json() == {"sha256": sha, "size": len(data), "complete": True}
    # nobody references it yet: the uploader may read, the township may not
    assert _signed(client, village, "GET", sha).content == data
    assert _signed(client, town, "GET", sha).json()["error"] == "forbidden_jurisdiction"
    ev = village.event(type=EventType.REGISTERED, data={
        "summary": "有照片", "attachments": [{"sha256": sha, "name": "a.jpg", "size": len(data)}]})
    village.sync(client, [ev], cursor=None)
    r = _signed(client, town, "GET", sha, Range="bytes=10-19")
    assert (r.status_code, r.content) == (206, data[10:20])
    assert _signed(client, other, "GET", sha).status_code == 403


def test_blob_checksum_mismatch_discards_the_upload(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    data = b"not what the name says"
    sha = hashlib.sha256(b"something else").hexdigest()
    r = _put(client, st, sha, data, 0, len(data))
    assert (r.status_code, r.json()["error"]) == (422, "blob_hash_mismatch")
    assert _signed(client, st, "HEAD", sha).status_code == 404
    assert count(engine, "blobs") == 0
    r = _put(client, st, "NOT-A-SHA", data, 0, len(data))
    assert r.status_code == 404


def test_unreferenced_uploads_are_capped_per_station_and_naming_them_frees_that_quota(
        server, monkeypatch):
    from sync_server.services import blobs as blob_store

    client, engine = server
    monkeypatch.setattr(blob_store, "UNREFERENCED_QUOTA", 250_000)
    village = enrolled(client, engine, VILLAGE_A)
    other = enrolled(client, engine, VILLAGE_B)
    a, b = os.urandom(200_000), os.urandom(100_000)
    sha_a, sha_b = hashlib.sha256(a).hexdigest(), hashlib.sha256(b).hexdigest()
    assert _put(client, village, sha_a, a, 0, len(a)).status_code == 200
    r = _put(client, village, sha_b, b, 0, len(b))
    assert (r.status_code, r.json()["error"]) == (507, "blob_quota_exceeded")
    assert blob_store.state(engine, sha_b, village.station_id) is None
    # the quota is per station
    assert _put(client, other, sha_b, b, 0, len(b)).status_code == 200
    # an event naming the first blob makes room here (the daily quota still counts it:
    # test_blob_squatting.py); re-sending a complete blob never counts
    ev = village.event(data={"summary": "有照片", "attachments": [
        {"sha256": sha_a, "name": "a.jpg", "size": len(a)}]})
    village.sync(client, [ev], cursor=None)
    c = os.urandom(100_000)
    sha_c = hashlib.sha256(c).hexdigest()
    assert _put(client, village, sha_c, c, 0, len(c)).status_code == 200
    assert _put(client, village, sha_a, a, 0, len(a)).json()["complete"] is True


def test_a_nearly_full_disk_refuses_new_uploads_with_its_own_code(server, monkeypatch):
    from sync_server.services import blobs as blob_store

    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    monkeypatch.setattr(blob_store, "DISK_RESERVE", 1 << 62)
    data = os.urandom(1000)
    sha = hashlib.sha256(data).hexdigest()
    r = _put(client, village, sha, data, 0, len(data))
    assert (r.status_code, r.json()["error"]) == (507, "server_disk_full")
    assert "disk nearly full" in r.json()["message"]
    assert blob_store.state(engine, sha, village.station_id) is None
