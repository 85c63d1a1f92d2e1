"""Content-addressed attachment blobs with resumable upload (docs/PROTOCOL.md).

A complete blob lives under ``blob_dir/ab/abcdef…`` with a row in ``blobs``.  An unfinished
upload belongs to the station sending it: a row per (sha256, station) in ``blob_uploads``
and its own part file ``blob_dir/ab/<sha>.<random>.part``.  The row says how many bytes
are stored, so a cut upload resumes at exactly that offset; the sha256 is verified once
the last byte arrives (a mismatch discards that station's upload) and only then does the
file become the blob.  Why per station: with one shared upload per sha, the first PUT
fixed the total and anyone could append to it, so a station that had merely *seen* a sha
(an event it pulled names it) could squat it and every honest upload got 416 for ever.

Quotas, per station, stop one enrolled (or stolen) key from filling the county's disk:
see ``_check_room``.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    delete,
    exists,
    func,
    select,
    update,
)

from petition_core.protocol import MAX_BLOB_BYTES, ProtocolError

from ..store.db import dialect_insert
from ..store.models import blob_holders, blob_refs, blob_uploads, blobs, case_units

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


def _path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha


def _part(root: Path, sha: str, part_name: str) -> Path:
    return root / sha[:2] / part_name


def _stored(root: Path, up: Row[Any]) -> int:
    """Bytes of an upload that are really on disk: the row's count, unless its part file
    lost some (deleted by hand, or a part file older than migration 0006 that is gone)."""
    part = _part(root, up.sha256, up.part_name)
    return min(up.size, part.stat().st_size) if part.exists() else 0


def state(engine: Engine, sha: str, station_id: str | None = None,
          root: Path | None = None) -> BlobState | None:
    """The complete blob, else ``station_id``'s own unfinished upload of it, else None."""
    check_sha(sha)
    with engine.connect() as conn:
        r = conn.execute(select(blobs).where(blobs.c.sha256 == sha)).first()
        if r is not None:
            return BlobState(r.sha256, r.size, r.total, True)
        if station_id is None:
            return None
        up = conn.execute(select(blob_uploads).where(
            blob_uploads.c.sha256 == sha, blob_uploads.c.station_id == station_id)).first()
    if up is None:
        return None
    size = _stored(root, up) if root is not None else up.size
    return BlobState(sha, size, up.total, False)


def parse_content_range(value: str | None, body_len: int) -> tuple[int, int]:
    """``bytes start-end/total`` → (start, total); the body must be exactly end-start+1."""
    m = RANGE_RE.match(value or "")
    if not m:
        raise ProtocolError("blob_range_invalid", 416, "Content-Range required")
    start, end, total = (int(x) for x in m.groups())
    if end < start or end >= total or end - start + 1 != body_len or total > MAX_BLOB_BYTES:
        raise ProtocolError("blob_range_invalid", 416, "Content-Range does not match body")
    return start, total


# Per station.  Unreferenced: bytes it may hold here that no event names yet (its open
# uploads included): a station uploads a batch's attachments just before pushing the
# events that name them, so this is transient and small in honest use.  Daily: bytes it
# may store in any 24 hours, named or not: naming a blob is one cheap event, so the
# unreferenced quota alone (which is how it was) let a key store without limit by naming
# each upload.  4 GiB a day is six days of a 64 kbit/s line; a township relaying its
# villages' backlog finishes the next day (507 is retried).
UNREFERENCED_QUOTA = 2 * 1024 * 1024 * 1024
DAILY_QUOTA = 4 * 1024 * 1024 * 1024
STALE_UPLOAD = timedelta(days=7)    # an upload untouched this long is dropped (and frees quota)
DISK_RESERVE = 1024 * 1024 * 1024   # never fill the server's disk past this much free


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _sum(conn: Connection, column: ColumnElement[Any], *where: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.coalesce(func.sum(column), 0)).where(*where)).scalar()
               or 0)


def _drop_stale(conn: Connection, root: Path, station_id: str, now: datetime) -> None:
    edge = _iso(now - STALE_UPLOAD)
    stale = conn.execute(select(blob_uploads).where(
        blob_uploads.c.station_id == station_id, blob_uploads.c.updated_at < edge)).all()
    for up in stale:
        _part(root, up.sha256, up.part_name).unlink(missing_ok=True)
        conn.execute(delete(blob_uploads).where(blob_uploads.c.sha256 == up.sha256,
                                                blob_uploads.c.station_id == station_id))


def _check_room(conn: Connection, root: Path, station_id: str, sha: str, total: int,
                now: datetime) -> None:
    """A new upload must fit the station's quotas and the disk."""
    _drop_stale(conn, root, station_id, now)
    mine = blobs.c.uploaded_by == station_id
    open_ = _sum(conn, blob_uploads.c.total, blob_uploads.c.station_id == station_id,
                 blob_uploads.c.sha256 != sha)
    unreferenced = _sum(conn, blobs.c.total, mine,
                        ~exists().where(blob_refs.c.sha256 == blobs.c.sha256))
    if open_ + unreferenced + total > UNREFERENCED_QUOTA:
        raise ProtocolError("blob_quota_exceeded", 507, {
            "unreferenced": open_ + unreferenced, "quota": UNREFERENCED_QUOTA})
    today = _sum(conn, blobs.c.total, mine, blobs.c.created_at > _iso(now - timedelta(days=1)))
    if open_ + today + total > DAILY_QUOTA:
        raise ProtocolError("blob_quota_exceeded", 507, {
            "today": open_ + today, "quota": DAILY_QUOTA, "window": 86400})
    root.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(root).free - total < DISK_RESERVE:
        log.error("blob upload refused: the blob folder's disk is nearly full")
        raise ProtocolError("server_disk_full", 507)


def put_chunk(engine: Engine, root: Path, *, sha: str, station_id: str,
              content_range: str | None, body: bytes, quota: bool = True,
              division: str | None = None) -> BlobState:
    """Store one chunk of ``station_id``'s upload of ``sha``.  ``quota=False`` only for
    this server's own downloads from the level above (upstream_blobs.py).

    With ``division`` (a station's upload through the API), a complete blob the station may
    not read (somebody else's file) is answered exactly as if it were not here: the station
    uploads its own copy into its own slot like any new upload, and when that copy's
    sha256 verifies it has proved it holds the file (``blob_holders``): it may then name
    and read it.  The stored blob is never touched, and nothing in any answer tells the
    station that the file existed before (issue 7 A2c)."""
    check_sha(sha)
    start, total = parse_content_range(content_range, len(body))
    now = datetime.now(UTC)
    mismatch = False
    foreign = division is not None and not may_read(engine, sha=sha, station_id=station_id,
                                                   division=division)
    mine = (blob_uploads.c.sha256 == sha, blob_uploads.c.station_id == station_id)
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        done = conn.execute(select(blobs).where(blobs.c.sha256 == sha)).first()
        up = conn.execute(select(blob_uploads).where(*mine).with_for_update()).first()
        if done is not None and not foreign:   # complete: this station's copy is not needed
            if up is not None:
                _part(root, sha, up.part_name).unlink(missing_ok=True)
                conn.execute(delete(blob_uploads).where(*mine))
            return BlobState(sha, done.size, done.total, True)   # idempotent re-upload
        stored = _stored(root, up) if up is not None else 0
        if (up is not None and up.total != total) or start != stored:
            raise ProtocolError("blob_range_invalid", 416, {"stored": stored})
        if up is None:
            if quota:
                _check_room(conn, root, station_id, sha, total, now)
            part_name = f"{sha}.{secrets.token_hex(8)}.part"
            made = conn.execute(dialect_insert(conn, blob_uploads).values(
                sha256=sha, station_id=station_id, size=0, total=total, part_name=part_name,
                started_at=_iso(now), updated_at=_iso(now)).on_conflict_do_nothing()
                .returning(blob_uploads.c.sha256)).first()
            if made is None:   # the same station's concurrent first chunk won
                raise ProtocolError("blob_range_invalid", 416, {"stored": 0})
        else:
            part_name = up.part_name
        part = _part(root, sha, part_name)
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "r+b" if part.exists() else "wb") as f:
            f.truncate(stored)  # drop bytes of a write whose DB row never committed
            f.seek(stored)
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        size = stored + len(body)
        if size == total:
            h = hashlib.sha256()
            with open(part, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            mismatch = h.hexdigest() != sha
            if mismatch or done is not None:
                part.unlink(missing_ok=True)
            else:
                os.replace(part, _path(root, sha))
                conn.execute(dialect_insert(conn, blobs).values(
                    sha256=sha, size=size, total=total, complete=True,
                    uploaded_by=station_id, created_at=_iso(now)).on_conflict_do_nothing())
            if not mismatch and done is not None:    # its own copy verified: it holds it
                conn.execute(dialect_insert(conn, blob_holders).values(
                    sha256=sha, station_id=station_id, proved_at=_iso(now))
                    .on_conflict_do_nothing())
            conn.execute(delete(blob_uploads).where(*mine))
        else:
            conn.execute(update(blob_uploads).where(*mine)
                         .values(size=size, updated_at=_iso(now)))
    if mismatch:
        log.warning("blob upload from %s failed its checksum", station_id)
        raise ProtocolError("blob_hash_mismatch", 422)
    return BlobState(sha, size, total, size == total)


def state_for(engine: Engine, *, sha: str, station_id: str, division: str,
              root: Path | None = None) -> BlobState | None:
    """What ``HEAD`` tells a station: the complete blob when it may read it; else its own
    unfinished upload of the same file, or None: never whether somebody else's file (or
    somebody else's unfinished upload) is here."""
    if may_read(engine, sha=sha, station_id=station_id, division=division):
        return state(engine, sha, station_id, root)
    with engine.connect() as conn:
        up = conn.execute(select(blob_uploads).where(
            blob_uploads.c.sha256 == sha, blob_uploads.c.station_id == station_id)).first()
    if up is None:
        return None
    size = _stored(root, up) if root is not None else up.size
    return BlobState(sha, size, up.total, False)


def may_read(engine: Engine, *, sha: str, station_id: str, division: str,
             unit: str | None = None) -> bool:
    """The uploader, a station that proved it holds the same file, or any station whose
    unit may see a case referencing the blob (``case_units``, as pull; ``unit``: the
    station's unit, default its division's centre)."""
    who = unit or division
    with engine.connect() as conn:
        up = conn.execute(select(blobs.c.uploaded_by).where(blobs.c.sha256 == sha)).scalar()
        if up == station_id:
            return True
        if conn.execute(select(blob_holders.c.station_id).where(
                blob_holders.c.sha256 == sha,
                blob_holders.c.station_id == station_id)).first() is not None:
            return True
        q = select(exists().where(
            blob_refs.c.sha256 == sha,
            case_units.c.case_id == blob_refs.c.case_id,
            case_units.c.unit == who,
        ))
        return bool(conn.execute(q).scalar())


def open_complete(engine: Engine, root: Path, sha: str) -> tuple[Path, int]:
    st = state(engine, sha)
    if st is None or not st.complete:
        raise ProtocolError("blob_not_found", 404)
    return _path(root, sha), st.size
