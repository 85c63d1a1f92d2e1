"""Private files: the station's data is readable by the user who runs it, and nobody else.

Why: the database, backups, keys, logs, bundles and attachments hold petitioners' names, ID
numbers and complaints about officials.  Under a normal umask (022) Python and SQLite make
them 0644 and their folders 0755, readable by every account on a shared PC.  So:

* the station program sets ``umask 077`` before it creates anything (:func:`restrict_umask`);
* the files that matter most are also created 0600 explicitly, whatever the umask
  (:func:`touch_private`, :func:`copy_private`, :func:`private_dir`), so a library or a test
  that runs with another umask still gets private files;
* an install made by an older version is fixed on start (:func:`secure_tree`).

Nothing here follows a symbolic link: a link planted where we write (a shared temp folder)
would otherwise make us write, or change the mode of, a file we do not own.
"""
from __future__ import annotations

import logging
import os
import stat
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)    # not on Windows (no modes there either)
_BINARY = getattr(os, "O_BINARY", 0)


def restrict_umask() -> int:
    """Make every file this process creates private; returns the previous umask."""
    return os.umask(UMASK)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; an existing folder is made 0700.
    A symbolic link is refused (OSError), never followed."""
    path = Path(path)
    missing = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for p in reversed(missing):      # mkdir(parents=True) would give parents the umask's mode
        p.mkdir(mode=DIR_MODE, exist_ok=True)
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(str(path))
    if os.name == "posix" and stat.S_IMODE(st.st_mode) != DIR_MODE:
        os.chmod(path, DIR_MODE)
    return path


def open_private(path: Path, *, exclusive: bool = True) -> int:
    """A write descriptor on a new 0600 file; never through a symbolic link
    (``exclusive``: fail if anything is already there)."""
    flags = os.O_WRONLY | os.O_CREAT | _NOFOLLOW | _BINARY
    flags |= os.O_EXCL if exclusive else 0
    fd = os.open(path, flags, FILE_MODE)
    if os.name == "posix":
        os.fchmod(fd, FILE_MODE)
    return fd


def touch_private(path: Path) -> None:
    """Make sure ``path`` exists as a private regular file (e.g. before SQLite opens it:
    SQLite gives its -wal and -shm files the database file's mode)."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        os.close(open_private(path))
        return
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise FileExistsError(f"not a regular file: {path}")
    if os.name == "posix" and stat.S_IMODE(st.st_mode) != FILE_MODE:
        os.chmod(path, FILE_MODE)


def copy_private(src: Path, dest: Path, *, chunk: int = 1 << 20) -> Path:
    """Copy ``src`` to ``dest`` as a 0600 file.  The bytes go to a new file next to
    ``dest`` (created exclusively, never through a link) that then replaces ``dest``: a link
    planted at ``dest`` is replaced, not followed."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.part")
    fd = open_private(tmp)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as fh:
            for block in iter(lambda: fh.read(chunk), b""):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return dest


def secure_tree(root: Path) -> int:
    """Make every folder under ``root`` 0700 and every file 0600 (an install from before
    this rule, or files another tool copied in).  Symbolic links are left alone and not
    followed; files of another owner are skipped.  Returns how many modes were changed."""
    if os.name != "posix":
        return 0
    root = Path(root)
    changed = 0
    uid = os.getuid()

    def fix(path: str, want: int) -> None:
        nonlocal changed
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(st.st_mode) or st.st_uid != uid or stat.S_IMODE(st.st_mode) == want:
            return
        if (want == DIR_MODE) != stat.S_ISDIR(st.st_mode) or not (
                stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            return
        os.chmod(path, want)   # checked above: not a link (only we can write these folders)
        changed += 1

    if not root.is_dir() or root.is_symlink():
        return 0
    fix(str(root), DIR_MODE)
    for here, dirs, files in os.walk(root, followlinks=False):
        for d in dirs:
            fix(os.path.join(here, d), DIR_MODE)
        for f in files:
            fix(os.path.join(here, f), FILE_MODE)
    if changed:
        log.info("made %d files and folders private", changed)
    return changed
