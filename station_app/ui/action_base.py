"""The base of every case-action dialog (受理, 不予受理, 转办, … in action_dialogs.py; 更正, 关联,
裁定 in case_edit_dialogs.py): named fields with an error under each, the submit flow, the
version the clerk saw, kept drafts.

Why each dialog submits by itself: errors belong next to the field that caused them.  The
dialog checks required fields locally, then runs the service call on the runner; a
ValidationErrors answer puts each message under its field, a ServiceError (e.g. the case
changed meanwhile: action_not_allowed) shows a plain sentence at the top.  Nothing is
written unless the service accepted the action, and the dialog only closes on success, with
the new CaseDetail in ``result_detail``.

Every call carries the version of the case the clerk was looking at (``CaseDetail.version``).
When the case changed in between (the sync brought another station's decision, say) the
service answers ``stale_state``: the dialog says so and its button becomes 重新查看案件,
which closes it keeping what was typed (``keep_draft``; the case page offers it again the
next time this action is opened).  The same happens when the idle lock closes the dialog.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_app.services import CaseDetail

from . import UiContext
from .division_picker import DivisionPicker
from .i18n import QT_TRANSLATE_NOOP
from .messages import describe_exception, error_text, field_error_text
from .unit_picker import UnitPicker

log = logging.getLogger(__name__)

ACTION_LABELS: dict[str, str] = {
    "accept": QT_TRANSLATE_NOOP("ActionDialogs", "受理"),
    "decline": QT_TRANSLATE_NOOP("ActionDialogs", "不予受理"),
    "transfer": QT_TRANSLATE_NOOP("ActionDialogs", "转办"),
    "progress": QT_TRANSLATE_NOOP("ActionDialogs", "办理记录"),
    "conclude": QT_TRANSLATE_NOOP("ActionDialogs", "办结"),
    "sign": QT_TRANSLATE_NOOP("ActionDialogs", "签收"),
    "object_transfer": QT_TRANSLATE_NOOP("ActionDialogs", "转办异议"),
    "assign": QT_TRANSLATE_NOOP("ActionDialogs", "交办"),
    "urge": QT_TRANSLATE_NOOP("ActionDialogs", "督办"),
    "request_extension": QT_TRANSLATE_NOOP("ActionDialogs", "申请延期"),
    "decide_extension": QT_TRANSLATE_NOOP("ActionDialogs", "审批延期"),
    "submit_report": QT_TRANSLATE_NOOP("ActionDialogs", "报送办结报告"),
    "accept_report": QT_TRANSLATE_NOOP("ActionDialogs", "审核通过办结报告"),
    "send_back": QT_TRANSLATE_NOOP("ActionDialogs", "发回重办"),
    "close": QT_TRANSLATE_NOOP("ActionDialogs", "终结"),
    "follow_up": QT_TRANSLATE_NOOP("ActionDialogs", "回访评价"),
    "serve": QT_TRANSLATE_NOOP("ActionDialogs", "记录送达"),
    "amend": QT_TRANSLATE_NOOP("ActionDialogs", "更正登记事项"),
    "resolve_conflict": QT_TRANSLATE_NOOP("ActionDialogs", "采用这个决定"),
    "link": QT_TRANSLATE_NOOP("ActionDialogs", "关联案件"),
}


def action_label(action: str) -> str:
    source = ACTION_LABELS.get(action)
    return QCoreApplication.translate("ActionDialogs", source) if source else action


def text_edit(height: int = 90) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # keyboard users leave the box with Tab
    edit.setMinimumHeight(height)
    return edit


def field_value(widget: QWidget) -> Any:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText().strip()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("yyyy-MM-dd")
    if isinstance(widget, (DivisionPicker, UnitPicker)):
        return widget.code()
    raise TypeError(type(widget).__name__)


def set_field_value(widget: QWidget, value: Any) -> None:
    """The reverse of :func:`field_value`, for the kinds of field a draft can hold."""
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QComboBox):
        i = widget.findData(value)
        i = i if i >= 0 else widget.findText(str(value))
        if i >= 0:
            widget.setCurrentIndex(i)
        elif widget.isEditable():
            widget.setEditText(str(value))
    elif isinstance(widget, QSpinBox) and isinstance(value, int):
        widget.setValue(value)
    elif isinstance(widget, QCheckBox) and isinstance(value, bool):
        widget.setChecked(value)
    elif isinstance(widget, QDateEdit):
        day = QDate.fromString(str(value), "yyyy-MM-dd")
        if day.isValid():
            widget.setDate(day)
    elif isinstance(widget, (DivisionPicker, UnitPicker)):
        widget.set_code(str(value))


class ActionDialog(QDialog):
    """Base: a form of named fields with an error label under each."""

    action = ""

    def __init__(self, ctx: UiContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.detail = detail
        self.result_detail: CaseDetail | None = None
        self.stale = False         # the case changed since it was shown (stale_state)
        self.keep_draft = False    # closed without saving, but what was typed is kept
        self._fields: dict[str, tuple[QWidget, QLabel, bool]] = {}
        self.setWindowTitle(action_label(self.action) + " — " + detail.case_no)
        self.setModal(True)
        # scales with 大字模式
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 36)
        self.top_error = QLabel()
        self.top_error.setObjectName("fieldError")
        self.top_error.setWordWrap(True)
        self.top_error.hide()
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(action_label(self.action),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("primary")
        self.ok_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        case_line = QLabel(detail.case_no + "  " + detail.summary)
        case_line.setObjectName("hint")
        case_line.setWordWrap(True)
        lay.addWidget(case_line)
        lay.addWidget(self.top_error)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.build()
        self._focus_first_field(cancel)

    def _focus_first_field(self, cancel: QWidget) -> None:
        """The first field has the focus and the buttons come last in the Tab order: the
        buttons were made before the fields, so a clerk typing a note with a space would
        otherwise press 受理 at once."""
        def takes_tab(w: QWidget) -> bool:
            return bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)

        focusable: list[QWidget] = []
        for w, _e, _r in self._fields.values():   # in the order they are shown
            focusable += [w] if takes_tab(w) else [c for c in w.findChildren(QWidget)
                                                    if takes_tab(c)]
        if not focusable:
            return
        focusable[0].setFocus(Qt.FocusReason.OtherFocusReason)
        last = focusable[-1]
        QWidget.setTabOrder(last, self.ok_button)
        QWidget.setTabOrder(self.ok_button, cancel)

    # ---- subclass API ---------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def call(self, values: dict[str, Any]) -> CaseDetail:
        """Runs on the worker thread."""
        method = getattr(self._ctx.services.cases, self.action)
        return method(self.detail.case_id, self._ctx.operator,
                      expected_version=self.detail.version, **values)

    def add_field(self, name: str, label: str, widget: QWidget, required: bool = False) -> QWidget:
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(2)
        inner.addWidget(widget)
        inner.addWidget(error)
        self.form.addRow(label + ("＊" if required else ""), box)
        self._fields[name] = (widget, error, required)
        return widget

    def widget(self, name: str) -> QWidget:
        return self._fields[name][0]

    def error_label(self, name: str) -> QLabel:
        return self._fields[name][1]

    def values(self) -> dict[str, Any]:
        return {name: field_value(w) for name, (w, _e, _r) in self._fields.items()}

    def restore(self, values: dict[str, Any]) -> None:
        """Put back what was typed before (a draft kept by :meth:`interrupt`)."""
        for name, value in values.items():
            if name in self._fields and value not in (None, ""):
                set_field_value(self._fields[name][0], value)

    def interrupt(self) -> None:
        """Close without saving but keep the draft (idle lock, stale case)."""
        self.keep_draft = True
        self.reject()

    def local_errors(self, values: dict[str, Any]) -> dict[str, str]:
        return {name: error_text("required") for name, (_w, _e, req) in self._fields.items()
                if req and values.get(name) in ("", None)}

    # ---- flow -----------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        self.top_error.hide()
        for widget, error, _req in self._fields.values():
            error.hide()
            widget.setProperty("invalid", False)
            widget.style().polish(widget)

    def _show_field_error(self, name: str, text: str) -> bool:
        if name not in self._fields:
            return False
        widget, error, _req = self._fields[name]
        error.setText(text)
        error.show()
        widget.setProperty("invalid", True)
        widget.style().polish(widget)
        return True

    def submit(self) -> None:
        if self.stale:      # the button now reads 重新查看案件
            self.interrupt()
            return
        self._clear_errors()
        values = self.values()
        errors = self.local_errors(values)
        if errors:
            for name, text in errors.items():
                self._show_field_error(name, text)
            self._fields[next(iter(errors))][0].setFocus()
            return
        self.ok_button.setEnabled(False)
        self._ctx.runner.submit(lambda: self.call(values), self._done, self._failed, owner=self)

    def _done(self, detail: CaseDetail) -> None:
        self.result_detail = detail
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if getattr(exc, "code", "") == "stale_state":
            self.stale = True
            self.top_error.setText(describe_exception(exc))
            self.top_error.show()
            self.ok_button.setText(self.tr("重新查看案件"))
            self.ok_button.setFocus()
            return
        field_errors = getattr(exc, "errors", None)
        if isinstance(field_errors, (list, tuple)) and field_errors:
            leftovers = []
            for err in field_errors:
                name = str(getattr(err, "field", ""))
                text = error_text(getattr(err, "code", "internal"), getattr(err, "params", None))
                if not self._show_field_error(name.split(".")[0], text):
                    leftovers.append(field_error_text(name, getattr(err, "code", "internal"),
                                                      getattr(err, "params", None)))
            if leftovers:
                self.top_error.setText("\n".join(leftovers))
                self.top_error.show()
            return
        self.top_error.setText(describe_exception(exc))
        self.top_error.show()
