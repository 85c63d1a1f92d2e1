"""案件簿: find any case fast — search, filters, sortable columns, overdue rows highlighted.

Every change of a filter restarts a short debounce timer; when it fires one query goes to
the runner (typing "张三" does not send four queries).  Enter or double-click opens the
case detail through the ``open_case`` signal (the main window decides where it shows).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractItemModel, QDate, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from petition_core.enums import Category, Channel, Status
from station_app.services import CaseQuery, Changes

from . import UiContext
from .casebook_model import (
    CASE_ID_ROLE,
    COL_CATEGORY,
    COL_CHANNEL,
    COL_DUE,
    COL_NO,
    COL_PERSON,
    COL_RECEIVED,
    COL_STATUS,
    CasebookModel,
)
from .caseno import case_no_width, use_for_column
from .i18n import enum_label, tr_label
from .messages import describe_exception
from .theme import urgency_text

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
OPEN_STATUSES = (Status.REGISTERED.value, Status.ACCEPTED.value, Status.TRANSFERRED.value,
                 Status.ASSIGNED.value, Status.REVIEWING.value)


def size_case_columns(table: QTableView, model: QAbstractItemModel) -> None:
    """Column widths of a case table (the case book, the workbench's queues) from the
    current font and language, so large-font mode does not cut case numbers and English
    does not cut "10 days overdue"; a cell that is still too long shows its whole text as
    a tooltip."""
    fm = table.fontMetrics()
    samples = {
        COL_DUE: [urgency_text("overdue", -888), urgency_text("near", 88),
                  urgency_text("ok", 0), urgency_text("done_late", None)],
        COL_NO: ["530921108203-2026-0000"], COL_RECEIVED: ["2026-11-28 18:88"],
        COL_PERSON: ["欧阳晓明", tr_label("匿名")],
        COL_CATEGORY: [enum_label(c) for c in Category],
        COL_CHANNEL: [enum_label(c) for c in Channel],
        COL_STATUS: [enum_label(st) for st in Status],
    }
    cap = fm.horizontalAdvance("字") * 15 // 2   # longer labels: the tooltip has them
    for col, texts in samples.items():
        header = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        need = max(fm.horizontalAdvance(t) for t in [*texts, header]) + 28
        if col == COL_NO:   # the whole number for this font (caseno.py)
            need = max(need, case_no_width(table))
        table.setColumnWidth(col, need if col in (COL_DUE, COL_NO) else min(need, cap))


class CaseTable(QTableView):
    """A table where Enter opens the current row (Tab still leaves the table)."""

    activated_case = Signal(str)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._emit_current()
            return
        super().keyPressEvent(event)

    def _emit_current(self) -> None:
        idx = self.currentIndex()
        if idx.isValid():
            case_id = self.model().data(idx, CASE_ID_ROLE)
            if case_id:
                self.activated_case.emit(case_id)


class CasebookPage(QWidget):
    open_case = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = CasebookModel(ctx.services, ctx.runner, self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self._build()
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self._on_failed)
        self.model.loading_changed.connect(self._on_loading)
        self._keep_case = ""       # the row to select again after a reload
        ctx.runner.changed.connect(self.on_changes)

    # ---- layout -------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.tr("案件簿"))
        title.setObjectName("pageTitle")

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：案件编号、查询码或反映内容"))
        self.search.setClearButtonEnabled(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("反映人姓名或拼音，如 zhangsan / zs"))
        self.name.setClearButtonEnabled(True)

        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), ())
        self.status.addItem(self.tr("未办结"), OPEN_STATUSES)
        for st in Status:
            self.status.addItem(enum_label(st), (st.value,))
        self.category = QComboBox()
        self.category.addItem(self.tr("全部类别"), None)
        for cat in Category:
            self.category.addItem(enum_label(cat), cat.value)
        self.channel = QComboBox()
        self.channel.addItem(self.tr("全部渠道"), None)
        for ch in Channel:
            self.channel.addItem(enum_label(ch), ch.value)
        self.urgency = QComboBox()
        self.urgency.addItem(self.tr("全部期限"), "")
        self.urgency.addItem(self.tr("只看逾期"), "overdue")
        self.urgency.addItem(self.tr("只看即将到期"), "near")

        self.use_dates = QCheckBox(self.tr("登记日期"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)

        row1 = QHBoxLayout()
        row1.addWidget(self.search, 3)
        row1.addWidget(self.name, 2)
        # Combos size to a few characters, not to their longest item, so the filter rows
        # fit 1366 px even in English with large fonts.
        for combo in (self.status, self.category, self.channel, self.urgency):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        row2 = QHBoxLayout()
        for w in (self.status, self.category, self.channel, self.urgency):
            row2.addWidget(w, 1)
        row2.addSpacing(12)
        for date_widget in (self.use_dates, self.date_from, QLabel(self.tr("至")), self.date_to):
            row2.addWidget(date_widget)
        self.table = CaseTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        use_for_column(self.table, COL_NO)  # a narrow column never hides the serial
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
        self._size_columns()
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.activated_case.connect(self.open_case)

        self.info = QLabel()
        self.info.setObjectName("hint")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)

        self.search.textChanged.connect(self._schedule)
        self.name.textChanged.connect(self._schedule)
        for combo in (self.status, self.category, self.channel, self.urgency):
            combo.currentIndexChanged.connect(self._schedule)
        self.use_dates.toggled.connect(self._schedule)
        self.date_from.dateChanged.connect(self._schedule)
        self.date_to.dateChanged.connect(self._schedule)
        self.search.returnPressed.connect(self._focus_table)
        self.name.returnPressed.connect(self._focus_table)

    def _size_columns(self) -> None:
        size_case_columns(self.table, self.model)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._size_columns()  # 大字模式 switched while the page is on screen
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        self._size_columns()  # the font may have changed (大字模式) while hidden
        super().showEvent(event)

    # ---- behaviour ------------------------------------------------------------------
    def _schedule(self, *_args) -> None:
        self._debounce.start()

    def build_query(self) -> CaseQuery:
        """The CaseQuery for the current filters (sort comes from the model)."""
        urgency = self.urgency.currentData()
        q = self.model.query
        return CaseQuery(
            text=self.search.text().strip(),
            name_query=self.name.text().strip(),
            statuses=tuple(self.status.currentData() or ()),
            category=self.category.currentData(),
            channel=self.channel.currentData(),
            overdue_only=urgency == "overdue",
            near_due_only=urgency == "near",
            date_from=(self.date_from.date().toString("yyyy-MM-dd")
                       if self.use_dates.isChecked() else None),
            date_to=(self.date_to.date().toString("yyyy-MM-dd")
                     if self.use_dates.isChecked() else None),
            sort_key=q.sort_key,
            descending=q.descending,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.error.hide()
        self.model.set_query(self.build_query())

    def refresh(self) -> None:
        self.apply_filters()

    def on_changes(self, changes: Changes, _initiator: object) -> None:
        """Cases changed (a sync, another window): reload the list if it is on screen and
        keep the clerk on the row they had selected.  Hidden, it reloads when shown."""
        if not changes.any_case or not self.isVisible():
            return
        idx = self.table.currentIndex()
        self._keep_case = self.model.data(idx, CASE_ID_ROLE) if idx.isValid() else ""
        self.model.reload()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _focus_table(self) -> None:
        self.apply_filters()
        self.table.setFocus()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, COL_NO))

    def _on_double_click(self, index: QModelIndex) -> None:
        case_id = self.model.data(index, CASE_ID_ROLE)
        if case_id:
            self.open_case.emit(case_id)

    def _on_loaded(self, total: int, capped: bool) -> None:
        if self._keep_case:
            keep, self._keep_case = self._keep_case, ""
            row = next((r for r in range(self.model.rowCount())
                        if (found := self.model.row_at(r)) is not None and found.case_id == keep),
                       -1)
            if row >= 0:
                self.table.setCurrentIndex(self.model.index(row, COL_NO))
                self.table.scrollTo(self.table.currentIndex())
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, COL_NO))
        if total == 0:
            self.info.setText(self.tr("没有找到符合条件的案件。可以清空搜索框或把筛选改回“全部”。"))
        elif capped:
            self.info.setText(self.tr("至少 %n 件（已显示 %1 件，向下滚动加载更多）", "", total)
                              .replace("%1", str(self.model.rowCount())))
        else:
            self.info.setText(self.tr("共 %n 件（已显示 %1 件）", "", total)
                              .replace("%1", str(self.model.rowCount())))

    def _on_loading(self, loading: bool) -> None:
        if loading and self.model.rowCount() == 0:
            self.info.setText(self.tr("正在查询…"))

    def _on_failed(self, exc: BaseException) -> None:
        self.error.setText(describe_exception(exc))
        self.error.show()
        self.info.setText("")
