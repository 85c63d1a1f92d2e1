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
events themselves in its database, and ``relay/acked.json`` keeps how far the county
confirmed).  A bundle refused as a whole moves to ``relay/refused/`` with its reason
beside it (kept for a person); one waiting for an earlier bundle of its village stays
queued.

``relay/acked.json`` remembers, per village, the highest station_seq the server confirmed;
the township puts it in the village's return bundle so the village can empty its outbox.
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
            continue
        status = res.status_of(b.events)
        mine = [status.get(i) for i in b.event_ids]
        rejected = [a for a in mine if a is not None and a.status == P.ACK_REJECTED]
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
