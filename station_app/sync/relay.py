"""A township relays its villages' offline bundles to the county on its next sync.

Why files and not database rows: the county must verify the village's signature, which
covers the bundle's canonical JSON body byte for byte (PROTOCOL.md "Relays"), and the file
is already on disk.  Queue: ``bundles_dir/relay/<sha256 of the file>.bundle`` — named by
content, so importing the same USB file twice queues it once.  The sync forwards each
queued bundle as its signature and its *uncompressed* signed body inside the request's one
zstd frame (``push.relayed``), so the village bundles compress together: they share most
of their words and keys.  Bundles are packed by the server's own limits: at most
``MAX_PUSH_RELAYED`` per request, and the engine checks the encoded request against the
size caps before sending (engine.py).

Retention: once the county has acknowledged every event of a bundle, the file is deleted
(nothing of a village's data stays on the township PC beyond need; the township keeps the
events themselves in its database, and the county's receipt keeps how far the county
confirmed).  A bundle refused as a whole moves to ``relay/refused/`` with its reason
beside it (kept for a person); one waiting for an earlier bundle of its village stays
queued.

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
import shutil
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from petition_core import protocol as P
from petition_core.events import Event, EventFormatError

from ..paths import AppPaths

log = logging.getLogger(__name__)

_BLOB_TYPES = ("case.registered", "case.attachment_added")
# Packing (the engine then checks the encoded request against the real caps): the files'
# own compressed sizes estimate the request's; bodies are what the server decompresses.
WIRE_BUDGET = P.MAX_COMPRESSED_BYTES // 2
RAW_BUDGET = P.MAX_DECOMPRESSED_BYTES // 2
TOO_LARGE = "bundle_too_large"


@dataclass
class PendingBundle:
    path: Path
    signature: bytes
    body: bytes            # the signed canonical JSON, forwarded as is
    station_id: str
    from_seq: int
    to_seq: int
    events: list[Any]      # the bundle's event dicts, to read the county's answer
    file_size: int = 0
    blob_events: list = field(default_factory=list)  # events naming attachments

    @property
    def event_ids(self) -> list[str]:
        return [str(e.get("event_id", "")) for e in self.events if isinstance(e, dict)]

    def wire(self) -> tuple[bytes, bytes]:
        return self.signature, self.body


def relay_dir(paths: AppPaths) -> Path:
    return paths.bundles_dir / "relay"


def enqueue(paths: AppPaths, data: bytes, station_id: str = "", to_seq: int = 0) -> bool:
    """Queue a verified bundle file for relay; False when it is queued already, or when
    the county has confirmed all of its village's events up to ``to_seq`` (the same USB
    file brought twice)."""
    d = relay_dir(paths)
    d.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest() + ".bundle"
    if (d / name).exists():
        return False
    if station_id and 0 < to_seq <= acked_seqs(paths).get(station_id, 0):
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


def next_bundles(paths: AppPaths, *, skip: Collection[Path] = (),
                 max_count: int = P.MAX_PUSH_RELAYED) -> list[PendingBundle]:
    """The queued bundles (oldest first, except ``skip``) for one request: at most
    ``max_count``, within the size budgets, and always at least one if any is queued."""
    out: list[PendingBundle] = []
    wire = raw = 0
    for path in _queued(paths):
        if path in skip:
            continue
        if len(out) >= max_count:
            break
        data = path.read_bytes()
        try:
            b = P.read_bundle(data)
        except P.ProtocolError as exc:  # damaged on disk since import: set aside
            _refuse(path, TOO_LARGE if exc.code == "body_too_large" else exc.code)
            continue
        if out and (wire + len(data) > WIRE_BUDGET or raw + len(b.body) > RAW_BUDGET):
            break
        with_blobs = []
        for e in b.events:
            if isinstance(e, dict) and e.get("type") in _BLOB_TYPES:
                try:
                    with_blobs.append(Event.from_wire(e))
                except EventFormatError:
                    pass  # the server will say what is wrong with it
        out.append(PendingBundle(path, b.signature, b.body, b.station_id,
                                 _int(b.manifest.get("from_seq")),
                                 _int(b.manifest.get("to_seq")), b.events, len(data),
                                 with_blobs))
        wire += len(data)
        raw += len(b.body)
    # a village's earlier bundle before its later one (two USB errands may arrive out of
    # order): the server merges them in request order
    return sorted(out, key=lambda b: (b.station_id, b.from_seq))


def _int(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


def has_more(paths: AppPaths, skip: Collection[Path] = ()) -> bool:
    return any(p not in skip for p in _queued(paths))


def set_aside(bundle: PendingBundle, code: str) -> None:
    """A bundle that cannot be relayed (e.g. too large for any request): kept for a
    person under ``relay/refused/`` with the reason."""
    _refuse(bundle.path, code)


def settle(paths: AppPaths, bundles: list[PendingBundle],
           results: list[P.RelayResult]) -> int:
    """Apply the county's answer for each bundle sent: delete fully acknowledged ones,
    move refused ones to refused/; returns the number relayed.  Bundles with
    unacknowledged events stay queued for the next sync."""
    _purge_done(paths)
    relayed = 0
    for b, res in zip(bundles, results, strict=True):
        if res.refused:
            _refuse(b.path, res.refused)
            _mark_contradicted(paths, b.station_id, b.from_seq or 1)
            continue
        status = res.status_of(b.events)
        mine = [status.get(i) for i in b.event_ids]
        rejected = [a for a in mine if a is not None and a.status == P.ACK_REJECTED]
        clash = [_int(e.get("station_seq")) for e in b.events if isinstance(e, dict)
                 and (a := status.get(str(e.get("event_id", "")))) is not None
                 and a.code in CONTRADICTED]
        if clash:
            _mark_contradicted(paths, b.station_id, min(q for q in clash if q) or 1)
        if any(a.code == "event_gap" for a in rejected):
            # the server lacks an earlier event of that village (its earlier bundle went
            # another way or is still coming): keep this one queued for the next sync
            log.info("relayed bundle waits for an earlier one: %s", b.path.name)
            continue
        if all(a is not None for a in mine):
            # events refused one by one (e.g. a kind of record the county does not know
            # yet) reach the village through the county's receipt (save_receipts, which
            # the engine calls before settling: the receipt outlives the file)
            b.path.unlink(missing_ok=True)   # the county holds it now
            relayed += 1
    return relayed


def _purge_done(paths: AppPaths) -> None:
    """Older versions kept relayed bundles in relay/done/ for ever: remove them."""
    done = relay_dir(paths) / "done"
    if done.is_dir():
        shutil.rmtree(done, ignore_errors=True)


def _refuse(path: Path, code: str) -> None:
    refused = path.parent / "refused"
    refused.mkdir(exist_ok=True)
    os.replace(path, refused / path.name)
    (refused / (path.name + ".reason")).write_text(code, encoding="ascii")
    log.warning("relayed bundle refused by the server: %s", code)


# the county holds another event in that place than the one the village's bundle carries
CONTRADICTED = frozenset({"seq_conflict", "event_id_conflict"})


def _contradicted_file(paths: AppPaths) -> Path:
    return relay_dir(paths) / "contradicted.json"


def contradicted(paths: AppPaths) -> dict[str, int]:
    """station_id → the lowest station_seq of that village where the county refused what
    this township holds (a bundle refused as a whole, or an event in whose place the county
    holds another).  ``pull.held`` never claims that village's events from there on, so
    the county's own records come down and the conflict shows instead of hiding."""
    f = _contradicted_file(paths)
    try:
        data = json.loads(f.read_text("utf-8")) if f.exists() else {}
        return {str(k): int(v) for k, v in data.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def _mark_contradicted(paths: AppPaths, station_id: str, seq: int) -> None:
    data = contradicted(paths)
    if station_id and seq < data.get(station_id, seq + 1):
        data[station_id] = seq
        f = _contradicted_file(paths)
        tmp = f.with_name(f.name + ".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(tmp, f)
        log.warning("county refused what this township holds of %s from seq %d: pull.held"
                    " no longer claims it", station_id, seq)


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


def acked_seqs(paths: AppPaths) -> dict[str, int]:
    """station_id → the highest station_seq the county confirmed for that village (its
    latest receipt's ``acked_to_seq``): a USB file brought again after its queued copy was
    relayed and deleted is not queued a second time."""
    out = {}
    for sid, signed in receipts(paths).items():
        seq = _receipt_key(signed)[0]
        if seq > 0:
            out[sid] = seq
    return out


def _receipt_key(signed: dict) -> tuple[int, str]:
    r = signed.get("receipt") if isinstance(signed, dict) else None
    if not isinstance(r, dict):
        return (-1, "")
    seq = r.get("acked_to_seq")
    return (seq if isinstance(seq, int) and not isinstance(seq, bool) else -1,
            str(r.get("issued", "")))


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
