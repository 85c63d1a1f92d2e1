"""A township relays its villages' offline bundles to the county on its next sync.

Why files and not database rows: the bundle must reach the server *byte for byte* (the
village's signature covers it, PROTOCOL.md "Relays"), and the file is already on disk.
Queue: ``bundles_dir/relay/<sha256 of the file>.bundle`` — named by content, so importing
the same USB file twice queues it once.  After the server acknowledges every event of a
bundle the file moves to ``relay/done/``; a refused bundle moves to ``relay/refused/`` with
its reason beside it (kept for a person, never deleted).

``relay/receipts.json`` keeps, per village, the latest receipt the county signed for it
(how far the county holds its events, which it refused): the township hands it on in the
village's return bundle, and only that signature lets the village empty its outbox — the
township's own word on it counts for nothing (docs/decisions/0004-trust-model.md).
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
            # yet) reach the village through the county's receipt (save_receipts)
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


def _receipts_file(paths: AppPaths) -> Path:
    return relay_dir(paths) / "receipts.json"


def receipts(paths: AppPaths) -> dict[str, dict]:
    """station_id → the latest signed receipt the county sent for that village."""
    f = _receipts_file(paths)
    if not f.exists():
        return {}
    try:
        data = json.loads(f.read_text("utf-8"))
    except ValueError:
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} \
        if isinstance(data, dict) else {}


def _receipt_key(signed: dict) -> tuple[int, str]:
    r = signed.get("receipt") if isinstance(signed, dict) else None
    if not isinstance(r, dict):
        return (-1, "")
    seq = r.get("acked_to_seq")
    return (seq if isinstance(seq, int) else -1, str(r.get("issued", "")))


def save_receipts(paths: AppPaths, signed: list[dict]) -> None:
    """Keep the newest receipt per village (the furthest ``acked_to_seq``, then the
    latest).  Not checked here: the village checks the county's signature itself."""
    data = receipts(paths)
    changed = False
    for item in signed:
        r = item.get("receipt") if isinstance(item, dict) else None
        sid = r.get("station_id") if isinstance(r, dict) else None
        if not isinstance(sid, str) or not sid:
            continue
        if sid not in data or _receipt_key(item) >= _receipt_key(data[sid]):
            data[sid] = item
            changed = True
    if changed:
        d = relay_dir(paths)
        d.mkdir(parents=True, exist_ok=True)
        f = _receipts_file(paths)
        tmp = f.with_name(f.name + ".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, f)


def refused_bundles(paths: AppPaths) -> list[tuple[str, str]]:
    """(file name, reason code) of bundles the server refused, for the sync page."""
    d = relay_dir(paths) / "refused"
    if not d.is_dir():
        return []
    return [(p.name, (d / (p.name + ".reason")).read_text("ascii").strip()
             if (d / (p.name + ".reason")).exists() else "")
            for p in sorted(d.glob("*.bundle"))]
