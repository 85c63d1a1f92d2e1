"""工作台: what needs attention today, in four numbers and a short list.

The clerk opens the program and sees at once how many cases are open, overdue and near their
deadline, and the most urgent ones (earliest deadline first), each openable with Enter.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.services import CaseQuery, Changes, Counts, Page

from . import UiContext, calendar_notice
from .casebook import OPEN_STATUSES
from .caseno import use_for_column
from .i18n import tr_label
from .messages import describe_exception
from .theme import urgency_colors, urgency_text

log = logging.getLogger(__name__)

URGENT_LIMIT = 12


class _Card(QFrame):
    def __init__(self, title: str, urgency: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        self.number = QLabel("–")
        self.number.setObjectName("bigNumber")
        if urgency:
            self.number.setProperty("urgency", urgency)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption = QLabel(title)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.addWidget(self.number)
        lay.addWidget(caption)


class DashboardPage(QWidget):
    open_case = Signal(str)
    new_case = Signal()
    show_casebook = Signal(str)   # "overdue" | "near" | "open" filter hint

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        title = QLabel(self.tr("工作台"))
        title.setObjectName("pageTitle")
        greet = QLabel(self.tr("%1，您好！这里是%2。").replace("%1", ctx.operator.display_name)
                       .replace("%2", ctx.station.name))
        greet.setObjectName("hint")

        self.card_open = _Card(self.tr("待处理"))
        self.card_overdue = _Card(self.tr("逾期"), "overdue")
        self.card_near = _Card(self.tr("即将到期"), "near")
        self.card_month = _Card(self.tr("本月登记"))
        cards = QGridLayout()
        for i, card in enumerate((self.card_open, self.card_overdue, self.card_near,
                                  self.card_month)):
            cards.addWidget(card, 0, i)

        self.new_button = QPushButton(self.tr("登记新诉求 (Ctrl+N)"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_case)
        self.book_button = QPushButton(self.tr("查看全部案件"))
        self.book_button.clicked.connect(lambda: self.show_casebook.emit("open"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.book_button)
        buttons.addStretch(1)

        urgent_title = QLabel(self.tr("最紧急的案件（按到期时间）"))
        urgent_title.setObjectName("sectionTitle")
        self.urgent = QTableWidget(0, 4)
        self.urgent.setHorizontalHeaderLabels([self.tr("期限"), self.tr("案件编号"),
                                               self.tr("状态"), self.tr("摘要")])
        self.urgent.verticalHeader().setVisible(False)
        self.urgent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.urgent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.urgent.setTabKeyNavigation(False)
        self.urgent.horizontalHeader().setStretchLastSection(True)
        self.urgent.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.urgent.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        use_for_column(self.urgent, 1)  # whole case numbers, in any font size
        self.urgent.cellDoubleClicked.connect(lambda r, _c: self._open_row(r))
        self.urgent.itemActivated.connect(lambda item: self._open_row(item.row()))
        self.decision = QLabel()
        self.decision.setObjectName("fieldError")
        self.decision.hide()
        self.calendar = QLabel()      # a year's holiday calendar is not loaded (issue 8)
        self.calendar.setObjectName("hint")
        self.calendar.setWordWrap(True)
        self.calendar.hide()
        self.empty = QLabel(self.tr("没有待办的案件。"))
        self.empty.setObjectName("hint")
        self.empty.hide()
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()

        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(greet)
        lay.addLayout(cards)
        lay.addLayout(buttons)
        lay.addWidget(self.decision)
        lay.addWidget(self.calendar)
        lay.addWidget(urgent_title)
        lay.addWidget(self.error)
        lay.addWidget(self.urgent, 1)
        lay.addWidget(self.empty)
        ctx.runner.changed.connect(self.on_changes)

    def on_changes(self, changes: Changes, _initiator: object) -> None:
        """Counts and the urgent list follow any case change while they are on screen
        (a hidden dashboard is refreshed when it is shown)."""
        if changes.any_case and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        services = self._ctx.services
        self._ctx.runner.submit(services.casebook.counts, self._show_counts, self._show_error,
                                owner=self)
        q = CaseQuery(statuses=OPEN_STATUSES, sort_key="due_date", descending=False,
                      limit=URGENT_LIMIT)
        self._ctx.runner.submit(lambda: services.casebook.query(q), self._show_urgent,
                                self._show_error, owner=self)

    def _show_counts(self, counts: Counts) -> None:
        self.card_open.number.setText(str(counts.open))
        self.card_overdue.number.setText(str(counts.overdue))
        self.card_near.number.setText(str(counts.near_due))
        self.card_month.number.setText(str(counts.this_month))
        self.decision.setText(
            self.tr("有 %1 件案件需要人工决定（两个站点的决定不一致），请在案件簿中查看。")
            .replace("%1", str(counts.needs_decision)))
        self.decision.setVisible(counts.needs_decision > 0)
        self.calendar.setText(calendar_notice.notice(counts.calendar_missing))
        self.calendar.setVisible(bool(counts.calendar_missing))

    def _show_urgent(self, page: Page) -> None:
        self.urgent.setRowCount(0)
        for row in page.rows:
            r = self.urgent.rowCount()
            self.urgent.insertRow(r)
            due = QTableWidgetItem(urgency_text(row.urgency, row.days_left)
                                   + (calendar_notice.mark() if row.due_missing_years else ""))
            fg, bg = urgency_colors(row.urgency)
            due.setForeground(fg)
            due.setData(Qt.ItemDataRole.UserRole, row.case_id)
            items = [due, QTableWidgetItem(row.case_no),
                     QTableWidgetItem(tr_label(row.status_label)), QTableWidgetItem(row.summary)]
            for c, item in enumerate(items):
                if row.urgency in ("overdue", "near"):
                    item.setBackground(bg)
                self.urgent.setItem(r, c, item)
        self.empty.setVisible(not page.rows)

    def _show_error(self, exc: BaseException) -> None:
        self.error.setText(describe_exception(exc))
        self.error.show()

    def _open_row(self, row: int) -> None:
        item = self.urgent.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self.open_case.emit(item.data(Qt.ItemDataRole.UserRole))
