"""Check a built station bundle (PyInstaller one-folder) and report its size.

    .venv/bin/python scripts/check_bundle.py dist/suqiu-station     # exit 1: forbidden files

Fails when the bundle holds a Qt module the station does not import (WebEngine, Qml/Quick,
3D, Multimedia, Network, Svg, ...) or a Qt plugin it does not load; the rules are in
packaging/bundle_filter.py, which the PyInstaller spec uses to leave them out.  Prints the
bundle's size and file count (docs/benchmarks.md records them).
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bundle_filter():  # type: ignore[no-untyped-def]
    if "bundle_filter" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "bundle_filter", ROOT / "packaging" / "bundle_filter.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules["bundle_filter"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["bundle_filter"]


@dataclass
class BundleReport:
    files: list[str]
    size: int                                 # bytes of regular files
    forbidden: dict[str, list[str]]
    qt_modules: set[str]                      # Qt modules found (libraries and bindings)


def inspect_bundle(bundle: Path) -> BundleReport:
    bf = _bundle_filter()
    files, size, modules = [], 0, set()
    for p in sorted(bundle.rglob("*")):
        if p.is_file() and not p.is_symlink():
            rel = p.relative_to(bundle).as_posix()
            files.append(rel)
            size += p.stat().st_size
            mod = bf.qt_module_of(p.name, p.parent.name)
            if mod is not None:
                modules.add(mod)
    return BundleReport(files=files, size=size, forbidden=bf.forbidden(files),
                        qt_modules=modules)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: check_bundle.py BUNDLE_DIR", file=sys.stderr)
        return 2
    report = inspect_bundle(Path(argv[0]))
    print(f"bundle: {report.size / 2**20:.1f} MiB in {len(report.files)} files; "
          f"Qt modules: {', '.join(sorted(report.qt_modules))}")
    if report.forbidden:
        print("forbidden in the bundle (not imported by the station; see "
              "packaging/bundle_filter.py):", file=sys.stderr)
        for module, paths in sorted(report.forbidden.items()):
            print(f"  {module}: {', '.join(paths[:5])}{' …' if len(paths) > 5 else ''}",
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
