"""Attachments on the intake form: scanned letters and photos, imported through the services.

Why the services do the import: a file is copied into the station's attachment store under
its SHA-256 (content-addressed), so the same photo added twice is stored once, the event
carries only the hash, and sync can ship files separately.  The copy and hash run on the
background runner (a 20 MB scan must not freeze the form); this widget only lists what was
imported and lets the clerk remove an item before saving.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .intake_fields import ERROR_STYLE
from .messages import describe_exception
from .wording import ask_open_paths

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files bare tr() under ""


def human_size(size: int) -> str:
    """1536 → "1.5 KB" — sizes a clerk can compare with what the scanner reported."""
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} MB"


class AttachmentsWidget(QWidget):
    """List with name and size; 添加附件… (file dialog) and 移除.  ``refs()`` are the
    AttachmentRef objects for the form; ``busy`` is True while imports are running."""

    changed = Signal()
    import_finished = Signal()

    def __init__(self, services: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._refs: list[Any] = []
        self._pending = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([tr("文件名"), tr("大小")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(140)
        lay.addWidget(self.table)
        bar = QHBoxLayout()
        self.add_button = QPushButton(tr("添加附件…"))
        self.remove_button = QPushButton(tr("移除选中"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addWidget(self.status, 1)
        lay.addLayout(bar)
        self.add_button.clicked.connect(self._choose)
        self.remove_button.clicked.connect(self.remove_selected)

    # ---- API ------------------------------------------------------------------------
    def refs(self) -> list[Any]:
        return list(self._refs)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def message(self) -> str:
        return self.status.text()

    def clear(self) -> None:
        self._refs.clear()
        self.table.setRowCount(0)
        self._set_status("")
        self.changed.emit()

    def set_refs(self, refs: Sequence[Any]) -> None:
        """Show already imported attachments again (the form was rebuilt)."""
        self.clear()
        for ref in refs:
            self._append(ref)
        if refs:
            self.changed.emit()

    def add_files(self, paths: Sequence[str | Path]) -> None:
        """Import each file through the services on the runner (what the dialog calls)."""
        for p in paths:
            path = Path(p)
            self._pending += 1
            self._set_status(tr("正在添加 {name} …").format(name=path.name))
            self._runner.submit(lambda path=path: self._services.intake.import_attachment(path),
                                on_done=self._imported,
                                on_error=lambda exc, name=path.name: self._failed(name, exc),
                                owner=self)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
            del self._refs[r]
        if rows:
            self.changed.emit()

    # ---- internals ----------------------------------------------------------------------
    def _choose(self) -> None:
        paths = ask_open_paths(self, tr("选择要添加的照片或扫描件"),   # starts in 文档
                               tr("照片、扫描件 (*.jpg *.jpeg *.png *.tif *.tiff "
                                  "*.bmp *.pdf *.doc *.docx);;所有文件 (*)"))
        if paths:
            self.add_files(paths)

    def _imported(self, ref: Any) -> None:
        self._pending -= 1
        if any(r.sha256 == ref.sha256 for r in self._refs):
            self._set_status(tr("“{name}”和已添加的文件内容相同，没有重复添加。").format(name=ref.name))
        else:
            self._append(ref)
            self._set_status("" if not self._pending else self.status.text())
            self.changed.emit()
        if not self._pending:
            self.import_finished.emit()

    def _append(self, ref: Any) -> None:
        self._refs.append(ref)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(ref.name))
        self.table.setItem(row, 1, QTableWidgetItem(human_size(ref.size)))

    def _failed(self, name: str, exc: BaseException) -> None:
        self._pending -= 1
        self._set_status(tr("“{name}”没有添加：{why}").format(name=name,
                                                          why=describe_exception(exc)),
                         error=True)
        if not self._pending:
            self.import_finished.emit()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
