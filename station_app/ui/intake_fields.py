"""One field of the intake form: its label, its input, and the inline error/warning lines.

Why a row tells the page when its input was *edited* and when the clerk *left* it: an error
shown in red must go away as soon as the value is fixed, and a bad value must be flagged
when the clerk moves on, not only at 保存 (issue 8 C10).  The row only reports; the page
decides what to check (petition_core.validation, the same rules the save uses).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .i18n import enum_label

ERROR_STYLE = "color:#b71c1c;"
WARNING_STYLE = "color:#8a5300;"


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files bare tr() under ""


class FieldRow(QWidget):
    """A label, the input, and under it a red error line and an amber warning line.

    Errors block saving; warnings (e.g. an old ID area code) only ask the clerk to look again.
    ``edited`` fires when the value changes, ``left`` when the keyboard focus leaves the input
    (a choice — combo box, picker — counts as both: choosing is finishing).
    """

    edited = Signal()
    left = Signal()

    def __init__(self, label: str, editor: QWidget, *, required: bool = False,
                 hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.required = required
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 4)
        lay.setSpacing(2)
        self.label = QLabel(label + (tr("（必填）") if required else ""))
        self.label.setBuddy(editor)
        lay.addWidget(self.label)
        lay.addWidget(editor)
        if hint:
            h = QLabel(hint)
            h.setObjectName("hint")
            h.setWordWrap(True)
            lay.addWidget(h)
        self.error_label = self._message_label("fieldError", ERROR_STYLE)
        self.warning_label = self._message_label("fieldWarning", WARNING_STYLE)
        lay.addWidget(self.error_label)
        lay.addWidget(self.warning_label)
        lay.addStretch(1)  # rows sharing a grid line stay top-aligned
        self._watch(editor)

    @staticmethod
    def _message_label(name: str, style: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setStyleSheet(style)
        label.setWordWrap(True)
        label.hide()
        return label

    def _watch(self, editor: QWidget) -> None:
        if isinstance(editor, QLineEdit):  # editingFinished: focus lost, or Enter
            editor.textChanged.connect(self.edited)
            editor.editingFinished.connect(self.left)
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(self.edited)
            editor.installEventFilter(self)
        elif isinstance(editor, QAbstractSpinBox):  # spin boxes, date-time edits
            editor.editingFinished.connect(self.left)
            if isinstance(editor, QDateTimeEdit):  # date edits too
                editor.dateTimeChanged.connect(self.edited)
            elif isinstance(editor, QSpinBox | QDoubleSpinBox):
                editor.valueChanged.connect(self.edited)
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(self._chosen)
        elif isinstance(editor, QAbstractButton):
            editor.toggled.connect(self._chosen)
        elif hasattr(editor, "changed"):  # the division picker
            editor.changed.connect(self._chosen)

    def _chosen(self, *_args: Any) -> None:
        self.edited.emit()
        self.left.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return False

    def is_empty(self) -> bool:
        e = self.editor
        if isinstance(e, QLineEdit):
            return not e.text().strip()
        if isinstance(e, QPlainTextEdit):
            return not e.toPlainText().strip()
        return False

    def set_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.editor.setProperty("invalid", bool(text))
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)

    def set_warning(self, text: str) -> None:
        self.warning_label.setText(text)
        self.warning_label.setVisible(bool(text))

    def error(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def warning(self) -> str:
        return self.warning_label.text() if not self.warning_label.isHidden() else ""

    def clear(self) -> None:
        self.set_error("")
        self.set_warning("")


def line(placeholder: str = "") -> QLineEdit:
    w = QLineEdit()
    if placeholder:
        w.setPlaceholderText(placeholder)
    return w


def multiline(placeholder: str = "") -> QPlainTextEdit:
    w = QPlainTextEdit()
    w.setTabChangesFocus(True)  # keyboard-only clerks: Tab leaves the box
    w.setPlaceholderText(placeholder)
    w.setMinimumHeight(80)
    return w


def enum_combo(enum_cls: Any, *, placeholder: str = "") -> QComboBox:
    """A combo of enum members (data = wire value); an optional empty first choice makes a
    required choice visible instead of a silent default."""
    box = QComboBox()
    if placeholder:
        box.addItem(placeholder, "")
    for member in enum_cls:
        box.addItem(enum_label(member), member.value)
    return box


def combo_value(box: QComboBox) -> str:
    return str(box.currentData() or "")


def set_combo(box: QComboBox, value: str) -> None:
    idx = box.findData(value)
    box.setCurrentIndex(max(idx, 0))


class Section(QFrame):
    """A titled card holding field rows in a two-column grid."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.rows: dict[str, FieldRow] = {}
        outer = QVBoxLayout(self)
        t = QLabel(title)
        t.setObjectName("sectionTitle")
        outer.addWidget(t)
        self.body = QVBoxLayout()
        outer.addLayout(self.body)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.body.addLayout(self.grid)

    def add_row(self, path: str, row: FieldRow, r: int, c: int, span: int = 1) -> FieldRow:
        self.rows[path] = row
        self.grid.addWidget(row, r, c, 1, span)
        return row

    def field_rows(self) -> dict[str, FieldRow]:
        return dict(self.rows)

    # What the intake page asks of each of its numbered sections (each one overrides these)
    def reset(self) -> None:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def restore(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def focus_order(self) -> list[QWidget]:
        raise NotImplementedError
