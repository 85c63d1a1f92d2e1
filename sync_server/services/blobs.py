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

from ..store.models import blob_holders, blob_refs, blobs, case_routes
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
              content_range: str | None, body: bytes, division: str | None = None) -> BlobState:
    """Store one chunk.  With ``division`` (a station's upload through the API), a
    complete blob the station may not read (somebody else's file) is answered exactly as
    if it were not here: the station sends its own copy, which is compared with the stored
    bytes (:func:`_prove_chunk`); nothing in the answer tells it the file existed."""
    check_sha(sha)
    start, total = parse_content_range(content_range, len(body))
    mismatch = False
    if division is not None and not may_read(engine, sha=sha, station_id=station_id,
                                             division=division):
        with engine.execution_options(sqlite_immediate=True).begin() as conn:
            r = conn.execute(select(blobs).where(blobs.c.sha256 == sha)).first()
        if r is not None and r.complete:
            return _prove_chunk(engine, root, r, station_id, start, total, body)
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


def _prove_chunk(engine: Engine, root: Path, r, station_id: str, start: int,  # type: ignore[no-untyped-def]
                 total: int, body: bytes) -> BlobState:
    """A station uploading a file another station uploaded first: compare its bytes with
    ours, remember how far it got (``blob_holders``), and answer as for a new upload — the
    stored size is its own progress, a mismatch shows only when its last byte arrives (as
    a wrong file would).  Every byte equal: it holds the file and may name and read it."""
    sha = r.sha256
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        h = conn.execute(select(blob_holders).where(
            blob_holders.c.sha256 == sha, blob_holders.c.station_id == station_id)
            .with_for_update()).first()
        if h is not None and h.complete:
            return BlobState(sha, h.size, h.total, True)
        stored = h.size if h is not None else 0
        if (h is not None and h.total != total) or start != stored:
            raise ProtocolError("blob_range_invalid", 416, {"stored": stored})
        same = (h is None or h.matches) and total == r.total
        if same:
            with open(_path(root, sha), "rb") as f:
                f.seek(start)
                same = f.read(len(body)) == body
        size = stored + len(body)
        complete = size == total
        values = {"size": size, "total": total, "matches": same, "complete": complete}
        if complete and not same:
            conn.execute(delete(blob_holders).where(blob_holders.c.sha256 == sha,
                                                    blob_holders.c.station_id == station_id))
        elif h is None:
            conn.execute(insert(blob_holders).values(sha256=sha, station_id=station_id,
                                                     **values))
        else:
            conn.execute(update(blob_holders).where(
                blob_holders.c.sha256 == sha, blob_holders.c.station_id == station_id)
                .values(**values))
    if complete and not same:
        log.warning("blob upload from %s failed its checksum", station_id)
        raise ProtocolError("blob_hash_mismatch", 422)
    return BlobState(sha, size, total, complete)


def state_for(engine: Engine, *, sha: str, station_id: str, division: str) -> BlobState | None:
    """What ``HEAD`` tells a station: the blob as stored when it may read it; else its own
    progress re-uploading the same file (``blob_holders``), or None — never whether
    somebody else's file is here."""
    st = state(engine, sha)
    if st is not None and may_read(engine, sha=sha, station_id=station_id, division=division):
        return st
    if st is None or not st.complete:
        # an unfinished upload is still one shared slot (its next chunk must continue it)
        # until uploads are keyed per station (issue 7 A5, branch t3-dos)
        return st
    with engine.connect() as conn:
        h = conn.execute(select(blob_holders).where(
            blob_holders.c.sha256 == sha, blob_holders.c.station_id == station_id)).first()
    return BlobState(sha, h.size, h.total, bool(h.complete)) if h is not None else None


def may_read(engine: Engine, *, sha: str, station_id: str, division: str) -> bool:
    """The uploader, a station that proved it holds the same file, or any station whose
    jurisdiction holds a case referencing the blob."""
    prefix = division_prefix(division)
    lo, hi = prefix.ljust(12, "0"), prefix.ljust(12, "9")
    with engine.connect() as conn:
        up = conn.execute(select(blobs.c.uploaded_by).where(blobs.c.sha256 == sha)).scalar()
        if up == station_id:
            return True
        if conn.execute(select(blob_holders.c.station_id).where(
                blob_holders.c.sha256 == sha, blob_holders.c.station_id == station_id,
                blob_holders.c.complete.is_(True))).first() is not None:
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
