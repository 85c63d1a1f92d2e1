"""Attachments on the upward link (docs/PROTOCOL.md, "Upward sync").

Up: every attachment named by an event we pushed to the level above is uploaded there with
the blob API a station uses (``HEAD`` for the stored size, ``PUT`` with ``Content-Range``
from there: a cut upload resumes).  A blob a station has not uploaded to us yet is
remembered and tried again on the next run; it never holds the others back.

Down: attachments named by events that came down (``upstream_blobs``, "down") are fetched with
``GET`` + ``Range`` and stored through the same ``put_chunk`` a station's upload goes
through (offset check, fsync, sha256 verified on the last byte), so a cut download resumes
at what is stored.  A blob the level above does not have yet stays wanted.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import requests
import urllib3
from sqlalchemy import Engine, delete, select

from petition_core.events import Event, EventFormatError
from petition_core.protocol import ProtocolError

from ..store.db import dialect_insert
from ..store.models import events, upstream_blobs
from . import blobs
from .merge import blob_shas
from .pull import row_to_wire
from .state import set_state
from .upstream_link import UPSTREAM, check_encoding, checked_answer, signed_request

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
K_POS = "upstream.blob_pos"   # events up to this server_pos had their attachments noted
_NAMING = ("case.registered", "case.attachment_added")


def remember_blobs(engine: Engine, shas: set[str], direction: str) -> None:
    """Note attachments still to move on the upward link ("up" or "down")."""
    if shas:
        with engine.begin() as conn:
            conn.execute(dialect_insert(conn, upstream_blobs).on_conflict_do_nothing(),
                         [{"sha256": s, "direction": direction} for s in sorted(shas)])


def want_blobs(engine: Engine, items: list[Any]) -> None:
    """Note the attachments named by events that came down, to fetch after the pull."""
    shas: set[str] = set()
    for d in items:
        try:
            shas.update(blob_shas(Event.from_wire(d)))
        except EventFormatError:
            continue
    remember_blobs(engine, shas, "down")


def sync_blobs(engine: Engine, st: dict[str, str], root: Path) -> tuple[int, int]:
    """Send up what the pushed events name, fetch what the pulled ones name; returns
    (uploaded, downloaded).  A network failure raises after keeping what is done."""
    return _send_up(engine, st, root), _fetch_down(engine, st, root)


# ---- up ----------------------------------------------------------------------------
def _pending(engine: Engine, direction: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(upstream_blobs.c.sha256).where(
            upstream_blobs.c.direction == direction).order_by(upstream_blobs.c.sha256)).scalars())


def _forget(engine: Engine, sha: str, direction: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(upstream_blobs).where(upstream_blobs.c.sha256 == sha,
                                                  upstream_blobs.c.direction == direction))


def _send_up(engine: Engine, st: dict[str, str], root: Path) -> int:
    pos, top = int(st.get(K_POS, "0")), int(st.get("upstream.push_pos", "0"))
    with engine.connect() as conn:
        rows = conn.execute(
            select(events).where(events.c.server_pos > pos, events.c.server_pos <= top,
                                 events.c.received_from != UPSTREAM,
                                 events.c.payload_enc == "json", events.c.type.in_(_NAMING))
            .order_by(events.c.server_pos)).all()
    named: set[str] = set()
    for r in rows:
        named.update(blob_shas(Event.from_wire(row_to_wire(r))))
    remember_blobs(engine, named, "up")   # noted before trying: a crash loses none
    if rows:
        with engine.begin() as conn:
            set_state(conn, **{K_POS: rows[-1].server_pos})
    sent = 0
    for sha in _pending(engine, "up"):
        state = blobs.state(engine, sha)
        if state is None or not state.complete:
            continue  # the station has not finished uploading it to us: next time
        _upload(engine, st, root, sha, state.total)
        _forget(engine, sha, "up")
        sent += 1
    return sent


def _stored_above(engine: Engine, st: dict[str, str], sha: str) -> int | None:
    """Bytes the level above holds, or None when it holds all of them."""
    resp = signed_request(engine, st, "HEAD", f"/v1/blobs/{sha}")
    resp.close()
    if resp.status_code == 404:
        return 0
    if resp.status_code != 200:
        raise ProtocolError(resp.headers.get("X-Suqiu-Error", "internal_error"),
                            resp.status_code, "upstream HEAD")
    if resp.headers.get("X-Suqiu-Blob-Complete") == "1":
        return None
    return int(resp.headers.get("X-Suqiu-Blob-Size", "0"))


def _upload(engine: Engine, st: dict[str, str], root: Path, sha: str, total: int) -> None:
    if total <= 0:
        return  # an empty blob cannot be uploaded anywhere (no byte range names it)
    path, _ = blobs.open_complete(engine, root, sha)
    have = _stored_above(engine, st, sha)
    asked_again = 0
    with open(path, "rb") as fh:
        while have is not None and have < total:
            fh.seek(have)
            chunk = fh.read(CHUNK)
            resp = signed_request(engine, st, "PUT", f"/v1/blobs/{sha}", chunk, {
                "Content-Range": f"bytes {have}-{have + len(chunk) - 1}/{total}",
                "Content-Type": "application/octet-stream", "Content-Encoding": None})
            if resp.status_code == 416 and asked_again < 3:  # it holds another amount
                resp.close()
                asked_again += 1
                have = _stored_above(engine, st, sha)
                continue
            done = checked_answer(resp)
            if done.get("complete"):
                break
            have += len(chunk)
    log.info("attachment %s… sent up", sha[:12])


# ---- down ----------------------------------------------------------------------------
def _fetch_down(engine: Engine, st: dict[str, str], root: Path) -> int:
    got = 0
    for sha in _pending(engine, "down"):
        state = blobs.state(engine, sha, UPSTREAM, root)
        if state is None or not state.complete:
            if not _download(engine, st, root, sha, state.size if state else 0):
                continue
        _forget(engine, sha, "down")
        got += 1
    return got


def _download(engine: Engine, st: dict[str, str], root: Path, sha: str, have: int) -> bool:
    """Fetch the rest of one blob into our store; False when the level above lacks it."""
    headers = {"Range": f"bytes={have}-"} if have else {}
    resp = signed_request(engine, st, "GET", f"/v1/blobs/{sha}", b"", headers)
    try:
        if resp.status_code in (403, 404):
            log.info("attachment %s… not available above yet", sha[:12])
            return False
        if resp.status_code not in (200, 206):
            checked_answer(resp)
        if resp.status_code == 200 and have:
            raise ProtocolError("blob_range_invalid", 502, "upstream ignored Range")
        check_encoding(resp, ())   # bytes as stored: never inflate what the level above sent
        total = _total(resp, have)
        pos = have
        try:
            while chunk := resp.raw.read(CHUNK, decode_content=False):
                # put_chunk refuses a byte past `total` (≤ MAX_BLOB_BYTES): the read is bounded
                blobs.put_chunk(engine, root, sha=sha, station_id=UPSTREAM,
                                content_range=f"bytes {pos}-{pos + len(chunk) - 1}/{total}",
                                body=chunk, quota=False)
                pos += len(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise OSError(f"download cut at {pos}: {type(exc).__name__}") from None
        if pos < total:
            raise OSError(f"download cut at {pos} of {total}")
    finally:
        resp.close()
    log.info("attachment %s… fetched from above", sha[:12])
    return True


def _total(resp: requests.Response, have: int) -> int:
    rng = resp.headers.get("Content-Range", "")
    if "/" in rng and rng.rsplit("/", 1)[1].strip().isdigit():
        return int(rng.rsplit("/", 1)[1])
    return have + int(resp.headers.get("Content-Length", "0"))
