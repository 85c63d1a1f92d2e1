"""Build the UI translations: petition_core/resources/translations/suqiu_<lang>.ts → .qm.

    .venv/bin/python scripts/build_translations.py           # compile .ts → .qm (setup does it)
    .venv/bin/python scripts/build_translations.py --update  # first re-scan station_app/ui
                                                             # with lupdate (keeps translations)

The .ts files are committed (translators edit them); the .qm files are build products
(.gitignore).  Uses pyside6-lupdate / pyside6-lrelease from the same environment as Python.
Exit code 0 when every .qm was written; with --check, also fails when any English entry is
still unfinished (used by the tests).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "petition_core" / "resources" / "translations"
UI_DIR = ROOT / "station_app" / "ui"
LANGUAGES = ("en",)


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (install PySide6 into this environment)")
    return found


def update(lang: str) -> None:
    sources = sorted(str(p) for p in UI_DIR.glob("*.py"))
    ts = TS_DIR / f"suqiu_{lang}.ts"
    subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", "-source-language", "zh_CN",
                    "-target-language", lang, "-locations", "none", *sources, "-ts", str(ts)],
                   check=True, capture_output=True)


def unfinished(lang: str) -> list[str]:
    """Source texts whose translation is missing or marked unfinished."""
    tree = ET.parse(TS_DIR / f"suqiu_{lang}.ts")
    out = []
    for msg in tree.iter("message"):
        tr = msg.find("translation")
        src = msg.findtext("source") or ""
        if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or \
                not ((tr.text or "").strip() or tr.findall("numerusform")):
            if tr is None or tr.get("type") not in ("vanished", "obsolete"):
                out.append(src)
    return out


def release(lang: str) -> Path:
    ts = TS_DIR / f"suqiu_{lang}.ts"
    qm = TS_DIR / f"suqiu_{lang}.qm"
    # written beside it and renamed into place: a running app (or a test worker) that has
    # the old .qm mapped keeps reading its old file; rewriting it in place gave SIGBUS
    tmp = qm.with_name(f".{qm.name}.{os.getpid()}.tmp")
    try:
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(tmp)],
                       check=True, capture_output=True)
        os.replace(tmp, qm)
    finally:
        tmp.unlink(missing_ok=True)
    return qm


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--update", action="store_true", help="re-scan sources with lupdate first")
    ap.add_argument("--check", action="store_true", help="fail if any entry is untranslated")
    args = ap.parse_args(argv)
    rc = 0
    for lang in LANGUAGES:
        if args.update:
            update(lang)
        qm = release(lang)
        missing = unfinished(lang)
        print(f"{qm.relative_to(ROOT)}: {len(missing)} untranslated")
        if args.check and missing:
            for src in missing[:20]:
                print("  untranslated:", src)
            rc = 1
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
