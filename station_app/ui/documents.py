"""Printed documents: 登记回执, 受理告知书, 不予受理告知书, 督办单, 处理意见书 (to a printer or
a PDF).

Why this shape:
* The data comes from ``services.documents`` as plain dataclasses (ReceiptData, …); this
  module only lays it out, so what the petitioner is told is decided in one place (services).
* Layout is a QTextDocument whose layout device is the QPrinter itself: sizes are real
  millimetres at any printer resolution, and one code path serves A4 sheets and the narrow
  thermal rolls (80 mm / 58 mm) village stations use.  A roll has no fixed height: the page
  is made exactly as tall as the text, so the printer cuts once.
* Font "Noto Sans CJK SC" is embedded in the PDF (Qt embeds every font it draws with).  The
  OpenType ``locl`` feature is switched off: with it, Qt substitutes Latin digit glyphs that
  its PDF ToUnicode map cannot name, and the digits of a query code such as ``K7M3Q9`` would
  print but could not be searched or copied from the PDF.  Codes use the monospaced
  "Noto Sans Mono CJK SC" so 5/S and 8/B are easy to tell apart when read aloud.
* After writing, the PDF's ToUnicode maps are corrected in place (``fix_text_map``): Noto
  CJK shares glyphs between 户/戶/⼾, and Qt names the lowest code point.

API: ``render_pdf(services, kind, case_id, path, paper='a4')`` and
``print_document(parent, services, kind, case_id)``; the pieces (``load_document``,
``document_html``, ``render_to_printer``, ``write_pdf``) let the UI fetch the data off the
GUI thread; ``DocumentActions`` is the 打印 / 保存PDF button row any screen can embed.
"""
from __future__ import annotations

import html
import logging
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, Signal
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from station_app.services.types import (
    AcceptanceNoticeData,
    NonAcceptanceNoticeData,
    ReceiptData,
    ReplyData,
    UrgeSheetData,
)

from . import calendar_notice
from .messages import describe_exception
from .pdf_textmap import fix_text_map  # noqa: F401  (documents.fix_text_map in tests)
from .theme import FONT_FALLBACKS, FONT_FAMILY, MONO_FAMILY
from .wording import ask_save_path

log = logging.getLogger(__name__)


KINDS = ("receipt", "acceptance", "non_acceptance", "urge_sheet", "reply")
PAPERS = ("a4", "80mm", "58mm")
# paper -> (width mm, margin mm, base font pt)
_PAPER_SPEC = {"a4": (210.0, 20.0, 11.0), "80mm": (80.0, 4.0, 9.0), "58mm": (58.0, 2.5, 7.5)}
_MM_PER_INCH = 25.4

DocData = (ReceiptData | AcceptanceNoticeData | NonAcceptanceNoticeData | UrgeSheetData
           | ReplyData)


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files bare tr() under ""


def kind_title(kind: str) -> str:
    """The document's printed title (also used for buttons and file names)."""
    titles = {
        "receipt": tr("群众诉求登记回执"),
        "acceptance": tr("受理告知书"),
        "non_acceptance": tr("不予受理告知书"),
        "urge_sheet": tr("督办单"),
        "reply": tr("处理意见书"),
    }
    if kind not in titles:
        raise ValueError(f"unknown document kind: {kind!r}")
    return titles[kind]


def load_document(services: Any, kind: str, case_id: str) -> DocData:
    """Fetch the document data from the services (may run on the runner's worker thread)."""
    docs = services.documents
    if kind == "receipt":
        return docs.receipt_data(case_id)
    if kind == "acceptance":
        return docs.acceptance_notice_data(case_id)
    if kind == "non_acceptance":
        return docs.non_acceptance_notice_data(case_id)
    if kind == "urge_sheet":
        return docs.urge_sheet_data(case_id)
    if kind == "reply":
        return docs.reply_data(case_id)
    raise ValueError(f"unknown document kind: {kind!r}")


# ---- formatting ---------------------------------------------------------------------------
def fmt_datetime(value: str | None) -> str:
    """ISO timestamp → ``2026年11月28日 14:05`` (the local time the station recorded)."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return value
    return tr("{y}年{m}月{d}日 {hm}").format(y=dt.year, m=dt.month, d=dt.day,
                                            hm=dt.strftime("%H:%M"))


def fmt_date(value: str | None) -> str:
    """ISO date (or timestamp) → ``2026年12月13日``."""
    if not value:
        return ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return tr("{y}年{m}月{d}日").format(y=d.year, m=d.month, d=d.day)


def _e(text: Any) -> str:
    """Escape for HTML and keep the clerk's line breaks."""
    return html.escape(str(text or "")).replace("\n", "<br/>")


def _code(text: str, big: bool = False) -> str:
    size = "font-size:16pt; " if big else ""
    return (f"<span style=\"font-family:'{MONO_FAMILY}', 'Consolas', monospace; {size}"
            f"font-weight:bold\">"
            f"{_e(text)}</span>")


def _rows(pairs: list[tuple[str, str]]) -> str:
    """Label/value lines; values already escaped."""
    out = []
    for label, value in pairs:
        if value:
            out.append(f"<p style='margin:0 0 3px 0'><b>{_e(label)}：</b>{value}</p>")
    return "".join(out)


# ---- HTML of each document -------------------------------------------------------------------
def document_html(kind: str, data: DocData) -> str:
    """The document as HTML for QTextDocument (simple markup: it must fit a 58 mm roll)."""
    title = kind_title(kind)
    head = (f"<p align='center' style='margin:0'>{_e(data.station_name)}</p>"
            f"<h2 align='center' style='margin:2px 0 8px 0'>{_e(title)}</h2>")
    if isinstance(data, ReceiptData):
        body = _receipt_body(data)
    elif isinstance(data, AcceptanceNoticeData):
        body = _acceptance_body(data)
    elif isinstance(data, NonAcceptanceNoticeData):
        body = _non_acceptance_body(data)
    elif isinstance(data, UrgeSheetData):
        body = _urge_body(data)
    elif isinstance(data, ReplyData):
        body = _reply_body(data)
    else:
        raise TypeError(f"not document data: {type(data).__name__}")
    foot = (f"<hr/><p style='margin:0'>{_e(data.contact)}</p>"
            f"<p align='right' style='margin:4px 0 0 0'>{_e(data.station_name)}<br/>"
            f"{_e(tr('打印时间'))}：{_e(fmt_datetime(data.printed_at))}</p>")
    return f"<html><body>{head}{body}{foot}</body></html>"


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")  # not inside a case no.


def _next_steps(text: str) -> str:
    """What happens next and by when, as the services word it (they know, e.g., that an
    anonymous reporter is promised no reply); ISO dates become 2026年12月13日."""
    readable = _ISO_DATE.sub(lambda m: fmt_date(m.group(1)), text or "")
    return f"<p style='margin:6px 0'><b>{_e(tr('后续办理'))}：</b>{_e(readable)}</p>"


def _codes(case_no: str, query_code: str) -> str:
    """Each code in a paragraph of its own: after a Chinese label in the same paragraph,
    Qt splits a code like ``3MJ2XA`` into two script runs and PDF text tools read it as
    "3" and "MJ2XA" on separate lines.  No query code row at a station that did not
    register the case: only the registering station has the clear code (decision 0011)."""
    out = []
    for label, code, big in ((tr("案件编号"), case_no, False),
                             (tr("查询码"), query_code, True)):
        if not code:
            continue
        out.append(f"<p style='margin:0'><b>{_e(label)}：</b></p>"
                   f"<p style='margin:0 0 4px 0'>{_code(code, big)}</p>")
    return "".join(out)


def _receipt_body(d: ReceiptData) -> str:
    pairs = [
        (tr("登记时间"), _e(fmt_datetime(d.received_at))),
        (tr("反映人"), _e(d.petitioner_display)),
        (tr("反映方式"), _e(d.channel_label)),
        (tr("诉求类别"), _e(d.category_label)),
        (tr("诉求摘要"), _e(d.summary)),
        (tr("登记人"), _e(d.clerk)),
        (tr("登记单位"), _e(d.station_division_name)),
    ]
    keep = tr("请妥善保管本回执。凭案件编号和查询码，可到本站或通过上级诉求中心查询办理进展。")
    return (_codes(d.case_no, d.query_code) + _rows(pairs) + _next_steps(d.next_steps)
            + _calendar_note(d.calendar_missing) + f"<p style='margin:6px 0'>{_e(keep)}</p>")


def _calendar_note(years: tuple[int, ...]) -> str:
    """Said under a printed deadline counted without its year's holiday calendar."""
    note = calendar_notice.printed_note(years)
    return f"<p style='margin:4px 0'>{_e(note)}</p>" if note else ""


def _acceptance_body(d: AcceptanceNoticeData) -> str:
    text = tr("{who}：您于{received}反映的“{summary}”一事，本站已于{accepted}依法受理，"
               "由{unit}负责办理。").format(
        who=d.petitioner_display, received=fmt_datetime(d.received_at), summary=d.summary,
        accepted=fmt_date(d.accepted_at), unit=d.handling_unit or d.station_name)
    due = ""
    if d.conclude_by:
        due = tr("办理机关将于{date}前办结并出具书面处理意见（《信访工作条例》第三十四条）。"
                  ).format(date=fmt_date(d.conclude_by))
    return (_codes(d.case_no, d.query_code)
            + f"<p style='margin:6px 0'>{_e(text)}{_e(due)}</p>"
            + _next_steps(d.next_steps) + _calendar_note(d.calendar_missing))


def _non_acceptance_body(d: NonAcceptanceNoticeData) -> str:
    text = tr("{who}：您于{received}反映的“{summary}”一事，经审查，本站于{declined}决定不予受理。"
               ).format(who=d.petitioner_display, received=fmt_datetime(d.received_at),
                        summary=d.summary, declined=fmt_date(d.declined_at))
    pairs = [
        (tr("不予受理理由"), _e(d.reason)),
        (tr("请向以下渠道反映"), _e(d.other_channel)),
    ]
    return (_codes(d.case_no, d.query_code) + f"<p style='margin:6px 0'>{_e(text)}</p>"
            + _rows(pairs)
            + _next_steps(d.next_steps))


def _urge_body(d: UrgeSheetData) -> str:
    text = tr("{unit}：{received}登记的“{summary}”一事，现予督办（第{n}次），"
               "请抓紧办理，按期办结并报告办理结果。").format(
        unit=d.handling_unit, received=fmt_datetime(d.received_at), summary=d.summary,
        n=d.urge_count)
    pairs = [
        (tr("督办时间"), _e(fmt_datetime(d.urged_at))),
        (tr("督办意见"), _e(d.note)),
        (tr("请于以下日期前办理并报告"), _e(fmt_date(d.due))),
        (tr("法定办结期限"), _e(fmt_date(d.conclude_by))),
    ]
    return (f"<p style='margin:0'><b>{_e(tr('案件编号'))}：</b></p>"
            f"<p style='margin:0 0 4px 0'>{_code(d.case_no)}</p>"
            f"<p style='margin:6px 0'>{_e(text)}</p>" + _rows(pairs)
            + f"<p style='margin:6px 0'>{_e(tr('督办单位'))}：{_e(d.station_name)}</p>")


def _reply_body(d: ReplyData) -> str:
    text = tr("{who}：您于{received}反映的“{summary}”一事，经{unit}办理，现答复如下。").format(
        who=d.petitioner_display, received=fmt_datetime(d.received_at), summary=d.summary,
        unit=d.handling_unit)
    outcome = tr("办结未解决") if d.unresolved else tr("已办结")
    pairs = [
        (tr("您的诉求"), _e(d.demands)),
        (tr("办理结果"), _e(f"{d.result}（{outcome}）")),
        (tr("处理意见"), _e(d.opinion)),
        (tr("办结日期"), _e(fmt_date(d.concluded_at))),
    ]
    return (_codes(d.case_no, d.query_code) + f"<p style='margin:6px 0'>{_e(text)}</p>"
            + _rows(pairs) + _next_steps(d.next_steps))


# ---- rendering ----------------------------------------------------------------------------
def _base_font(paper: str) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setFamilies(FONT_FALLBACKS)  # a PC without Noto still prints Chinese (YaHei …)
    font.setPointSizeF(_PAPER_SPEC[paper][2])
    font.setFeature(QFont.Tag("locl"), 0)  # see module docstring: keeps digits extractable
    return font


def render_to_printer(kind: str, data: DocData, printer: QPrinter, paper: str = "a4") -> int:
    """Lay the document out for ``printer`` and print it; return the number of pages.

    For rolls the page height is set to the laid-out text height (continuous paper)."""
    if paper not in _PAPER_SPEC:
        raise ValueError(f"unknown paper: {paper!r} (use one of {PAPERS})")
    width_mm, margin_mm, _pt = _PAPER_SPEC[paper]
    margins = QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm)
    if paper == "a4":
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                          QPageLayout.Orientation.Portrait, margins,
                                          QPageLayout.Unit.Millimeter))
    else:  # provisional height; fixed below once the text is laid out
        _set_roll(printer, width_mm, 200.0, margins)

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)  # sizes in printer pixels = real mm
    doc.setDefaultFont(_base_font(paper))
    doc.setDocumentMargin(0)
    doc.setHtml(document_html(kind, data))
    # Qt rounds page sizes to whole points: lay out at the printable width it really uses.
    doc.setTextWidth(printer.pageRect(QPrinter.Unit.DevicePixel).width())
    if paper != "a4":
        px_per_mm = printer.resolution() / _MM_PER_INCH
        height_mm = doc.size().height() / px_per_mm + 2 * margin_mm + 2.0
        _set_roll(printer, width_mm, height_mm, margins)
    page = printer.pageRect(QPrinter.Unit.DevicePixel).size()
    doc.setPageSize(QSizeF(page.width(), page.height()))
    doc.print_(printer)
    return doc.pageCount()


def _set_roll(printer: QPrinter, width_mm: float, height_mm: float, margins: QMarginsF) -> None:
    size = QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter,
                     f"roll{int(width_mm)}", QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, margins,
                                      QPageLayout.Unit.Millimeter))


def write_pdf(kind: str, data: DocData, path: str | Path, paper: str = "a4") -> Path:
    """Write already-loaded document data to a PDF file; return the path."""
    out = Path(path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setCreator("Suqiu")
    printer.setDocName(kind_title(kind))
    printer.setFontEmbeddingEnabled(True)
    render_to_printer(kind, data, printer, paper)
    if not out.exists():
        raise OSError(f"PDF not written: {out.name}")
    fix_text_map(out)
    log.info("document %s written as PDF (%s)", kind, paper)
    return out


def render_pdf(services: Any, kind: str, case_id: str, path: str | Path,
               paper: str = "a4") -> Path:
    """Load the document for ``case_id`` from the services and write it as a PDF."""
    if paper not in _PAPER_SPEC:
        raise ValueError(f"unknown paper: {paper!r} (use one of {PAPERS})")
    return write_pdf(kind, load_document(services, kind, case_id), path, paper)


def print_with_dialog(parent: QWidget | None, kind: str, data: DocData,
                      paper: str = "a4") -> bool:
    """Ask for a printer (QPrintDialog) and print; False when the clerk cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(kind_title(kind))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("打印{title}").format(title=kind_title(kind)))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render_to_printer(kind, data, printer, paper)
    log.info("document %s sent to printer", kind)
    return True


def print_document(parent: QWidget | None, services: Any, kind: str, case_id: str,
                   paper: str = "a4") -> bool:
    """Load the document and print it through the system print dialog."""
    return print_with_dialog(parent, kind, load_document(services, kind, case_id), paper)


class DocumentActions(QWidget):
    """打印 / 保存PDF buttons with a paper choice, for one document kind of one case.

    Used by the intake success panel (receipt) and usable by any case screen.  The data is
    loaded on the runner; layout and printing happen on the GUI thread (QTextDocument)."""

    saved = Signal(str)      # path of a written PDF
    failed = Signal(str)     # Chinese message

    def __init__(self, services: Any, runner: Any, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kind_title(kind)  # validates kind
        self._services, self._runner, self.kind = services, runner, kind
        self.case_id = ""
        self.case_no = ""
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.paper_box = QComboBox()
        for paper, label in (("a4", tr("A4纸")), ("80mm", tr("80毫米小票")),
                             ("58mm", tr("58毫米小票"))):
            self.paper_box.addItem(label, paper)
        name = kind_title(kind).replace("群众诉求", "")
        self.print_button = QPushButton(tr("打印{name}").format(name=name))
        self.print_button.setObjectName("primary")
        self.pdf_button = QPushButton(tr("保存{name}PDF").format(name=name))
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(QLabel(tr("纸张")))
        lay.addWidget(self.paper_box)
        lay.addWidget(self.print_button)
        lay.addWidget(self.pdf_button)
        lay.addWidget(self.message, 1)
        self.print_button.clicked.connect(self.print_now)
        self.pdf_button.clicked.connect(self._choose_pdf)

    def set_case(self, case_id: str, case_no: str) -> None:
        self.case_id, self.case_no = case_id, case_no
        self.message.clear()

    def paper(self) -> str:
        return str(self.paper_box.currentData())

    def save_pdf(self, path: str | Path, paper: str | None = None) -> None:
        """Load the data (runner), write the PDF (GUI thread), then emit ``saved``."""
        paper = paper or self.paper()

        def write(data: DocData) -> None:
            try:
                write_pdf(self.kind, data, path, paper)
            except OSError:
                log.exception("PDF could not be written")
                self._fail(tr("PDF没有保存：文件夹不能写入，请换一个位置。"))
                return
            self.message.setStyleSheet("")
            self.message.setText(tr("已保存到 {path}").format(path=str(path)))
            self.saved.emit(str(path))

        self._load(write)

    def print_now(self) -> None:
        paper = self.paper()
        self._load(lambda data: print_with_dialog(self, self.kind, data, paper))

    def _choose_pdf(self) -> None:
        name = f"{kind_title(self.kind)}-{self.case_no or 'case'}.pdf"
        path = ask_save_path(self, tr("保存PDF"), name, "PDF (*.pdf)")
        if path:
            self.save_pdf(path)

    def _load(self, then: Any) -> None:
        if not self.case_id:
            return
        services, kind, case_id = self._services, self.kind, self.case_id
        self._runner.submit(lambda: load_document(services, kind, case_id), on_done=then,
                            on_error=lambda exc: self._fail(describe_exception(exc)), owner=self)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#b71c1c;")
        self.failed.emit(text)
