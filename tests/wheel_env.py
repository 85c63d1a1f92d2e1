"""Build the project's wheel and install it into clean virtualenvs, offline and quickly.

How, and why it is honest:

* The wheel is built from a copy of the checkout (``pip wheel --no-build-isolation``, the
  pinned setuptools of the test extra), so no stale ``build/`` folder of the checkout leaks
  into it.
* Each clean venv is a new ``python -m venv`` (no system or checkout site-packages).  The
  project goes in by ``pip install --no-deps <the wheel>``: its code and data come from the
  wheel and nowhere else.
* Its dependencies are those the *wheel's own metadata* asks for, for the chosen extras,
  resolved recursively, at the versions this test environment already has (pinned by
  pyproject.toml).  Instead of downloading and unpacking ~500 MB again, each of their
  installed files is symlinked into the clean venv's site-packages, exactly as listed in
  the distribution's RECORD, dist-info included; nothing else is linked.  ``pip check`` in
  the clean venv then proves every requirement is met.  A dependency the wheel forgets to
  declare is therefore missing there, as on a user's PC.
"""
from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
_COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info",
                                      "__pycache__", ".hypothesis", ".pytest_cache",
                                      "demo-data", "tmp")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 600)
    return subprocess.run([str(c) for c in cmd], **kw)


def checked(cmd: list[str], **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    r = run(cmd, **kw)
    assert r.returncode == 0, f"{cmd} exited {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def build_wheel(out: Path) -> Path:
    """Build suqiu's wheel from a copy of the checkout; return its path."""
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=_COPY_IGNORE, symlinks=True)
    wheels = out / "wheels"
    checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--no-index", "-q", "-w", wheels, src], cwd=out)
    (wheel,) = wheels.glob("suqiu-*.whl")
    return wheel


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(zf.read(name).decode("utf-8"))
    return [Requirement(r) for r in meta.get_all("Requires-Dist") or []]


def _wanted(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": e}) for e in (extras or {""}))


def dependency_closure(reqs: list[Requirement],
                       extras: set[str]) -> dict[str, metadata.Distribution]:
    """Distributions (of this environment) that ``reqs`` with ``extras`` pull in."""
    found: dict[str, metadata.Distribution] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [r for r in reqs if _wanted(r, extras)]
    while todo:
        req = todo.pop()
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(req.name)   # PackageNotFoundError: setup is incomplete
        assert req.specifier.contains(dist.version, prereleases=True), (str(req), dist.version)
        found[key[0]] = dist
        todo += [r for r in map(Requirement, dist.requires or []) if _wanted(r, set(req.extras))]
    return found


def make_venv(where: Path, wheel: Path, extras: set[str]) -> Path:
    """A clean venv with the wheel (``--no-deps``) and its dependencies for ``extras``
    linked from this environment.  Returns the venv's directory."""
    checked([sys.executable, "-m", "venv", "--without-pip", where])
    py = where / "bin" / "python"
    site = Path(checked([py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        cwd=where).stdout.strip())
    here = Path(sysconfig.get_path("purelib")).resolve()
    for dist in dependency_closure(wheel_requirements(wheel), extras).values():
        for f in dist.files or []:
            src = Path(dist.locate_file(f)).resolve()
            if not src.is_file() or here not in src.parents:
                continue                     # console scripts in bin/, missing .pyc
            dst = site / src.relative_to(here)
            dst.parent.mkdir(parents=True, exist_ok=True)
            if not dst.exists():
                os.symlink(src, dst)
    checked([sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "--no-index",
             "--no-compile", "-q", wheel], cwd=where)
    checked([sys.executable, "-m", "pip", "--python", py, "check"], cwd=where)
    return where


def clean_env(home: Path) -> dict[str, str]:
    """Environment for commands in a clean venv: nothing points back at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "SUQIU_", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1",
               XDG_DATA_HOME=str(home / "share"), XDG_CONFIG_HOME=str(home / "config"))
    return env
