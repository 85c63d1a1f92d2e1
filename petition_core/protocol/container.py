"""Reading the USB file a village exports (docs/PROTOCOL.md, "Relays and offline bundles").

The file is the bare bundle, or — when its events name attachments — an uncompressed tar
holding ``bundle.suqiu`` and ``blobs/<sha256>`` (written by ``station_app/sync/container.py``).
Blobs carry no signature of their own: their hashes are inside the signed events, so a
reader keeps only blobs whose bytes hash to a name the events use.

Here for the county server's ``import-bundle``; pure Python (``tarfile``).  Reading is
bounded: the bundle member is read only up to ``MAX_BUNDLE_BYTES``, blobs are hashed and
copied in chunks (never whole in memory) and only when their size is within
``MAX_BLOB_BYTES``, nothing is extracted to a path taken from the archive, and links and
other special members are skipped.
"""
from __future__ import annotations

import hashlib
import os
import tarfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO

from .bundles import BUNDLE_MAGIC
from .constants import MAX_BLOB_BYTES, MAX_BUNDLE_BYTES
from .errors import ProtocolError

BUNDLE_MEMBER = "bundle.suqiu"
BLOB_PREFIX = "blobs/"
_CHUNK = 1 << 20


def _malformed(why: str) -> ProtocolError:
    return ProtocolError("bundle_malformed", 422, why)


def read_file_bundle(path: Path) -> bytes:
    """The bundle bytes of a USB file, bare or container.  Raises ``bundle_malformed``
    (not a bundle, not a readable tar, no bundle member) or ``bundle_too_large``;
    OSError when the file cannot be read at all."""
    path = Path(path)
    with path.open("rb") as fh:
        if fh.read(len(BUNDLE_MAGIC)) == BUNDLE_MAGIC:
            size = os.fstat(fh.fileno()).st_size      # judged before reading (USB: 4 GiB)
            if size > MAX_BUNDLE_BYTES:
                raise ProtocolError("bundle_too_large", 413,
                                    {"limit": MAX_BUNDLE_BYTES, "size": size})
            fh.seek(0)
            data = fh.read(size + 1)
            if len(data) != size:
                raise _malformed("file changed while read")
            return data
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.getmember(BUNDLE_MEMBER)
            if not member.isfile():
                raise _malformed("bundle member")
            if member.size > MAX_BUNDLE_BYTES:
                raise ProtocolError("bundle_too_large", 413, {"limit": MAX_BUNDLE_BYTES})
            part = tar.extractfile(member)
            return part.read(MAX_BUNDLE_BYTES + 1) if part else b""
    except (tarfile.TarError, KeyError, EOFError):
        raise _malformed("container") from None


def _sha256(fh: IO[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: fh.read(_CHUNK), b""):
        h.update(chunk)
    return h.hexdigest()


def verified_blobs(path: Path, wanted: Collection[str]) -> Iterator[tuple[str, int, IO[bytes]]]:
    """``(sha256, size, reader)`` for each blob of the container that is wanted and whose
    bytes hash to its name (hashed in chunks first); the reader, positioned at the start,
    is valid until the next item.  A bare bundle has no blobs.  Raises ``bundle_malformed``
    when the tar itself is damaged."""
    path = Path(path)
    with path.open("rb") as fh:
        if fh.read(len(BUNDLE_MAGIC)) == BUNDLE_MAGIC:
            return
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                name = member.name
                if not (member.isfile() and name.startswith(BLOB_PREFIX)):
                    continue
                sha = name[len(BLOB_PREFIX):]
                if sha not in wanted or member.size > MAX_BLOB_BYTES:
                    continue
                first = tar.extractfile(member)
                if first is None or _sha256(first) != sha:
                    continue
                again = tar.extractfile(member)
                if again is not None:
                    yield sha, member.size, again
    except (tarfile.TarError, EOFError):
        raise _malformed("container") from None
