"""``suqiu-server import-bundle FILE``: a village's USB file brought to the county.

The file is what ``suqiu-station export-bundle`` writes: the bare signed bundle, or a tar
container of the bundle plus the attachments its events name (petition_core
``protocol.container``).  The county is every station's relay: the bundle passes the same
checks as a relayed one (enrolled, not revoked, the village's own signature) and its
events merge with the same rules.  Then every attachment named by an event now stored
here and not yet complete in the blob store is copied in from the container — only when
its bytes hash to the name the signed event uses — through the same ``put_chunk`` a
station's upload goes through (offset check, fsync, sha256 on the last byte, room checks),
recorded as uploaded by the village.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from petition_core.events import Event, EventFormatError
from petition_core.protocol import ACK_APPLIED, ACK_DUPLICATE, Ack, ProtocolError
from petition_core.protocol.container import read_file_bundle, verified_blobs

from . import blobs as blob_store
from .bundle_groups import bundle_group
from .merge import blob_shas, merge_groups
from .voids import next_seq

log = logging.getLogger(__name__)

CHUNK = 4 * 1024 * 1024


@dataclass
class ImportReport:
    station_id: str
    acks: list[Ack]
    next_seq: int                  # the seq the county now expects from that station
    gap_from: int | None = None    # the first seq of the file it could not place yet
    blobs_stored: int = 0
    blobs_missing: list[str] = field(default_factory=list)  # named, not stored here
    blob_errors: list[str] = field(default_factory=list)    # why the store refused some


def import_file(engine: Engine, blob_root: Path, path: Path,
                repeat_key: bytes = b"") -> ImportReport:
    """Import a USB file; raises ProtocolError (``bundle_*``) when the bundle is refused
    as a whole (nothing is written then), OSError when the file cannot be read."""
    g = bundle_group(read_file_bundle(Path(path)), relay_division=None, engine=engine)
    if g.refused:
        raise ProtocolError(g.refused, 422)
    acks = merge_groups(engine, [g], received_from="import:" + g.origin,
                        repeat_key=repeat_key)
    stored = {a.event_id for a in acks if a.status in (ACK_APPLIED, ACK_DUPLICATE)}
    gaps = [_seq(d) for d, a in zip(g.items, acks, strict=False) if a.code == "event_gap"]
    rep = ImportReport(g.origin, acks, next_seq(engine, g.origin),
                       min((s for s in gaps if s), default=None))
    wanted = _wanted(engine, g.items, stored)
    if wanted:
        for sha, size, reader in verified_blobs(Path(path), wanted):
            try:
                ok = _store(engine, blob_root, sha, size, reader, g.origin)
            except ProtocolError as exc:   # e.g. server_disk_full: the events are in
                log.warning("attachment %s… not stored: %s", sha[:12], exc.code)
                rep.blob_errors.append(exc.code)
                continue
            if ok:
                rep.blobs_stored += 1
                wanted.discard(sha)
    rep.blobs_missing = sorted(wanted)
    log.info("imported a bundle of %s: %d events, %d attachments (%d missing)",
             g.origin, len(acks), rep.blobs_stored, len(rep.blobs_missing))
    return rep


def _seq(d: Any) -> int:
    q = d.get("station_seq") if isinstance(d, dict) else None
    return q if isinstance(q, int) and not isinstance(q, bool) and q > 0 else 0


def _wanted(engine: Engine, items: list[Any], stored: set[str]) -> set[str]:
    """Attachments named by the file's events now stored here, not yet complete here."""
    shas: set[str] = set()
    for d in items:
        if isinstance(d, dict) and d.get("event_id") in stored:
            try:
                shas.update(blob_shas(Event.from_wire(d)))
            except EventFormatError:
                continue
    out = set()
    for sha in shas:
        st = blob_store.state(engine, sha)
        if st is None or not st.complete:
            out.add(sha)
    return out


def _store(engine: Engine, root: Path, sha: str, size: int, reader: IO[bytes],
           station_id: str) -> bool:
    """Copy one verified blob into the store, resuming an upload already begun with the
    same size (a hash mismatch there means its stored part was bad: start over once)."""
    for attempt in range(2):
        st = blob_store.state(engine, sha)
        if st is not None and st.complete:
            return True
        if st is not None and st.total != size:
            log.warning("blob %s… begun here with another size; not imported", sha[:12])
            return False
        start = st.size if st is not None else 0
        if size == 0:
            return False   # nothing a range can carry; no event names an empty file
        reader.seek(start)
        try:
            while start < size:
                chunk = reader.read(min(CHUNK, size - start))
                if not chunk:
                    return False
                blob_store.put_chunk(
                    engine, root, sha=sha, station_id=station_id, body=chunk,
                    content_range=f"bytes {start}-{start + len(chunk) - 1}/{size}")
                start += len(chunk)
            return True
        except ProtocolError as exc:
            if exc.code != "blob_hash_mismatch" or attempt:
                raise
    return False
