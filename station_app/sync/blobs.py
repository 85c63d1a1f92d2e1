"""Attachments travel apart from events, as content-addressed blobs (PROTOCOL.md).

Why resumable: a scanned letter is a few MiB and a village line drops often.  Uploads ask
the server how much it already holds (``HEAD``) and continue from there with
``Content-Range``; downloads append to ``<sha>.part`` and continue with ``Range``.  The
sha256 is checked on both ends, so a cut or a corrupted byte never becomes a stored file.

Which blobs: those named by the events being pushed (own attachments) or pulled (cases the
station can see).  Sealed events are opaque and never inspected.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import delete, select

from petition_core import protocol as P
from petition_core.events import Event, EventType

from ..paths import AppPaths
from ..store import Store, get_setting, set_setting
from ..store.eventlog import now_iso
from ..store.models import AttachmentRow, SettingRow
from .transport import SyncError, Transport

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")
K_UPLOADED = "sync.blob_uploaded:"
K_WANTED = "sync.blob_wanted:"   # + sha256 → JSON description; set with the pulled events
_NAMING = (EventType.REGISTERED.value, EventType.ATTACHMENT_ADDED.value)


def referenced(events: Iterable[Event]) -> dict[str, dict]:
    """sha256 → attachment description, for every blob the (non-sealed) events name."""
    out: dict[str, dict] = {}
    for ev in events:
        if ev.sealed or ev.type not in _NAMING:
            continue
        try:
            data = ev.data()
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        if ev.type == EventType.REGISTERED.value:
            items = data.get("attachments") or []
        else:
            items = [data.get("attachment") or {}]
        for item in items if isinstance(items, list) else ():  # never raises on odd data
            sha = str(item.get("sha256", "")) if isinstance(item, dict) else ""
            if _SHA.match(sha):
                out[sha] = item
    return out


def blob_path(paths: AppPaths, sha: str) -> Path:
    return paths.attachments_dir / sha[:2] / sha


class BlobTransfer:
    """Upload/download the blobs of a sync round through a signed :class:`Transport`."""

    def __init__(self, transport: Transport, store: Store, paths: AppPaths):
        self.t = transport
        self.store = store
        self.paths = paths

    # ---- upload ---------------------------------------------------------------------
    def upload_for(self, events: list[Event]) -> int:
        """Upload every local blob the events name that the server lacks; returns count."""
        done = 0
        for sha in referenced(events):
            with self.store.read() as s:
                if get_setting(s, K_UPLOADED + sha):
                    continue
                row = s.get(AttachmentRow, sha)
            path = self.paths.attachments_dir / row.stored_path if row else blob_path(
                self.paths, sha)
            if not path.is_file() or _sha256_file(path) != sha:
                # the event matters more than the file: send it; a person can re-attach
                log.warning("attachment %s… missing or damaged locally", sha[:12])
                continue
            try:
                self.upload(sha, path)
            except SyncError as exc:
                if exc.code not in ("blob_hash_mismatch", "body_too_large",
                                    "forbidden_jurisdiction"):
                    raise
                log.warning("attachment %s… refused by the server: %s", sha[:12], exc.code)
                continue
            with self.store.session() as s:
                set_setting(s, K_UPLOADED + sha, "1")
            done += 1
        return done

    def upload(self, sha: str, path: Path) -> None:
        """Resumable upload of one file; returns when the server holds all of it."""
        total = path.stat().st_size
        have = self._stored_size(sha)
        if have is None:
            return  # complete on the server already
        with path.open("rb") as fh:
            while have < total or total == 0:
                fh.seek(have)
                chunk = fh.read(CHUNK)
                end = have + len(chunk) - 1
                rng = f"bytes {have}-{end}/{total}" if chunk else f"bytes */{total}"
                resp, _ = self.t.open("PUT", f"/v1/blobs/{sha}", chunk,
                                      {"Content-Range": rng,
                                       "Content-Type": "application/octet-stream"})
                if resp.status_code == 416:  # the server holds a different amount: re-ask
                    self.t.read_raw(resp)
                    have = self._stored_size(sha)
                    if have is None:
                        return
                    continue
                if resp.status_code not in (200, 201, 204):
                    raise self.t.error_from(resp)
                self.t.read_raw(resp)
                have += len(chunk)
                if total == 0:
                    break

    def _stored_size(self, sha: str) -> int | None:
        """Bytes the server holds so far, or None when the blob is complete there."""
        resp, _ = self.t.open("HEAD", f"/v1/blobs/{sha}")
        self.t.read_raw(resp)
        if resp.status_code == 404:
            return 0
        if resp.status_code != 200:
            raise self.t._error(resp.status_code, None)
        if resp.headers.get("X-Suqiu-Blob-Complete") == "1":
            return None
        try:
            return int(resp.headers.get("X-Suqiu-Blob-Size", "0"))
        except ValueError:
            raise SyncError("response_malformed") from None

    # ---- download -------------------------------------------------------------------
    @staticmethod
    def remember_wanted(session, events: list[Event]) -> None:  # noqa: ANN001
        """Inside the pull's transaction: note every named blob not here yet, so a cut
        download is retried by later syncs even though the events are already stored."""
        for sha, item in referenced(events).items():
            if session.get(AttachmentRow, sha) is None:
                set_setting(session, K_WANTED + sha, json.dumps(item, ensure_ascii=False))

    def download_wanted(self) -> int:
        """Fetch every wanted blob; returns how many arrived.  Blobs the server does not
        have yet (or refuses) stay wanted for the next sync."""
        with self.store.read() as s:
            wanted = [(r.key[len(K_WANTED):], r.value) for r in s.scalars(
                select(SettingRow).where(SettingRow.key.startswith(K_WANTED))).all()]
        done = 0
        for sha, raw in wanted:
            try:
                item = json.loads(raw)
            except ValueError:
                item = {}
            try:
                self.download(sha, item if isinstance(item, dict) else {})
            except SyncError as exc:
                if exc.code in ("forbidden_jurisdiction", "blob_not_found"):
                    log.info("blob %s… not available yet: %s", sha[:12], exc.code)
                    continue
                raise
            with self.store.session() as s:
                s.execute(delete(SettingRow).where(SettingRow.key == K_WANTED + sha))
            done += 1
        return done

    def download(self, sha: str, item: dict) -> Path:
        final = blob_path(self.paths, sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        part = final.with_name(sha + ".part")
        for _ in range(1000):  # each pass resumes; a stalled line raises SyncError
            have = part.stat().st_size if part.exists() else 0
            headers = {"Range": f"bytes={have}-"} if have else {}
            resp, _ = self.t.open("GET", f"/v1/blobs/{sha}", b"", headers)
            if resp.status_code == 416:  # we already hold everything
                self.t.read_raw(resp)
                break
            if resp.status_code not in (200, 206):
                raise self.t.error_from(resp)
            if resp.status_code == 200 and have:
                part.unlink()  # server ignored Range: start over
            with part.open("ab") as fh:
                self.t.read_raw(resp, cap=P.MAX_BLOB_BYTES, sink=fh.write)
                fh.flush()
                os.fsync(fh.fileno())
            total = _total_from(resp.headers.get("Content-Range"), part.stat().st_size)
            if part.stat().st_size >= total:
                break
        digest = _sha256_file(part)
        if digest != sha:
            part.unlink()
            raise SyncError("blob_hash_mismatch")
        os.replace(part, final)
        with self.store.session() as s:
            if s.get(AttachmentRow, sha) is None:
                s.add(AttachmentRow(
                    sha256=sha, size=final.stat().st_size,
                    mime=str(item.get("mime", "application/octet-stream"))[:100],
                    original_name=str(item.get("name", sha))[:255],
                    stored_path=f"{sha[:2]}/{sha}", added_at=now_iso()))
        return final


def _total_from(content_range: str | None, fallback: int) -> int:
    """``bytes a-b/total`` → total; without the header the body was the whole file."""
    if content_range and "/" in content_range:
        tail = content_range.rsplit("/", 1)[1].strip()
        if tail.isdigit():
            return int(tail)
    return fallback


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
