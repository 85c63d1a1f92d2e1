"""Removable media (USB sticks) the daily backup may be copied to (issue 12 item 4).

``removable_drives()`` lists the writable folders of the sticks mounted now:

* Linux (统信UOS, 麒麟, Debian): desktop environments mount a stick under
  ``/media/$USER/<label>`` (udisks2 on Debian/Ubuntu/UOS) or ``/run/media/$USER/<label>``
  (Fedora-style); a mount point found in ``/proc/self/mounts`` strictly below one of those
  folders counts.  ``linux_drives`` takes both inputs as arguments so a test can run it on
  a temporary folder.
* Windows: every drive letter whose ``GetDriveTypeW`` is ``DRIVE_REMOVABLE``.

Nothing else is touched here; what is copied and where is ``services.backup``'s business.
"""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable
from pathlib import Path

DRIVE_REMOVABLE = 2


def media_roots(user: str | None = None) -> list[Path]:
    user = user or _user()
    return [Path("/media") / user, Path("/run/media") / user]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "")


def _unescape(field: str) -> str:
    """/proc/mounts escapes space, tab, newline and backslash as octal (``\\040``)."""
    for code, ch in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, ch)
    return field


def mount_points(mounts_text: str) -> list[Path]:
    """The mount points listed in the text of /proc/self/mounts."""
    out = []
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out.append(Path(_unescape(parts[1])))
    return out


def linux_drives(roots: Iterable[Path], mounts: Iterable[Path]) -> list[Path]:
    """Mount points strictly inside one of ``roots`` that are writable folders, sorted."""
    found = set()
    resolved = [Path(os.path.realpath(r)) for r in roots]
    for m in mounts:
        mp = Path(os.path.realpath(m))
        if any(mp != r and r in mp.parents for r in resolved) and mp.is_dir() \
                and os.access(mp, os.W_OK):
            found.add(mp)
    return sorted(found)


def windows_drives() -> list[Path]:  # pragma: no cover - only on Windows
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    out = []
    for i in range(26):
        if mask & (1 << i):
            root = f"{chr(ord('A') + i)}:\\"
            if kernel32.GetDriveTypeW(root) == DRIVE_REMOVABLE and os.access(root, os.W_OK):
                out.append(Path(root))
    return out


def removable_drives() -> list[Path]:
    """The USB sticks (and other removable media) mounted now, writable by this user."""
    if sys.platform == "win32":  # pragma: no cover - only on Windows
        return windows_drives()
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return linux_drives(media_roots(), mount_points(text))
