"""The USB file: a protocol bundle, plus the attachments its events name.

Why a container around the bundle: a village with no network must still deliver the
scanned letters its cases refer to, and the signed bundle must reach the county byte for
byte (relays forward it inside a 4 MiB request, so blobs cannot live inside it).  When
there are attachments the file is an uncompressed tar (photos and PDFs are compressed
already) with ``bundle.suqiu`` and ``blobs/<sha256>``; without attachments it is the plain
bundle.  Blobs need no signature: they are content-addressed and their hashes are inside
the signed events, so a reader keeps only blobs whose bytes hash to a name the events use.

Reading never extracts to paths taken from the archive, never follows links, and caps every
size, so a crafted file cannot write outside the attachments folder or fill the disk.
"""
from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path
from typing import Iterator

from petition_core import protocol as P

BUNDLE_MEMBER = "bundle.suqiu"
BLOB_PREFIX = "blobs/"
MAX_CONTAINER_BYTES = 4 * 1024 * 1024 * 1024   # what a USB stick file may reasonably hold


class ContainerError(ValueError):
    """The file is neither a bundle nor a well-formed container."""


def write_container(dest: Path, bundle: bytes, blobs: dict[str, Path]) -> None:
    """Write the USB file atomically (a half-written file is never left at ``dest``)."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".tmp")
    if not blobs:
        tmp.write_bytes(bundle)
    else:
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            info = tarfile.TarInfo(BUNDLE_MEMBER)
            info.size = len(bundle)
            tar.addfile(info, io.BytesIO(bundle))
            for sha, path in sorted(blobs.items()):
                info = tarfile.TarInfo(BLOB_PREFIX + sha)
                info.size = path.stat().st_size
                with path.open("rb") as fh:
                    tar.addfile(info, fh)
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    tmp.replace(dest)


def read_bundle_bytes(src: Path) -> bytes:
    """The bundle bytes of a USB file (plain bundle or container)."""
    src = Path(src)
    if src.stat().st_size > MAX_CONTAINER_BYTES:
        raise ContainerError("file too large")
    with src.open("rb") as fh:
        head = fh.read(len(P.BUNDLE_MAGIC))
    if head == P.BUNDLE_MAGIC:
        return src.read_bytes()
    try:
        with tarfile.open(src, "r:") as tar:
            member = tar.getmember(BUNDLE_MEMBER)
            if not member.isfile() or member.size > P.MAX_BUNDLE_BYTES:
                raise ContainerError("bundle member")
            fh = tar.extractfile(member)
            return fh.read() if fh else b""
    except (tarfile.TarError, KeyError, OSError) as exc:
        raise ContainerError(type(exc).__name__) from None


def iter_blobs(src: Path, wanted: set[str]) -> Iterator[tuple[str, bytes]]:
    """(sha256, bytes) of every blob in the container that is wanted and whose content
    really hashes to its name; anything else is skipped."""
    try:
        if not tarfile.is_tarfile(src):
            return
        with tarfile.open(src, "r:") as tar:
            for member in tar:
                name = member.name
                if not (member.isfile() and name.startswith(BLOB_PREFIX)):
                    continue
                sha = name[len(BLOB_PREFIX):]
                if sha not in wanted or member.size > P.MAX_BLOB_BYTES:
                    continue
                fh = tar.extractfile(member)
                data = fh.read() if fh else b""
                if hashlib.sha256(data).hexdigest() == sha:
                    yield sha, data
    except (tarfile.TarError, OSError) as exc:
        raise ContainerError(type(exc).__name__) from None
