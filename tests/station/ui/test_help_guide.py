"""帮助: the guide and the quick card open offline from the app (issue 12 item 6), and the
words they quote are the app's own words (a renamed button makes this fail, not the guide
quietly stale)."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialogButtonBox

from station_app.ui import help_guide

ROOT = Path(__file__).resolve().parents[3]
QUOTED = re.compile(r"“([^”]+)”")
# quoted words that are not UI labels: an example of what to type
NOT_LABELS = {"鹿鸣"}


def _ui_sources() -> list[str]:
    tree = ET.parse(ROOT / "petition_core/resources/translations/suqiu_en.ts")
    return [s.text or "" for s in tree.iter("source")]


@pytest.mark.parametrize("doc", ["GUIDE.md", "quick-card.html"])
def test_every_quoted_label_is_a_word_the_app_shows(doc):
    sources = _ui_sources()
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    quoted = [q for q in QUOTED.findall(text) if q not in NOT_LABELS]
    assert len(quoted) >= 15
    missing = [part for q in quoted for part in q.split(" → ") if not _shown(part, sources)]
    assert missing == []


def _shown(label: str, sources: list[str]) -> bool:
    """A UI text contains the label, or a template does ("打印{name}") with a fill that is
    itself one of the app's texts ("登记回执")."""
    if any(label in s for s in sources):
        return True
    for s in sources:
        if "{" not in s:
            continue
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "(.+)", re.escape(s))
        m = re.fullmatch(pattern, label)
        if m and all(any(fill in t for t in sources if t != s) for fill in m.groups()):
            return True
    return False


def test_the_guide_names_only_pictures_that_exist_and_the_build_ships_them(tmp_path):
    out = tmp_path / "guide"
    subprocess.run([sys.executable, str(ROOT / "scripts/build_guide.py"), "--out", str(out)],
                   check=True, capture_output=True, env={"QT_QPA_PLATFORM": "offscreen",
                                                         "PATH": "/usr/bin:/bin"})
    named = re.findall(r"\]\((screenshots/[^)]+)\)", (ROOT / "docs/GUIDE.md").read_text("utf-8"))
    assert len(named) >= 8
    for rel in named:
        assert (out / rel).is_file(), rel
    assert (out / "GUIDE.md").read_bytes() == (ROOT / "docs/GUIDE.md").read_bytes()
    pdf = out / "quick-card.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    assert "A4" in info.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("快速上", "导出数据包", "打印登记回执", "大字模式"):
        assert words in text


def _build_copy(tmp_path, guide: str, card: str) -> subprocess.CompletedProcess:
    """Run a copy of build_guide.py (it reads the docs/ beside it) over our own docs/; the
    copy imports the app's card renderer from this checkout."""
    (tmp_path / "scripts").mkdir()
    script = (ROOT / "scripts/build_guide.py").read_text(encoding="utf-8")
    script = script.replace('sys.path.insert(0, str(ROOT))', f'sys.path.insert(0, {str(ROOT)!r})')
    (tmp_path / "scripts/build_guide.py").write_text(script, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/GUIDE.md").write_text(guide, encoding="utf-8")
    (tmp_path / "docs/quick-card.html").write_text(card, encoding="utf-8")
    return subprocess.run([sys.executable, str(tmp_path / "scripts/build_guide.py"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})


def test_a_guide_naming_a_missing_picture_is_refused(tmp_path):
    run = _build_copy(tmp_path, "![x](screenshots/nope.png)\n", "<p>x</p>")
    assert run.returncode != 0
    assert "screenshots/nope.png" in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_card_longer_than_one_page_is_refused(tmp_path):
    run = _build_copy(tmp_path, "# 说明\n", "<p>" + "登记、回执、同步。" * 40 + "</p>" * 1
                      + "<p>行</p>" * 120)
    assert run.returncode != 0
    assert "one A4 page" in run.stderr
    assert not (tmp_path / "out").exists()


def test_f1_twice_keeps_one_guide(main_window, qtbot):
    main_window.help_actions["guide"].trigger()
    first = main_window.guide_window
    qtbot.waitExposed(first)
    main_window.help_actions["guide"].trigger()
    assert main_window.guide_window is first
    first.close()


def test_f1_opens_the_guide_with_its_pictures(main_window, qtbot):
    window = main_window
    assert window.help_actions["guide"].shortcut().toString() == "F1"
    window.help_actions["guide"].trigger()
    guide = window.guide_window
    qtbot.waitExposed(guide)
    assert guide.loaded
    doc = guide.browser.document()
    assert "登记群众诉求" in doc.toPlainText()
    assert "打印回执" in doc.toPlainText()
    pictures = re.findall(r"\]\((screenshots/[^)]+)\)", help_guide.guide_file().read_text("utf-8"))
    for rel in pictures:
        image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(rel))
        assert image is not None and not image.isNull(), rel
    assert not guide.note.isVisible()        # Chinese UI: no "Chinese only" note
    # (Esc is tried under Xvfb with a window manager: offscreen, the dialog never becomes
    # the active window, so the main window's Esc shortcut takes the key)
    close = guide.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "关闭"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not guide.isVisible()


def test_the_card_previews_and_prints_one_a4_page(main_window, qtbot, tmp_path):
    main_window.help_actions["card"].trigger()
    preview = main_window.card_preview
    assert preview is not None
    qtbot.waitExposed(preview)
    preview.close()
    pages = help_guide.write_card_pdf(help_guide.card_html(), tmp_path / "card.pdf")
    assert pages == 1
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "again.pdf"))
    assert help_guide.render_card(help_guide.card_html(), printer) == 1
    assert (tmp_path / "again.pdf").stat().st_size > 10_000     # the CJK font is embedded


def test_without_the_built_help_the_clerk_is_told_and_nothing_breaks(
        main_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SUQIU_RESOURCES", str(tmp_path))      # a resources folder without it
    main_window.help_actions["guide"].trigger()
    guide = main_window.guide_window
    assert not guide.loaded
    assert "没有安装" in guide.browser.toPlainText()
    guide.close()
