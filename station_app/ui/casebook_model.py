"""The case book's table model: lazy pages from ``services.casebook.query``.

Why lazy: a county-level PC may hold 100,000 cases.  The view asks ``canFetchMore`` when it
scrolls near the end; we then fetch the next page on the runner's worker thread and append
it, so memory and query time stay proportional to what the clerk actually looks at.
Changing the query or the sort bumps a generation number; late pages of an old query are
dropped.  The model never touches a database session: it only calls the service.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from station_app.services import CaseQuery, CaseRow, Page

from . import calendar_notice
from .i18n import QT_TRANSLATE_NOOP, tr_label
from .runner import Runner
from .theme import urgency_colors, urgency_text

log = logging.getLogger(__name__)

PAGE_SIZE = 200
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 2

# (header source text, sort key of services.casebook or None when not sortable)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    (QT_TRANSLATE_NOOP("CasebookModel", "期限"), "due_date"),
    (QT_TRANSLATE_NOOP("CasebookModel", "案件编号"), "case_no"),
    (QT_TRANSLATE_NOOP("CasebookModel", "登记时间"), "received_at"),
    (QT_TRANSLATE_NOOP("CasebookModel", "反映人"), None),
    (QT_TRANSLATE_NOOP("CasebookModel", "类别"), None),
    (QT_TRANSLATE_NOOP("CasebookModel", "渠道"), None),
    (QT_TRANSLATE_NOOP("CasebookModel", "状态"), "status"),
    (QT_TRANSLATE_NOOP("CasebookModel", "摘要"), None),
)
(COL_DUE, COL_NO, COL_RECEIVED, COL_PERSON, COL_CATEGORY, COL_CHANNEL, COL_STATUS,
 COL_SUMMARY) = range(8)


class CasebookModel(QAbstractTableModel):
    """Rows of :class:`CaseRow`, fetched page by page through the runner."""

    loading_changed = Signal(bool)
    loaded = Signal(int, bool)         # total, total_capped — after each page
    failed = Signal(object)            # the exception, for a message in the page

    def __init__(self, services: Any, runner: Runner, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._page_size = page_size
        self._rows: list[CaseRow] = []
        self._total = 0
        self._capped = False
        self._query = CaseQuery(limit=page_size)
        self._generation = 0
        self._loading = False
        self._started = False
        self._exhausted = False        # the last page came back short: nothing more to fetch

    # ---- query control ----------------------------------------------------------
    @property
    def query(self) -> CaseQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def is_loading(self) -> bool:
        return self._loading

    def set_query(self, query: CaseQuery) -> None:
        """Replace the filter (keeps the current sort unless the query sets one) and reload."""
        self._query = dataclasses.replace(query, offset=0, limit=self._page_size)
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._capped = False
        self._exhausted = False
        self.endResetModel()
        self._started = True
        self._fetch(0)

    def _fetch(self, offset: int) -> None:
        gen = self._generation
        q = dataclasses.replace(self._query, offset=offset, limit=self._page_size)
        self._set_loading(True)
        self._runner.submit(self.page_call(q),
                            lambda page: self._on_page(gen, offset, page),
                            lambda exc: self._on_error(gen, exc), owner=self)

    def page_call(self, q: CaseQuery) -> Callable[[], Page]:
        """The work that fetches one page (on the runner's thread): the case book's query;
        the workbench's queue lists (ui/workbench.py) fetch a queue's rows instead."""
        casebook = self._services.casebook
        return lambda: casebook.query(q)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loading_changed.emit(value)

    def _on_page(self, gen: int, offset: int, page: Page) -> None:
        if gen != self._generation:
            return  # an answer to an older query
        self._set_loading(False)
        if offset != len(self._rows):
            return
        self._total = page.total
        self._capped = page.total_capped
        rows = list(page.rows)
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if len(rows) < self._page_size:
            self._exhausted = True
            self._total = len(self._rows)
        elif self._total < len(self._rows):
            self._total = len(self._rows)
        self.loaded.emit(self._total, self._capped)

    def _on_error(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._set_loading(False)
        self._exhausted = True  # stop asking for more until the next reload
        self.failed.emit(exc)

    # ---- lazy fetching ------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or not self._started or self._loading:
            return False
        return not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(len(self._rows))

    # ---- table ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def row_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(COLUMNS):
                return QCoreApplication.translate("CasebookModel", COLUMNS[section][0])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == URGENCY_ROLE:
            return row.urgency
        if role == Qt.ItemDataRole.BackgroundRole and row.urgency in ("overdue", "near"):
            return urgency_colors(row.urgency)[1]
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_DUE:
            return urgency_colors(row.urgency)[0]
        if role == Qt.ItemDataRole.FontRole and col == COL_DUE and row.urgency == "overdue":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_DUE and row.due_date:
            # the cell's whole text (it may be cut), the due date and a missing calendar
            tip = QCoreApplication.translate("CasebookModel", "到期日：%1").replace(
                "%1", row.due_date)
            note = calendar_notice.notice(row.due_missing_years)
            return "\n".join(t for t in (self._display(row, col), tip, note) if t)
        if role == Qt.ItemDataRole.ToolTipRole:   # a cell narrower than its text
            return row.summary if col == COL_SUMMARY else self._display(row, col)
        return None

    def _display(self, row: CaseRow, col: int) -> str:
        if col == COL_DUE:
            text = urgency_text(row.urgency, row.days_left)
            if row.due_missing_years:
                text += calendar_notice.mark()
            if row.needs_decision:
                text += QCoreApplication.translate("CasebookModel", "（待人工决定）")
            return text
        if col == COL_NO:
            return row.case_no
        if col == COL_RECEIVED:
            return row.received_at[:16].replace("T", " ")
        if col == COL_PERSON:
            return tr_label(row.petitioner_display) if row.petitioner_display == "匿名" \
                else row.petitioner_display
        if col == COL_CATEGORY:
            return tr_label(row.category_label)
        if col == COL_CHANNEL:
            return tr_label(row.channel_label)
        if col == COL_STATUS:
            return tr_label(row.status_label)
        if col == COL_SUMMARY:
            return row.summary
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting re-queries the service (the rows shown are only a window)."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][1]
        if key is None:
            return
        desc = order == Qt.SortOrder.DescendingOrder
        if self._query.sort_key == key and self._query.descending == desc and self._started:
            return
        self._query = dataclasses.replace(self._query, sort_key=key, descending=desc)
        if self._started:
            self.reload()

    @staticmethod
    def sortable_columns() -> list[int]:
        return [i for i, (_, key) in enumerate(COLUMNS) if key]
