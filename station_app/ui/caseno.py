"""Case numbers in lists and tables: never cut from the right.

Why (issue 8 C11): in large-font mode the case book showed "530921108203-2026-···"; the
serial at the end is the part that tells one case from the next, and the year comes second.
A case number that does not fit is shortened *inside its division code* instead
("5309…8203-2026-0007"), and the views size their case-number column to the whole number
for the current font.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

ELLIPSIS = "…"
# the widest case number: 12 + year + a series + 4 digits.  The series is a station number
# (n ≥ 2) or, before enrollment, a 4-letter provisional tag (docs/decisions/0004): any
# station may show another's number of that form, so columns are sized for it.
SAMPLE = "530921108203-2026-WWWW-0000"


def elide_case_no(text: str, fm: QFontMetrics, width: int) -> str:
    """``text`` fitted into ``width`` pixels: whole when it fits, else with the middle of
    the division code replaced by "…"; the year and serial are kept as long as they fit,
    and text that is no case number is shortened in its middle."""
    if fm.horizontalAdvance(text) <= width:
        return text
    division, sep, rest = text.partition("-")
    if not (sep and division.isdigit()):
        return fm.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
    tail = sep + rest
    room = width - fm.horizontalAdvance(tail)
    if room < fm.horizontalAdvance(division[0] + ELLIPSIS):
        return fm.elidedText(text, Qt.TextElideMode.ElideLeft, width)  # serial last to go
    keep = len(division) - 1
    while keep > 1:
        head, end = (keep + 1) // 2, keep // 2
        short = division[:head] + ELLIPSIS + (division[-end:] if end else "")
        if fm.horizontalAdvance(short) <= room:
            return short + tail
        keep -= 1
    return division[0] + ELLIPSIS + tail


class CaseNoDelegate(QStyledItemDelegate):
    """Paints a case-number cell with :func:`elide_case_no` instead of Qt's right elision."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = self._fitted(opt, style)
        opt.textElideMode = Qt.TextElideMode.ElideNone
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

    @staticmethod
    def _fitted(opt: QStyleOptionViewItem, style: QStyle) -> str:
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                   opt.widget) + 1
        return elide_case_no(opt.text, opt.fontMetrics, rect.width() - 2 * margin)

    def shown_text(self, view: QAbstractItemView, index: QModelIndex) -> str:
        """What :meth:`paint` puts on screen for ``index`` in ``view`` (tests, support)."""
        opt = QStyleOptionViewItem()
        opt.initFrom(view.viewport())
        opt.rect = view.visualRect(index)
        opt.widget = view
        opt.font = view.font()
        opt.fontMetrics = QFontMetrics(view.font())
        self.initStyleOption(opt, index)
        return self._fitted(opt, view.style())


def case_no_width(view: QAbstractItemView) -> int:
    """A column width that shows a whole case number in ``view``'s current font."""
    return QFontMetrics(view.font()).horizontalAdvance(SAMPLE) + 28


def use_for_column(view: QAbstractItemView, column: int) -> CaseNoDelegate:
    delegate = CaseNoDelegate(view)
    view.setItemDelegateForColumn(column, delegate)
    return delegate
