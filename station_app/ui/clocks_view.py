"""办理时限: the case's statutory clocks as a table, with the notices a clerk needs to trust
the dates (issue 8).

A due date counted without its year's official holiday calendar is marked （暂定） and the
tab says which year is not loaded; a 复查/复核 window whose 送达 is not recorded says it runs
from the reply's own date, so the clerk knows to record the 送达.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.services import CaseDetail

from . import calendar_notice
from .i18n import tr_label
from .theme import clock_urgency, urgency_colors, urgency_text


class ClocksView(QWidget):
    """The tree of clocks (``tree``) under a notice line (``notice``, hidden when empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notice = QLabel()
        self.notice.setObjectName("hint")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("时限"), self.tr("依据"), self.tr("到期日"),
                                   self.tr("剩余")])
        self.tree.setRootIsDecorated(False)
        # the label takes what is left; article, date (with （暂定）) and days fit their text
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.notice)
        lay.addWidget(self.tree, 1)

    def fill(self, d: CaseDetail) -> None:
        self.tree.clear()
        missing: set[int] = set()
        served_missing = False
        for c in d.clocks:
            urgency = clock_urgency(c.state)
            label, due = tr_label(c.label), c.due or "—"
            if c.missing_years:
                missing.update(c.missing_years)
                due += calendar_notice.mark()
            if c.served_missing:
                served_missing = True
                label += self.tr("（%1）").replace("%1", calendar_notice.served_missing())
            item = QTreeWidgetItem([label, c.article, due, urgency_text(urgency, c.days_left)])
            item.setToolTip(0, label)          # a narrow window (English, large font) cuts it
            if c.missing_years:
                item.setToolTip(2, calendar_notice.notice(c.missing_years))
            fg, bg = urgency_colors(urgency)
            item.setForeground(3, fg)
            if urgency in ("overdue", "near"):
                for col in range(4):
                    item.setBackground(col, bg)
            self.tree.addTopLevelItem(item)
        lines = []
        if missing:
            lines.append(calendar_notice.notice(missing))
        if served_missing:
            lines.append(self.tr("复查、复核期限：%1；收到送达回证后请点“记录送达”。")
                         .replace("%1", calendar_notice.served_missing()))
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))
