"""Wrap the station's PyInstaller bundle in a .deb for Debian 12+, Ubuntu 22.04+, UOS, Kylin.

    .venv/bin/python scripts/make_deb.py BUNDLE_DIR ICONS_DIR OUT_DIR

scripts/package.sh runs it after PyInstaller and scripts/render_icons.py.  The package
installs (all root-owned, nothing writable):

    /opt/suqiu-station/                      the bundle (read-only; the app never writes here)
    /usr/bin/suqiu-station                   relative symlink to it
    /usr/share/applications/suqiu-station.desktop
    /usr/share/icons/hicolor/<N>x<N>/apps/suqiu-station.png, scalable/apps/suqiu-station.svg
    /usr/share/doc/suqiu-station/copyright

Each user's data lives in ~/.local/share/suqiu (platformdirs; ``--data-dir`` or
SUQIU_DATA_DIR to move it), never under /opt; removing the package leaves it alone.

Depends: packaging/linux/station-runtime-packages.txt (the system libraries the bundle does
not carry, see packaging/bundle_filter.py), with the names later releases renamed as
alternatives, plus ``libc6 (>= X)`` and ``libstdc++6 (>= Y)`` read off the bundle's own
binaries (the newest GLIBC_ / GLIBCXX_ symbol version any of them needs), so that apt
refuses a system too old to run it instead of installing a program that cannot start.
Compressed with xz (level 1, see XZ_LEVEL), which every dpkg reads (zstd needs dpkg 1.21.18+).
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "suqiu-station"
PACKAGE_LIST = ROOT / "packaging" / "linux" / "station-runtime-packages.txt"
DESKTOP = ROOT / "packaging" / "linux" / "suqiu-station.desktop"
INSTALL_DIR = Path("opt") / PACKAGE

# a later name of the same library (64-bit time_t transition, Debian 13 / Ubuntu 24.04), or
# another CJK font that UOS / Kylin ship: "a | b" lets apt take whichever is there
ALTERNATIVES = {
    "libglib2.0-0": ["libglib2.0-0t64"],
    "libcups2": ["libcups2t64"],
    "fonts-noto-cjk": ["fonts-wqy-microhei", "fonts-wqy-zenhei"],
}
# libstdc++ symbol version → the GCC release that first shipped it (libstdc++6's version)
GLIBCXX_GCC = {25: "8", 26: "9", 27: "9.2", 28: "9.3", 29: "11", 30: "12", 31: "13", 32: "13.2",
               33: "14", 34: "15"}

# xz -1, not dpkg's default -6: on the shared 2-core build machine -6 took ~7 minutes for a
# 56 MB .deb of the 186 MB (unstripped) bundle, -1 a third of that for 64 MB
XZ_LEVEL = 1

_SYMVER = re.compile(r"\b(GLIBC|GLIBCXX)_(\d+(?:\.\d+)+)\b")


def read_packages(path: Path = PACKAGE_LIST) -> list[str]:
    return [w for w in (ln.split("#", 1)[0].strip()
                        for ln in path.read_text(encoding="utf-8").splitlines()) if w]


def _ver(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def symbol_floor(objdump_outputs: list[str]) -> tuple[str | None, str | None]:
    """Newest GLIBC_ and GLIBCXX_ versions named in ``objdump -T`` outputs."""
    best: dict[str, tuple[int, ...]] = {}
    for out in objdump_outputs:
        for kind, ver in _SYMVER.findall(out):
            if _ver(ver) > best.get(kind, ()):
                best[kind] = _ver(ver)
    as_text = {k: ".".join(map(str, v)) for k, v in best.items()}
    return as_text.get("GLIBC"), as_text.get("GLIBCXX")


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def bundle_floor(bundle: Path) -> tuple[str | None, str | None]:
    outs = []
    for p in sorted(bundle.rglob("*")):
        if p.is_file() and not p.is_symlink() and is_elf(p):
            outs.append(subprocess.run(["objdump", "-T", str(p)], capture_output=True,
                                       text=True).stdout)
    return symbol_floor(outs)


def depends(packages: list[str], glibc: str | None, glibcxx: str | None) -> list[str]:
    """The Depends clauses, in the list's order, then libc6 / libstdc++6 floors."""
    out: list[str] = []
    versioned = {}
    if glibc:
        versioned["libc6"] = f"libc6 (>= {glibc})"
    if glibcxx:
        minor = int(glibcxx.split(".")[-1]) if glibcxx.startswith("3.4.") else 0
        gcc = GLIBCXX_GCC.get(minor)
        if gcc is None and minor > max(GLIBCXX_GCC):
            raise SystemExit(f"GLIBCXX_{glibcxx} is newer than make_deb.py knows: add it")
        if gcc:
            versioned["libstdc++6"] = f"libstdc++6 (>= {gcc})"
    for pkg in packages:
        if pkg in versioned:
            out.append(versioned.pop(pkg))
        else:
            out.append(" | ".join([pkg, *ALTERNATIVES.get(pkg, [])]))
    out += versioned.values()
    return out


def project_version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["version"]


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _normalise_modes(tree: Path) -> None:
    """Directories 0755, executables 0755, other files 0644 (whatever the umask was)."""
    for dirpath, _dirnames, filenames in os.walk(tree):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                continue
            mode = p.stat().st_mode
            os.chmod(p, 0o755 if mode & stat.S_IXUSR else 0o644)


CONTROL = """Package: {package}
Version: {version}
Architecture: {arch}
Maintainer: Suqiu project <suqiu@localhost>
Installed-Size: {size}
Depends: {depends}
Section: misc
Priority: optional
Description: 诉求通 Suqiu station: petitions and complaints, offline
 The desktop program of a village or township 群众诉求 station: registers
 walk-in complaints, prints receipts, follows each case against its deadlines
 and syncs with the county server, with or without a network.
 .
 Data lives in each user's ~/.local/share/suqiu; removing the package keeps it.
"""

MAINTSCRIPT = """#!/bin/sh
# refresh the menu and icon caches where the desktop has them; never fail the install
set -e
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
"""

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: suqiu
Comment: The station program of 诉求通 Suqiu, with the Python runtime, Qt 6 (LGPL-3.0,
 through PySide6) and the Python libraries it uses (see docs/dependencies.md of the
 source), bundled by PyInstaller.
"""


def build_deb(bundle: Path, icons: Path, out: Path, *, version: str | None = None,
              arch: str | None = None) -> Path:
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"{bundle}/{PACKAGE} missing: build the bundle first")
    version = version or project_version()
    arch = arch or architecture()
    stage = out / f"{PACKAGE}_deb_root"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / INSTALL_DIR, symlinks=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PACKAGE).symlink_to(Path("..", "..", INSTALL_DIR, PACKAGE))
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copyfile(DESKTOP, apps / DESKTOP.name)
    shutil.copytree(icons / "hicolor", stage / "usr" / "share" / "icons" / "hicolor")
    doc = stage / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    _normalise_modes(stage)
    size_kib = sum(p.stat().st_size for p in stage.rglob("*")
                   if p.is_file() and not p.is_symlink()) // 1024 + 1
    glibc, glibcxx = bundle_floor(bundle)
    control_dir = stage / "DEBIAN"
    control_dir.mkdir()
    (control_dir / "control").write_text(CONTROL.format(
        package=PACKAGE, version=version, arch=arch, size=size_kib,
        depends=", ".join(depends(read_packages(), glibc, glibcxx))), encoding="utf-8")
    for name in ("postinst", "postrm"):
        (control_dir / name).write_text(MAINTSCRIPT, encoding="utf-8")
        os.chmod(control_dir / name, 0o755)
    os.chmod(control_dir, 0o755)
    deb = out / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{XZ_LEVEL}", "--build",
                    str(stage), str(deb)], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(stage)
    return deb


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: make_deb.py BUNDLE_DIR ICONS_DIR OUT_DIR", file=sys.stderr)
        return 2
    for tool in ("dpkg-deb", "objdump"):
        if shutil.which(tool) is None:
            print(f"{tool} not found (install dpkg-dev / binutils)", file=sys.stderr)
            return 1
    deb = build_deb(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
