"""工作队列: the workbench of a township, county or higher station (issue 9 item 4).

The queues of the station's own unit (petition_core/queues.py: 待签收, 待受理, 办理中,
即将超期, 已超期, 待审核办结, 督办中, 复查复核) in a list with their counts; the chosen queue's
cases below in the case book's table (Enter opens one).  In 已超期 and 即将超期 several cases
can be selected and urged at once (批量督办: one note, one due date; a case that cannot be
urged is reported, the others are done).  The counts of new arrivals (待签收) and of 督办
received go to the navigation item as a badge (``badges_changed``).  Village stations do
not get this page: their screens stay as they are.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from petition_core.queues import Queue
from station_app.services import BatchResult, CaseQuery, Changes, QueueCounts

from . import UiContext
from .action_base import text_edit
from .casebook import CaseTable, size_case_columns
from .casebook_model import COL_NO, CasebookModel
from .caseno import use_for_column
from .i18n import QT_TRANSLATE_NOOP
from .messages import describe_exception, error_text

log = logging.getLogger(__name__)

# the queues in the order a clerk works through them, with their names (context Workbench)
QUEUE_NAMES: tuple[tuple[str, str], ...] = (
    (Queue.INCOMING.value, QT_TRANSLATE_NOOP("Workbench", "待签收")),
    (Queue.TO_ACCEPT.value, QT_TRANSLATE_NOOP("Workbench", "待受理")),
    (Queue.IN_HAND.value, QT_TRANSLATE_NOOP("Workbench", "办理中")),
    (Queue.NEAR_DUE.value, QT_TRANSLATE_NOOP("Workbench", "即将超期")),
    (Queue.OVERDUE.value, QT_TRANSLATE_NOOP("Workbench", "已超期")),
    (Queue.REPORT_REVIEW.value, QT_TRANSLATE_NOOP("Workbench", "待审核办结")),
    (Queue.URGED.value, QT_TRANSLATE_NOOP("Workbench", "督办中")),
    (Queue.REVIEWING.value, QT_TRANSLATE_NOOP("Workbench", "复查复核")),
)
# the queues whose cases may be urged together
BATCH_QUEUES = frozenset({Queue.OVERDUE.value, Queue.NEAR_DUE.value})
QUEUE_ROLE = Qt.ItemDataRole.UserRole + 10


def queue_name(queue: str) -> str:
    text = dict(QUEUE_NAMES).get(queue, queue)
    return QCoreApplication.translate("Workbench", text)


class QueueModel(CasebookModel):
    """The case book's lazy table, its pages from one queue of this station's unit."""

    def __init__(self, services: Any, runner: Any, parent: Any = None) -> None:
        super().__init__(services, runner, parent)
        self.queue = ""

    def set_queue(self, queue: str) -> None:
        self.queue = queue
        self.reload()

    def page_call(self, q: CaseQuery):  # noqa: ANN201 - Callable[[], Page]
        queues, queue = self._services.queues, self.queue
        return lambda: queues.rows(queue, offset=q.offset, limit=q.limit)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A queue is always listed by its deadline (nearest first)."""


class BatchUrgeDialog(QDialog):
    """批量督办: one note and one due date for every selected case."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("批量督办"))
        self.note = text_edit(90)
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMinimumDate(QDate.currentDate())
        self.due.setMaximumDate(QDate.currentDate().addDays(365))
        self.due.setDate(QDate.currentDate().addDays(7))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        info = QLabel(self.tr("对选中的 %1 件案件发出督办，督办意见和限期相同。")
                      .replace("%1", str(count)))
        info.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("督办意见"), self.note)
        form.addRow(self.tr("限期办理到"), self.due)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("督办"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(info)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.note.setFocus()

    def values(self) -> tuple[str, str]:
        return self.note.toPlainText().strip(), self.due.date().toString("yyyy-MM-dd")

    def _accept(self) -> None:
        if not self.values()[0]:
            self.error.setText(self.tr("请填写督办意见。"))
            self.error.show()
            self.note.setFocus()
            return
        self.accept()


class WorkbenchPage(QWidget):
    open_case = Signal(str)
    badges_changed = Signal(int, int)     # new arrivals (待签收), 督办 received

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.counts: QueueCounts | None = None
        self.urge_dialog: BatchUrgeDialog | None = None
        title = QLabel(self.tr("工作队列"))
        title.setObjectName("pageTitle")
        hint = QLabel(self.tr("本单位要办、要审、要督的案件，按到期时间排列。按 Enter 打开案件。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        self.queue_list = QListWidget()
        self.queue_list.setObjectName("queues")
        self.queue_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for queue, _text in QUEUE_NAMES:
            item = QListWidgetItem(queue_name(queue))
            item.setData(QUEUE_ROLE, queue)
            self.queue_list.addItem(item)
        self.queue_list.currentRowChanged.connect(self._on_queue)

        self.model = QueueModel(ctx.services, ctx.runner, self)
        self.table = CaseTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        use_for_column(self.table, COL_NO)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.activated_case.connect(self.open_case)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_batch())
        self.model.failed.connect(self._show_error)
        self.model.loaded.connect(lambda *_a: self._update_batch())

        self.queue_title = QLabel()
        self.queue_title.setObjectName("sectionTitle")
        self.batch_button = QPushButton(self.tr("批量督办…"))
        self.batch_button.setToolTip(self.tr("选中几件案件（Shift 或 Ctrl 多选），一次发出督办"))
        self.batch_button.clicked.connect(self.start_batch_urge)
        self.result = QLabel()
        self.result.setObjectName("hint")
        self.result.setWordWrap(True)
        self.result.hide()
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

        top = QHBoxLayout()
        top.addWidget(self.queue_title, 1)
        top.addWidget(self.batch_button)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addWidget(self.result)
        right.addWidget(self.error)
        right.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addWidget(self.queue_list)
        body.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(hint)
        lay.addLayout(body, 1)
        ctx.runner.changed.connect(self.on_changes)
        self.queue_list.setCurrentRow(0)

    # ---- data -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """The counts (and the badges), and the chosen queue's list."""
        self.refresh_counts()
        if self.model.queue:
            self.model.reload()

    def refresh_counts(self) -> None:
        self._ctx.runner.submit(self._ctx.services.queues.counts, self._show_counts,
                                self._show_error, owner=self)

    def on_changes(self, changes: Changes, _initiator: object) -> None:
        """Badges follow every case change (the page may be hidden); the list only while
        it is on screen."""
        if not changes.any_case:
            return
        self.refresh_counts()
        if self.isVisible() and self.model.queue:
            self.model.reload()

    def _show_counts(self, counts: QueueCounts) -> None:
        self.counts = counts
        for i in range(self.queue_list.count()):
            item = self.queue_list.item(i)
            queue = item.data(QUEUE_ROLE)
            n = counts.count(queue)
            item.setText(f"{queue_name(queue)}  {n}" if n else queue_name(queue))
            font = item.font()
            font.setBold(n > 0)
            item.setFont(font)
        self._fit()
        self.badges_changed.emit(counts.new_arrivals, counts.urges_received)

    def _fit(self) -> None:
        """The queue list as wide as its longest name with its count, and the table's
        columns, for the current font and language (large font, English)."""
        need = self.queue_list.sizeHintForColumn(0) + 2 * self.queue_list.frameWidth() + 16
        self.queue_list.setFixedWidth(max(190, need))
        size_case_columns(self.table, self.model)

    def changeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange,
                            QEvent.Type.LanguageChange):
            self._fit()   # 大字模式 or the language switched while the page is on screen
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt name
        self._fit()       # the font may have changed while the page was hidden
        super().showEvent(event)

    def _show_error(self, exc: BaseException) -> None:
        self.error.setText(describe_exception(exc))
        self.error.show()

    # ---- the chosen queue -------------------------------------------------------------------
    def current_queue(self) -> str:
        item = self.queue_list.currentItem()
        return item.data(QUEUE_ROLE) if item is not None else ""

    def show_queue(self, queue: str) -> None:
        for i in range(self.queue_list.count()):
            if self.queue_list.item(i).data(QUEUE_ROLE) == queue:
                self.queue_list.setCurrentRow(i)
                return

    def _on_queue(self, _row: int) -> None:
        queue = self.current_queue()
        self.queue_title.setText(queue_name(queue))
        self.error.hide()
        self.result.hide()
        self.model.set_queue(queue)
        self._update_batch()

    def selected_case_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        out = []
        for r in rows:
            row = self.model.row_at(r)
            if row is not None:
                out.append(row.case_id)
        return out

    def _update_batch(self) -> None:
        in_batch_queue = self.current_queue() in BATCH_QUEUES
        self.batch_button.setVisible(in_batch_queue)
        self.batch_button.setEnabled(in_batch_queue and bool(self.selected_case_ids()))

    def _on_double_click(self, index: Any) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_case.emit(row.case_id)

    def focus_first(self) -> None:
        self.queue_list.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- 批量督办 -----------------------------------------------------------------------------
    def start_batch_urge(self) -> None:
        ids = self.selected_case_ids()
        if not ids or self.current_queue() not in BATCH_QUEUES:
            return
        dlg = self.urge_dialog = BatchUrgeDialog(len(ids), self)
        dlg.accepted.connect(lambda: self._urge(ids, *dlg.values()))
        dlg.open()

    def _urge(self, case_ids: list[str], note: str, due: str) -> None:
        services, op = self._ctx.services, self._ctx.operator
        self.error.hide()
        self._ctx.runner.submit(
            lambda: services.queues.urge_many(case_ids, op, note=note, due=due),
            self._urged, self._show_error, owner=self)

    def _urged(self, res: BatchResult) -> None:
        lines = [self.tr("已督办 %1 件。").replace("%1", str(len(res.done)))]
        if res.failed:
            lines.append(self.tr("%1 件未能督办：").replace("%1", str(len(res.failed))))
            lines += [f"{f.case_no or f.case_id}：{error_text(f.code, f.params)}"
                      for f in res.failed]
        self.result.setText("\n".join(lines))
        self.result.show()
        if res.failed:
            self.error.setText(lines[1])
            self.error.show()
