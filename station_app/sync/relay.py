"""A township relays its villages' offline bundles to the county on its next sync.

Why files and not database rows: the bundle must reach the server *byte for byte* (the
village's signature covers it, PROTOCOL.md "Relays"), and the file is already on disk.
Queue: ``bundles_dir/relay/<sha256 of the file>.bundle`` — named by content, so importing
the same USB file twice queues it once.  After the server acknowledges every event of a
bundle the file moves to ``relay/done/``; a refused bundle moves to ``relay/refused/`` with
its reason beside it (kept for a person, never deleted).

``relay/acked.json`` remembers, per village, the highest station_seq the server confirmed;
the township puts it in the village's return bundle so the village can empty its outbox.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from petition_core import protocol as P
from petition_core.events import Event, EventFormatError

from ..paths import AppPaths

log = logging.getLogger(__name__)

BUDGET_BYTES = 2 * 1024 * 1024  # bundles per request (base64 grows them by a third)
_BLOB_TYPES = ("case.registered", "case.attachment_added")


@dataclass
class PendingBundle:
    path: Path
    data: bytes
    station_id: str
    to_seq: int
    event_ids: list[str]
    blob_events: list = field(default_factory=list)  # events naming attachments


def relay_dir(paths: AppPaths) -> Path:
    return paths.bundles_dir / "relay"


def enqueue(paths: AppPaths, data: bytes) -> bool:
    """Queue a verified bundle file for relay; False when it was queued (or sent) before."""
    d = relay_dir(paths)
    d.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest() + ".bundle"
    if (d / name).exists() or (d / "done" / name).exists():
        return False
    tmp = d / (name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, d / name)
    return True


def _queued(paths: AppPaths) -> list[Path]:
    d = relay_dir(paths)
    return sorted(d.glob("*.bundle"), key=lambda p: p.stat().st_mtime) if d.is_dir() else []


def next_bundles(paths: AppPaths) -> list[PendingBundle]:
    """The queued bundles that fit one request (at least one, whatever its size)."""
    out: list[PendingBundle] = []
    used = 0
    for path in _queued(paths):
        data = path.read_bytes()
        if out and used + len(data) > BUDGET_BYTES:
            break
        try:
            b = P.read_bundle(data)
        except P.ProtocolError as exc:  # damaged on disk since import: set aside
            _refuse(path, exc.code)
            continue
        ids = [str(e.get("event_id", "")) for e in b.events if isinstance(e, dict)]
        with_blobs = []
        for e in b.events:
            if isinstance(e, dict) and e.get("type") in _BLOB_TYPES:
                try:
                    with_blobs.append(Event.from_wire(e))
                except EventFormatError:
                    pass  # the server will say what is wrong with it
        out.append(PendingBundle(path, data, b.station_id, int(b.manifest.get("to_seq", 0)),
                                 ids, with_blobs))
        used += len(data)
    return out


def has_more(paths: AppPaths) -> bool:
    return bool(_queued(paths))


def settle(paths: AppPaths, bundles: list[PendingBundle], acks: list[P.Ack]) -> int:
    """Move fully acknowledged bundles to done/ and refused ones to refused/; returns the
    number relayed.  Bundles with unacknowledged events stay queued for the next sync."""
    status = {a.event_id: a for a in acks}
    relayed = 0
    for b in bundles:
        mine = [status.get(i) for i in b.event_ids]
        rejected = [a for a in mine if a is not None and a.status == P.ACK_REJECTED]
        whole = [a for a in rejected if (a.code or "").startswith("bundle_")]
        bundle_level = [a for a in acks if a.event_id == "" and a.status == P.ACK_REJECTED]
        if whole or (not b.event_ids and bundle_level):
            code = (whole or bundle_level)[0].code or "rejected"
            _refuse(b.path, code)
            continue
        if any(a.code == "event_gap" for a in rejected):
            # the server lacks an earlier event of that village (its earlier bundle went
            # another way or is still coming): keep this one queued for the next sync
            log.info("relayed bundle waits for an earlier one: %s", b.path.name)
            continue
        if all(a is not None for a in mine):
            # events refused one by one (e.g. a kind of record the county does not know
            # yet) travel back to the village in the return bundle, to be quarantined there
            _mark_refused(paths, b.station_id, {a.event_id: a.code or "rejected"
                                                for a in rejected})
            _mark_acked(paths, b.station_id, b.to_seq)
            done = b.path.parent / "done"
            done.mkdir(exist_ok=True)
            os.replace(b.path, done / b.path.name)
            relayed += 1
    return relayed


def _refuse(path: Path, code: str) -> None:
    refused = path.parent / "refused"
    refused.mkdir(exist_ok=True)
    os.replace(path, refused / path.name)
    (refused / (path.name + ".reason")).write_text(code, encoding="ascii")
    log.warning("relayed bundle refused by the server: %s", code)


def _acked_file(paths: AppPaths) -> Path:
    return relay_dir(paths) / "acked.json"


def acked_seqs(paths: AppPaths) -> dict[str, int]:
    """station_id → highest station_seq the server confirmed for that village."""
    f = _acked_file(paths)
    if not f.exists():
        return {}
    try:
        data = json.loads(f.read_text("utf-8"))
        return {str(k): int(v) for k, v in data.items()}
    except (ValueError, AttributeError):
        return {}


def _refused_file(paths: AppPaths) -> Path:
    return relay_dir(paths) / "refused_events.json"


def refused_events(paths: AppPaths) -> dict[str, dict[str, str]]:
    """station_id → {event_id: reason} the server refused from that village's bundles."""
    f = _refused_file(paths)
    if not f.exists():
        return {}
    try:
        data = json.loads(f.read_text("utf-8"))
        return {str(k): {str(e): str(c) for e, c in v.items()} for k, v in data.items()}
    except (ValueError, AttributeError):
        return {}


def _mark_refused(paths: AppPaths, station_id: str, refused: dict[str, str]) -> None:
    if not refused:
        return
    data = refused_events(paths)
    data.setdefault(station_id, {}).update(refused)
    f = _refused_file(paths)
    tmp = f.with_name(f.name + ".tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, f)


def _mark_acked(paths: AppPaths, station_id: str, to_seq: int) -> None:
    data = acked_seqs(paths)
    if to_seq > data.get(station_id, 0):
        data[station_id] = to_seq
        f = _acked_file(paths)
        tmp = f.with_name(f.name + ".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(tmp, f)


def refused_bundles(paths: AppPaths) -> list[tuple[str, str]]:
    """(file name, reason code) of bundles the server refused, for the sync page."""
    d = relay_dir(paths) / "refused"
    if not d.is_dir():
        return []
    return [(p.name, (d / (p.name + ".reason")).read_text("ascii").strip()
             if (d / (p.name + ".reason")).exists() else "")
            for p in sorted(d.glob("*.bundle"))]
