"""A titled box listing set-aside records (time, kind, reason): the sync page shows the
records the county sent back and the pulled records this version could not read with it.
The box hides itself when the list is empty."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class RecordList(QGroupBox):
    def __init__(self, title: str, time_header: str, note: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([time_header, self.tr("记录类型"), self.tr("原因")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(QLabel(note))
        self.layout_.addWidget(self.table)

    def show_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """(time, kind, reason) per record, already in words."""
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for col, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(value)   # a long reason is cut at the cell's edge
                self.table.setItem(i, col, item)
        self.setVisible(bool(rows))
