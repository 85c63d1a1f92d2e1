"""修改站点名称: an administrator corrects the station's name (Settings → 本站信息).

Why it exists (issue 8 B5): the first-run wizard could leave a village station with its
township's name, printed on every receipt, and nothing could change it afterwards.  Only the
name changes; the division and the station's identity for sync stay (SetupService.rename).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .messages import describe_exception, error_text

STATION_NAME_MAX = 40   # as the service (station_app.services.setup) allows


class RenameStationDialog(QDialog):
    """On success ``station`` holds the renamed StationInfo."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.station = None
        self.setWindowTitle(self.tr("修改站点名称"))
        self.name = QLineEdit(ctx.station.name)
        self.name.setMaxLength(STATION_NAME_MAX + 10)  # the check below says what is too long
        self.name.selectAll()
        hint = QLabel(self.tr("新名称印在以后打印的回执和告知书上；已经打印的不变。"
                              "本站的区划和同步身份不变。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("站点名称"), self.name)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(hint)
        lay.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 30)

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.adjustSize()  # room for the message: the hint below must stay readable
        self.name.setFocus()

    def submit(self) -> None:
        text = " ".join(self.name.text().split())
        if not text:
            self._show(error_text("required"))
            return
        if len(text) > STATION_NAME_MAX:
            self._show(error_text("too_long", {"max": STATION_NAME_MAX}))
            return
        setup, op = self._ctx.services.setup, self._ctx.operator
        self.error.hide()
        self.ok.setEnabled(False)
        self._ctx.runner.submit(lambda: setup.rename(op, text), self._done, self._failed,
                                owner=self)

    def _done(self, station: Any) -> None:
        self.station = station
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self._show(describe_exception(exc))
