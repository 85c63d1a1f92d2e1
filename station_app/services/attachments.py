"""Content-addressed attachment files: attachments_dir/<aa>/<sha256>.

Content addressing makes dedup free, lets sync move files by hash, and makes backups of the
folder incremental by nature (a file never changes once written).  The type is checked by
the file's first bytes, not only its name, so a renamed executable is refused.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from ..filemodes import copy_private, private_dir
from ..paths import AppPaths
from ..store import Store
from ..store.eventlog import now_iso
from ..store.models import AttachmentRow
from .types import AttachmentRef, ServiceError

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension -> (mime, accepted magic prefixes)
_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".bmp": ("image/bmp", (b"BM",)),
    ".tif": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".tiff": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".wps": ("application/vnd.ms-works", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              (b"PK\x03\x04",)),
}
ALLOWED_EXTENSIONS = tuple(sorted(_TYPES))


def stored_path(paths: AppPaths, sha256: str) -> Path:
    return paths.attachments_dir / sha256[:2] / sha256


def import_file(store: Store, paths: AppPaths, path: str | Path) -> AttachmentRef:
    src = Path(path)
    if not src.is_file():
        raise ServiceError("attachment_missing")
    ext = src.suffix.lower()
    if ext not in _TYPES:
        raise ServiceError("attachment_type",
                           allowed=", ".join(ALLOWED_EXTENSIONS))
    size = src.stat().st_size
    if size == 0:
        raise ServiceError("attachment_empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ServiceError("attachment_too_large",
                           max_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    mime, magics = _TYPES[ext]
    with src.open("rb") as fh:
        head = fh.read(16)
    if not any(head.startswith(m) for m in magics):
        raise ServiceError("attachment_type",
                           allowed=", ".join(ALLOWED_EXTENSIONS))
    private_dir(paths.attachments_dir)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".import-", dir=paths.attachments_dir)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        dest = stored_path(paths, sha)
        private_dir(dest.parent)
        if dest.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    name = src.name[:255]
    with store.session() as s:
        row = s.get(AttachmentRow, sha)
        if row is None:
            s.add(AttachmentRow(sha256=sha, size=size, mime=mime, original_name=name,
                                stored_path=f"{sha[:2]}/{sha}", added_at=now_iso()))
    return AttachmentRef(sha256=sha, name=name, size=size, mime=mime)


def copy_out(paths: AppPaths, sha256: str, dest: str | Path) -> Path:
    """Copy a stored attachment somewhere (e.g. for opening) as a private file that
    replaces whatever is at ``dest`` (a planted link is replaced, never followed);
    ServiceError if missing."""
    src = stored_path(paths, sha256)
    if not src.is_file():
        raise ServiceError("attachment_missing")
    return copy_private(src, Path(dest))
