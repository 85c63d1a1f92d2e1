"""The USB file: a protocol bundle, plus the attachments its events name.

Why a container around the bundle: a village with no network must still deliver the
scanned letters its cases refer to, and the signed bundle must reach the county byte for
byte (relays forward it inside a 4 MiB request, so blobs cannot live inside it).  When
there are attachments the file is an uncompressed tar (photos and PDFs are compressed
already) with ``bundle.suqiu`` and ``blobs/<sha256>``; without attachments it is the plain
bundle.  Blobs need no signature: they are content-addressed and their hashes are inside
the signed events, so a reader keeps only blobs whose bytes hash to a name the events use.

Reading never extracts to paths taken from the archive, never follows links, and caps every
size *before* reading it (the file's, then each member's from its header) and every read
(blobs are streamed to disk, never held whole; only as many tar headers are walked as the
wanted blobs need), so a crafted file cannot write outside the attachments folder, fill
the disk or exhaust the memory of a village PC.
"""
from __future__ import annotations

import hashlib
import io
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from petition_core import protocol as P

BUNDLE_MEMBER = "bundle.suqiu"
BLOB_PREFIX = "blobs/"
MAX_CONTAINER_BYTES = 4 * 1024 * 1024 * 1024   # what a USB stick file may reasonably hold
MAX_MEMBERS = 100_000       # tar headers walked at most (a header per 512 bytes would be 8 M)


class ContainerError(ValueError):
    """The file is neither a bundle nor a well-formed container."""


class ContainerTooLarge(ContainerError):
    """The file, or the bundle inside it, is over its size limit (judged before reading)."""


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
    """The bundle bytes of a USB file (plain bundle or container), sizes checked first."""
    src = Path(src)
    if src.stat().st_size > MAX_CONTAINER_BYTES:
        raise ContainerTooLarge("file too large")
    with src.open("rb") as fh:
        head = fh.read(len(P.BUNDLE_MAGIC))
    if head == P.BUNDLE_MAGIC:
        try:
            return P.read_bundle_file(src)
        except P.ProtocolError:
            raise ContainerTooLarge("bundle too large") from None
    try:
        with tarfile.open(src, "r:") as tar:
            member = tar.next()        # write_container puts the bundle first
            if member is None or member.name != BUNDLE_MEMBER or not member.isfile():
                raise ContainerError("bundle member")
            if member.size > P.MAX_BUNDLE_BYTES:
                raise ContainerTooLarge("bundle member too large")
            part = tar.extractfile(member)
            data = part.read(member.size) if part else b""
    except (tarfile.TarError, OSError) as exc:
        raise ContainerError(type(exc).__name__) from None
    if len(data) > P.MAX_BUNDLE_BYTES:
        raise ContainerTooLarge("bundle member too large")
    return data


def iter_blobs(src: Path, wanted: set[str], tmp_dir: Path) -> Iterator[tuple[str, Path]]:
    """(sha256, file) of every blob in the container that is wanted and whose content
    really hashes to its name, each streamed into ``tmp_dir`` (the caller moves the file
    into place, or it is deleted when the caller stops); anything else is skipped."""
    left = set(wanted)
    try:
        if not left or not tarfile.is_tarfile(src):
            return
        with tarfile.open(src, "r:") as tar:
            for _ in range(MAX_MEMBERS):
                member = tar.next()
                # walked headers are not kept: memory stays flat (TarFile.members is a plain
                # list attribute that typeshed's stub leaves out)
                tar.members.clear()  # type: ignore[attr-defined]
                if member is None or not left:
                    return
                sha = member.name[len(BLOB_PREFIX):]
                if not (member.isfile() and member.name.startswith(BLOB_PREFIX)) \
                        or sha not in left or member.size > P.MAX_BLOB_BYTES:
                    continue
                fh = tar.extractfile(member)
                if fh is None:
                    continue
                part = Path(tmp_dir) / f"{sha}.import"
                if _copy_hashed(fh, part, member.size) == sha:
                    left.discard(sha)
                    try:
                        yield sha, part
                    finally:
                        part.unlink(missing_ok=True)
                else:
                    part.unlink(missing_ok=True)
    except (tarfile.TarError, OSError) as exc:
        raise ContainerError(type(exc).__name__) from None


def _copy_hashed(fh: IO[bytes], dest: Path, size: int) -> str:
    """Copy at most ``size`` bytes of ``fh`` to ``dest`` in 1 MiB pieces; their sha256."""
    h = hashlib.sha256()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as out:
        left = size
        while left > 0:
            chunk = fh.read(min(left, 1 << 20))
            if not chunk:
                break
            h.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return h.hexdigest()
