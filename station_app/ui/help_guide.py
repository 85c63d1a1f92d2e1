"""帮助: the clerk's guide and the one-page quick card, both offline (issue 12 item 6).

The help is built from docs/ by scripts/build_guide.py into ``petition_core/resources/guide``
(GUIDE.md, the pictures it names, quick-card.html/.pdf) and travels with the wheel and the
bundle like the translations.  The guide opens in a window of its own (QTextBrowser renders
the Markdown and finds the pictures beside it); the card opens in a print preview, where the
clerk prints it or saves it as PDF with the system's printer list.  The guide is written in
Chinese; in English mode the window says so above it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from petition_core.resources import resource_path

from .i18n import translations
from .pdf_textmap import fix_text_map
from .theme import FONT_FALLBACKS, FONT_FAMILY

CARD_MARGINS_MM = (15.0, 12.0, 15.0, 12.0)


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files bare tr() under ""


def guide_dir() -> Path:
    return resource_path("guide")


def guide_file() -> Path:
    return guide_dir() / "GUIDE.md"


def card_html() -> str:
    """The card's markup, or "" when the help was not built (scripts/build_guide.py)."""
    path = guide_dir() / "quick-card.html"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def render_card(html: str, printer: QPrinter) -> int:
    """Lay the card out on A4 for ``printer`` (a real printer, a PDF, a preview) and print
    it; returns the page count (the card is made to fit one page; build_guide checks)."""
    left, top, right, bottom = CARD_MARGINS_MM
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                      QPageLayout.Orientation.Portrait,
                                      QMarginsF(left, top, right, bottom),
                                      QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)      # point sizes are real sizes on paper
    font = QFont(FONT_FAMILY)
    font.setFamilies(FONT_FALLBACKS)
    font.setPointSizeF(11.0)
    font.setFeature(QFont.Tag("locl"), 0)             # keeps text extractable (documents.py)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    page = printer.pageRect(QPrinter.Unit.DevicePixel).size()
    doc.setPageSize(QSizeF(page.width(), page.height()))
    doc.print_(printer)
    return doc.pageCount()


def write_card_pdf(html: str, path: Path) -> int:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName("诉求通 快速上手卡")
    pages = render_card(html, printer)
    fix_text_map(path)              # searchable/copyable text, like the case documents
    return pages


def _missing_text() -> str:
    return tr("使用说明没有安装在这台电脑上。请联系县里技术人员重新安装诉求通。")


class GuideWindow(QDialog):
    """The guide, offline: GUIDE.md with its pictures, scrollable, with a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用说明"))
        self.resize(980, 720)
        lay = QVBoxLayout(self)
        self.note = QLabel(self.tr("这份使用说明只有中文版。"))
        self.note.setVisible(translations().language != "zh")
        lay.addWidget(self.note)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(guide_dir())])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(guide_dir()) + "/"))
        lay.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.loaded = guide_file().is_file()
        if self.loaded:
            self.browser.setMarkdown(guide_file().read_text(encoding="utf-8"))
        else:
            self.browser.setPlainText(_missing_text())
        self.browser.setFocus()


def open_guide(parent: QWidget | None) -> GuideWindow:
    win = GuideWindow(parent)
    win.show()
    return win


def preview_card(parent: QWidget | None) -> QPrintPreviewDialog | None:
    """The card in a print preview (print, or "Save as PDF" from the printer list); None
    with a message when the help was not built."""
    html = card_html()
    if not html:
        QMessageBox.warning(parent, tr("帮助"), _missing_text())
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(tr("快速上手卡"))
    dialog.resize(900, 720)
    dialog.paintRequested.connect(lambda p: render_card(html, p))
    dialog.open()
    return dialog
