"""The station's builds (issue 12 item 1): scripts/package.sh once per session, then the
bundle and the .deb are run the way a village PC runs them.

The build takes minutes on the shared 2-core machine, so its tests carry the ``bundle``
marker and run with ``--bundle`` (scripts/test.sh, hence CI, passes it).  With --bundle and
no PyInstaller they fail, never skip.  SUQIU_TEST_PACKAGE_OUT=DIR tests what
``scripts/package.sh DIR`` built before instead of building again (development only).
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import ROOT, Build, CleanRoom, _clerk, _path_without_python


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is not installed in this virtualenv: scripts/setup.sh installs "
                    "it (the \"build\" extra of pyproject.toml)")
    reuse = os.environ.get("SUQIU_TEST_PACKAGE_OUT")
    if reuse:      # development only: test what scripts/package.sh DIR already built there
        out = Path(reuse)
        debs = sorted(out.glob("suqiu-station_*.deb"))
        assert len(debs) == 1 and (out / "suqiu-station").is_dir(), f"no build in {out}"
        print(f"\nSUQIU_TEST_PACKAGE_OUT: testing the build in {out}, not building")
        return Build(out=out, bundle=out / "suqiu-station", deb=debs[0], log="", seconds=0)
    out = tmp_path_factory.mktemp("package")
    env = dict(os.environ, SUQIU_PACKAGE_SKIP_SETUP="1")
    env.pop("QT_QPA_PLATFORM", None)        # package.sh sets it where it needs it
    start = time.monotonic()
    r = subprocess.run(["bash", str(ROOT / "scripts" / "package.sh"), str(out)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=3600)
    seconds = time.monotonic() - start
    log = r.stdout + r.stderr
    if r.returncode != 0:
        pytest.fail(f"scripts/package.sh failed ({r.returncode}):\n{log[-6000:]}")
    debs = sorted(out.glob("suqiu-station_*.deb"))
    assert len(debs) == 1, log
    print(f"\nscripts/package.sh took {seconds:.0f} s\n{log[-600:]}")
    return Build(out=out, bundle=out / "suqiu-station", deb=debs[0], log=log, seconds=seconds)


@pytest.fixture
def clean_room() -> Iterator[CleanRoom]:
    # not under pytest's basetemp: /tmp/pytest-of-root is 0700, the clerk could not enter it
    root = Path(tempfile.mkdtemp(prefix="suqiu-clean-"))
    user = _clerk()
    home, cwd = root / "home", root / "cwd"
    home.mkdir()
    cwd.mkdir()
    room = CleanRoom(root=root, home=home, cwd=cwd, path=_path_without_python(root / "bin"),
                     user=user)
    if user is not None:
        for p in (root, home, cwd):
            os.chown(p, user.pw_uid, user.pw_gid)
    assert shutil.which("python3", path=room.path) is None
    assert shutil.which("python", path=room.path) is None
    yield room
    shutil.rmtree(root, ignore_errors=True)
