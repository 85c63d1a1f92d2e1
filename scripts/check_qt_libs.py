"""Can Qt open a window here?  Checks, with ldd, that every system library Qt's xcb platform
plugin links is found, and names the missing ones and the Debian packages to install.

    .venv/bin/python scripts/check_qt_libs.py     # exit 0: all found; 1: what is missing

Why not rely on Qt's own message: when the xcb plugin fails to load, Qt 6 says "xcb-cursor0
or libxcb-cursor0 is needed", whatever is really missing (issue 8: on a clean Debian 12 it
was libxcb-icccm4 and libxcb-keysyms1, with libxcb-cursor0 installed).

What is checked: ``PySide6/Qt/plugins/platforms/libqxcb.so``, the xcb GL integrations, the
print plugin (libcups: without it Qt lists no printer and receipts cannot be printed), the
PySide6 modules the app imports, and every Qt library inside PySide6 that these pull
(libQt6XcbQpa, libQt6Gui, ...), each with its own ldd.  The Debian packages that bring those
libraries are listed in packaging/linux/station-runtime-packages.txt (scripts/setup.sh
installs them); tests/test_qt_system_libs.py checks that list against what ldd finds.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_LIST = ROOT / "packaging" / "linux" / "station-runtime-packages.txt"
APP_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")   # what station_app imports

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


@dataclass
class Scan:
    """What the plugin and its Qt libraries link: system libraries by soname (resolved path),
    and sonames not found, each with the binaries that need it."""
    system: dict[str, Path] = field(default_factory=dict)
    missing: dict[str, set[str]] = field(default_factory=dict)
    checked: list[Path] = field(default_factory=list)


def pyside_dir() -> Path:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("PySide6 is not installed in this Python (run scripts/setup.sh)")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def targets(pyside: Path) -> list[Path]:
    qt = pyside / "Qt"
    found = [qt / "plugins" / "platforms" / "libqxcb.so",
             *sorted((qt / "plugins" / "xcbglintegrations").glob("*.so")),
             qt / "plugins" / "printsupport" / "libcupsprintersupport.so",   # printing
             *(pyside / f"{m}.abi3.so" for m in APP_MODULES)]
    for path in found:
        if not path.is_file():
            raise SystemExit(f"{path} is missing: this PySide6 is not what pyproject.toml pins")
    return found


def ldd(path: Path) -> dict[str, Path | None]:
    """soname → resolved path (None: not found), as the dynamic loader would resolve them."""
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout
    libs: dict[str, Path | None] = {}
    for line in out.splitlines():
        m = _LDD_LINE.match(line)
        if m:
            libs[m.group(1)] = None if m.group(2) == "not found" else Path(m.group(2))
    return libs


def scan(pyside: Path | None = None) -> Scan:
    pyside = pyside or pyside_dir()
    result = Scan()
    todo, done = list(targets(pyside)), set()
    while todo:
        binary = todo.pop()
        if binary in done:
            continue
        done.add(binary)
        result.checked.append(binary)
        for soname, where in ldd(binary).items():
            if where is None:
                result.missing.setdefault(soname, set()).add(binary.name)
            elif pyside in where.resolve().parents or pyside.parent in where.resolve().parents:
                todo.append(where.resolve())      # a Qt/PySide/shiboken library: check it too
            else:
                result.system[soname] = where
    return result


def read_package_list(path: Path = PACKAGE_LIST) -> list[str]:
    pkgs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            pkgs.append(word)
    return pkgs


# ---- Debian's view: which package ships a file, and what a package brings along ----------

def _dpkg_query(*args: str) -> str:
    if shutil.which("dpkg-query") is None:
        raise SystemExit("dpkg-query not found: this check needs Debian or a derivative")
    return subprocess.run(["dpkg-query", *args], capture_output=True, text=True).stdout


def owners(paths: list[Path]) -> dict[Path, str]:
    """Package that ships each library (dpkg records /lib or /usr/lib, merged /usr or not)."""
    candidates: dict[str, Path] = {}
    for p in paths:
        real = p.resolve()
        for c in (p, real, Path("/usr" + str(p)), Path(str(real).removeprefix("/usr"))):
            candidates.setdefault(str(c), p)
    found: dict[Path, str] = {}
    for line in _dpkg_query("-S", *candidates).splitlines():
        pkgs, _, file = line.partition(": ")
        if file in candidates and "diversion" not in pkgs:
            found.setdefault(candidates[file], pkgs.split(",")[0].split(":")[0].strip())
    return found


def installed_packages() -> dict[str, list[list[str]]]:
    """Installed package → its Depends/Pre-Depends as alternatives; virtual names included."""
    db: dict[str, list[list[str]]] = {}
    provides: dict[str, list[str]] = {}
    fmt = "${Package}\t${db:Status-Abbrev}\t${Depends}, ${Pre-Depends}\t${Provides}\n"
    for line in _dpkg_query("-W", "-f", fmt).splitlines():
        name, status, deps, prov = (line.split("\t") + ["", "", ""])[:4]
        if not status.startswith("ii"):
            continue
        db[name] = [[alt.split()[0].split(":")[0] for alt in clause.split("|") if alt.strip()]
                    for clause in deps.split(",") if clause.strip()]
        for v in prov.split(","):
            if v.strip():
                provides.setdefault(v.split()[0], []).append(name)
    for virtual, real in provides.items():
        db.setdefault(virtual, [real])
    return db


def closure(packages: list[str], db: dict[str, list[list[str]]]) -> set[str]:
    """The packages apt installs along with ``packages`` (as far as this machine shows)."""
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        seen.add(pkg)
        for alternatives in db.get(pkg, []):
            todo.extend(a for a in alternatives if a in db)
    return seen


def uncovered(result: Scan, packages: list[str]) -> dict[str, str | None]:
    """soname → owning package, for every library the plugin needs that ``packages`` (with
    what they depend on) do not bring; a library not found at all maps to None."""
    owner = owners(list(result.system.values()))
    brought = closure(packages, installed_packages())
    out: dict[str, str | None] = {s: None for s in result.missing}
    for soname, path in result.system.items():
        pkg = owner.get(path)
        if pkg is None or pkg not in brought:
            out[soname] = pkg
    return out


def missing_message(result: Scan, not_installed: list[str]) -> str:
    lines = ["Qt 的 xcb 平台插件缺少以下系统库，无法打开窗口 / "
             "Qt's xcb platform plugin cannot load, these system libraries are missing:"]
    lines += [f"  {soname}  (needed by {', '.join(sorted(needed_by))})"
              for soname, needed_by in sorted(result.missing.items())]
    if not_installed:
        lines.append("请安装 / install them: sudo apt-get install " + " ".join(not_installed))
        lines.append("(or run scripts/setup.sh as root or with sudo)")
    else:
        lines.append(f"every package in {PACKAGE_LIST.relative_to(ROOT)} is installed, so that "
                     "list lacks the package of the libraries above: please report them")
    return "\n".join(lines)


def not_installed(packages: list[str]) -> list[str]:
    """Those of ``packages`` that dpkg does not show as installed."""
    status = _dpkg_query("-W", "-f", "${Package}\t${db:Status-Abbrev}\n", *packages)
    installed = {ln.split("\t")[0] for ln in status.splitlines() if "\tii" in ln}
    return [p for p in packages if p not in installed]


def main() -> int:
    result = scan()
    if not result.missing:
        print(f"Qt xcb plugin: all {len(result.system)} system libraries found")
        return 0
    print(missing_message(result, not_installed(read_package_list())), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
