"""Content-addressed attachment blobs with resumable upload (docs/PROTOCOL.md).

Files live under ``blob_dir/ab/abcdef…``; an unfinished upload is ``….part``.  The DB row
says how many bytes are stored, so a cut upload resumes at exactly that offset; the
sha256 is verified once the last byte arrives and a mismatch discards the upload.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, exists, func, insert, select, update

from petition_core.protocol import MAX_BLOB_BYTES, ProtocolError, division_prefix

from ..store.models import blob_refs, blobs, case_routes
from . import utcnow

log = logging.getLogger(__name__)

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


@dataclass(frozen=True)
class BlobState:
    sha256: str
    size: int
    total: int
    complete: bool


def check_sha(sha: str) -> str:
    if not SHA_RE.match(sha):
        raise ProtocolError("blob_not_found", 404, "sha256 must be 64 lowercase hex digits")
    return sha


def _path(root: Path, sha: str, part: bool = False) -> Path:
    return root / sha[:2] / (sha + (".part" if part else ""))


def state(engine: Engine, sha: str) -> BlobState | None:
    with engine.connect() as conn:
        r = conn.execute(select(blobs).where(blobs.c.sha256 == check_sha(sha))).first()
    return BlobState(r.sha256, r.size, r.total, bool(r.complete)) if r else None


def parse_content_range(value: str | None, body_len: int) -> tuple[int, int]:
    """``bytes start-end/total`` → (start, total); the body must be exactly end-start+1."""
    m = RANGE_RE.match(value or "")
    if not m:
        raise ProtocolError("blob_range_invalid", 416, "Content-Range required")
    start, end, total = (int(x) for x in m.groups())
    if end < start or end >= total or end - start + 1 != body_len or total > MAX_BLOB_BYTES:
        raise ProtocolError("blob_range_invalid", 416, "Content-Range does not match body")
    return start, total


# Bytes of attachments one station may hold here that no event names yet.  A station
# uploads a batch's attachments just before pushing the events that name them, so this is
# transient and small in honest use; it stops one enrolled (or stolen) key from filling
# the county's disk with blobs nothing refers to.
UNREFERENCED_QUOTA = 2 * 1024 * 1024 * 1024
DISK_RESERVE = 1024 * 1024 * 1024   # never fill the server's disk past this much free


def _check_room(conn, root: Path, station_id: str, sha: str, total: int) -> None:  # type: ignore[no-untyped-def]
    """A new upload must fit the station's quota of unreferenced blobs and the disk."""
    unreferenced = conn.execute(
        select(func.coalesce(func.sum(blobs.c.total), 0))
        .where(blobs.c.uploaded_by == station_id, blobs.c.sha256 != sha,
               ~exists().where(blob_refs.c.sha256 == blobs.c.sha256))).scalar() or 0
    if unreferenced + total > UNREFERENCED_QUOTA:
        raise ProtocolError("blob_quota_exceeded", 507,
                            {"unreferenced": int(unreferenced), "quota": UNREFERENCED_QUOTA})
    root.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(root).free - total < DISK_RESERVE:
        log.error("blob upload refused: the blob folder's disk is nearly full")
        raise ProtocolError("server_disk_full", 507)


def put_chunk(engine: Engine, root: Path, *, sha: str, station_id: str,
              content_range: str | None, body: bytes) -> BlobState:
    check_sha(sha)
    start, total = parse_content_range(content_range, len(body))
    mismatch = False
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        r = conn.execute(select(blobs).where(blobs.c.sha256 == sha).with_for_update()).first()
        if r is not None and r.complete:
            return BlobState(sha, r.size, r.total, True)  # idempotent re-upload
        stored = r.size if r is not None else 0
        if (r is not None and r.total != total) or start != stored:
            raise ProtocolError("blob_range_invalid", 416, {"stored": stored})
        if r is None:
            _check_room(conn, root, station_id, sha, total)
        part = _path(root, sha, part=True)
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "r+b" if part.exists() else "wb") as f:
            f.truncate(stored)  # drop bytes of a write whose DB row never committed
            f.seek(stored)
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        size = stored + len(body)
        complete = size == total
        if complete:
            h = hashlib.sha256()
            with open(part, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            mismatch = h.hexdigest() != sha
        if mismatch:
            part.unlink(missing_ok=True)
            conn.execute(delete(blobs).where(blobs.c.sha256 == sha))
        else:
            if complete:
                os.replace(part, _path(root, sha))
            if r is None:
                conn.execute(insert(blobs).values(
                    sha256=sha, size=size, total=total, complete=complete,
                    uploaded_by=station_id, created_at=utcnow()))
            else:
                conn.execute(update(blobs).where(blobs.c.sha256 == sha)
                             .values(size=size, complete=complete))
    if mismatch:
        log.warning("blob upload from %s failed its checksum", station_id)
        raise ProtocolError("blob_hash_mismatch", 422)
    return BlobState(sha, size, total, complete)


def may_read(engine: Engine, *, sha: str, station_id: str, division: str) -> bool:
    """The uploader, or any station whose jurisdiction holds a case referencing the blob."""
    prefix = division_prefix(division)
    lo, hi = prefix.ljust(12, "0"), prefix.ljust(12, "9")
    with engine.connect() as conn:
        up = conn.execute(select(blobs.c.uploaded_by).where(blobs.c.sha256 == sha)).scalar()
        if up == station_id:
            return True
        q = select(exists().where(
            blob_refs.c.sha256 == sha,
            case_routes.c.case_id == blob_refs.c.case_id,
            case_routes.c.division.between(lo, hi),
        ))
        return bool(conn.execute(q).scalar())


def open_complete(engine: Engine, root: Path, sha: str) -> tuple[Path, int]:
    st = state(engine, sha)
    if st is None or not st.complete:
        raise ProtocolError("blob_not_found", 404)
    return _path(root, sha), st.size
