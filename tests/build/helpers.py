"""Helpers of the build tests: the build's outputs, a clean room to run them in."""
from __future__ import annotations

import importlib.util
import os
import pwd
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLERK = "suqiu-clerk"          # the unprivileged user the bundle runs as (when we are root)


def load_script(name: str, rel: str):  # type: ignore[no-untyped-def]
    """A module from scripts/ or packaging/ (they are not a package)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / rel)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


@dataclass(frozen=True)
class Build:
    out: Path
    bundle: Path
    deb: Path
    log: str
    seconds: float


def _clerk() -> pwd.struct_passwd | None:
    """An unprivileged user to run the bundle as, so a write into the install folder fails
    for real (root may write anywhere).  None when the tests do not run as root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(CLERK)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", CLERK], check=True, capture_output=True)
        return pwd.getpwnam(CLERK)


@dataclass
class CleanRoom:
    """A home, a working folder and a PATH without Python, owned by the clerk user."""
    root: Path
    home: Path
    cwd: Path
    path: str
    user: pwd.struct_passwd | None

    def env(self, **extra: str) -> dict[str, str]:
        # env -i: nothing of ours leaks in (no PYTHONPATH, no VIRTUAL_ENV, no QT_*)
        return {"PATH": self.path, "HOME": str(self.home), **extra}

    def run(self, exe: Path, *args: str, timeout: float = 300,
            **extra: str) -> subprocess.CompletedProcess[str]:
        prefix: list[str] = []
        if self.user is not None:
            prefix = ["setpriv", f"--reuid={self.user.pw_uid}", f"--regid={self.user.pw_gid}",
                      "--clear-groups", "--"]
        return subprocess.run([*prefix, str(exe), *args], cwd=self.cwd, env=self.env(**extra),
                              capture_output=True, text=True, timeout=timeout)

    @property
    def data_dir(self) -> Path:
        return self.home / ".local" / "share" / "suqiu"     # platformdirs on Linux


def _path_without_python(bin_dir: Path) -> str:
    """A PATH like /usr/bin:/bin with every python* left out (symlinks to the rest)."""
    bin_dir.mkdir()
    for src in (Path("/usr/bin"), Path("/bin")):
        for tool in src.iterdir():
            if tool.name.startswith(("python", "pydoc", "pip")) or (bin_dir / tool.name).exists():
                continue
            (bin_dir / tool.name).symlink_to(tool)
    return str(bin_dir)


def snapshot(tree: Path) -> dict[str, tuple[int, int]]:
    """relative path → (size, mtime_ns) of every file and folder under ``tree``."""
    return {str(p.relative_to(tree)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in tree.rglob("*")}
