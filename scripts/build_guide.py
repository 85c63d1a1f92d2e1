"""Build the help the app opens offline: docs/GUIDE.md → petition_core/resources/guide/.

    .venv/bin/python scripts/build_guide.py          # setup.sh runs it, like the translations
    .venv/bin/python scripts/build_guide.py --docs   # also write docs/quick-card.pdf

The sources are committed in docs/ (GUIDE.md, the screenshots it names, quick-card.html); the
folder under resources is a build product (.gitignore) that travels in the wheel and the
bundle like the .qm files:

* ``GUIDE.md`` — the guide, unchanged (the app shows it with QTextBrowser.setMarkdown);
* ``screenshots/*.png`` — only the pictures the guide names, scaled to at most 900 px wide
  (a 1366 px screenshot does not fit the help window, and the package stays small);
* ``quick-card.html`` and ``quick-card.pdf`` — the one-page card (A4), printed from the app.

The folder is written beside its final place and renamed into it, so a running app never
reads a half-written guide.  Exit 1 with the reason when the guide names a picture that does
not exist or the card does not fit one page.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
OUT = ROOT / "petition_core" / "resources" / "guide"
MAX_WIDTH = 900
IMAGE_RE = re.compile(r"!\[[^\]]*\]\((screenshots/[A-Za-z0-9_.-]+\.png)\)")


def images(markdown: str) -> list[str]:
    """The pictures the guide names, in order, each once."""
    return list(dict.fromkeys(IMAGE_RE.findall(markdown)))


def render_card(html: str, pdf: Path) -> int:
    """The quick card as an A4 PDF, laid out exactly as the app prints it; its page count."""
    sys.path.insert(0, str(ROOT))
    from station_app.ui.help_guide import write_card_pdf

    return write_card_pdf(html, pdf)


def build(out: Path = OUT, *, docs_pdf: bool = False) -> Path:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (fonts, printer)
    guide = (DOCS / "GUIDE.md").read_text(encoding="utf-8")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "screenshots").mkdir(parents=True)
    try:
        for rel in images(guide):
            image = QImage(str(DOCS / rel))
            if image.isNull():
                raise SystemExit(f"docs/GUIDE.md names {rel}, which is missing or unreadable "
                                 "(run scripts/screenshots.py)")
            if image.width() > MAX_WIDTH:
                image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
            if not image.save(str(tmp / rel)):
                raise SystemExit(f"cannot write {tmp / rel}")
        (tmp / "GUIDE.md").write_text(guide, encoding="utf-8")
        card = (DOCS / "quick-card.html").read_text(encoding="utf-8")
        (tmp / "quick-card.html").write_text(card, encoding="utf-8")
        pages = render_card(card, tmp / "quick-card.pdf")
        if pages != 1:
            raise SystemExit(f"the quick card takes {pages} pages; it must fit one A4 page")
        if docs_pdf:
            shutil.copyfile(tmp / "quick-card.pdf", DOCS / "quick-card.pdf")
        old = out.with_name(f".{out.name}.{os.getpid()}.old")
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", action="store_true", help="also write docs/quick-card.pdf")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    print("wrote", build(Path(args.out), docs_pdf=args.docs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
