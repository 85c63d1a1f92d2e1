"""The small dialogs behind the case actions (受理, 不予受理, 转办, 办理记录, 延期, 办结, 回访评价,
更正登记事项).

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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QSpinBox,
                               QVBoxLayout, QWidget, QHBoxLayout)

from petition_core.divisions import DivisionTree
from petition_core.enums import NotifyChannel, Satisfaction
from station_app.services import CaseDetail

from . import UiContext
from .division_picker import DivisionPicker
from .i18n import enum_label
from .messages import describe_exception, error_text, field_error_text

log = logging.getLogger(__name__)

ACTION_LABELS: dict[str, str] = {
    "accept": QT_TRANSLATE_NOOP("ActionDialogs", "受理"),
    "decline": QT_TRANSLATE_NOOP("ActionDialogs", "不予受理"),
    "transfer": QT_TRANSLATE_NOOP("ActionDialogs", "转办"),
    "progress": QT_TRANSLATE_NOOP("ActionDialogs", "办理记录"),
    "extend": QT_TRANSLATE_NOOP("ActionDialogs", "延期"),
    "conclude": QT_TRANSLATE_NOOP("ActionDialogs", "办结"),
    "follow_up": QT_TRANSLATE_NOOP("ActionDialogs", "回访评价"),
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


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText().strip()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, DivisionPicker):
        return widget.code()
    raise TypeError(type(widget).__name__)


def _set_value(widget: QWidget, value: Any) -> None:
    """The reverse of :func:`_value`, for the kinds of field a draft can hold."""
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
    elif isinstance(widget, DivisionPicker):
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
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 36)  # scales with 大字模式
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
        return {name: _value(w) for name, (w, _e, _r) in self._fields.items()}

    def restore(self, values: dict[str, Any]) -> None:
        """Put back what was typed before (a draft kept by :meth:`interrupt`)."""
        for name, value in values.items():
            if name in self._fields and value not in (None, ""):
                _set_value(self._fields[name][0], value)

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


def _notify_combo(default: NotifyChannel = NotifyChannel.ON_SPOT) -> QComboBox:
    combo = QComboBox()
    for nc in NotifyChannel:
        combo.addItem(enum_label(nc), nc.value)
    combo.setCurrentIndex(combo.findData(default.value))
    return combo


class AcceptDialog(ActionDialog):
    action = "accept"

    def build(self) -> None:
        self.add_field("notify_channel", self.tr("告知方式"), _notify_combo())
        self.add_field("note", self.tr("说明"), text_edit(70))


class DeclineDialog(ActionDialog):
    action = "decline"

    def build(self) -> None:
        reason = QComboBox()
        reason.setEditable(True)
        for text in (self.tr("不属于本机关职责范围"), self.tr("已经或者依法应当通过诉讼、仲裁、行政复议等途径解决"),
                     self.tr("已经受理或者正在办理，在规定期限内再次提出同一诉求"), self.tr("无具体诉求内容")):
            reason.addItem(text, None)
        reason.setCurrentIndex(-1)
        reason.lineEdit().setPlaceholderText(self.tr("选择或填写不予受理的理由"))
        self.add_field("reason", self.tr("不予受理理由"), reason, required=True)
        other = QLineEdit()
        other.setPlaceholderText(self.tr("例如：向县人民法院起诉 / 向县人社局反映"))
        self.add_field("other_channel", self.tr("告知途径"), other, required=True)
        self.add_field("notify_channel", self.tr("告知方式"), _notify_combo())


class TransferDialog(ActionDialog):
    action = "transfer"

    def build(self) -> None:
        tree = DivisionTree.load_default()
        county = self._ctx.station.station_code[:6] + "000000"
        picker = DivisionPicker(tree, root_code=county if county in tree else "530000000000",
                                min_level=tree.get(county).level if county in tree else 3)
        self.add_field("to_division", self.tr("转办到（地区）"), picker, required=True)
        unit = QLineEdit()
        unit.setPlaceholderText(self.tr("例如：县自然资源局、某某镇人民政府"))
        self.add_field("to_unit", self.tr("承办单位"), unit, required=True)
        self.add_field("note", self.tr("转办说明"), text_edit(70))


class ProgressDialog(ActionDialog):
    action = "progress"

    def build(self) -> None:
        self.add_field("note", self.tr("办理情况"), text_edit(120), required=True)


class ExtendDialog(ActionDialog):
    action = "extend"

    def build(self) -> None:
        days = QSpinBox()
        days.setRange(1, 30)
        days.setValue(30)
        days.setSuffix(self.tr(" 天"))
        self.add_field("days", self.tr("延长天数"), days, required=True)
        self.add_field("reason", self.tr("延期理由（将告知信访人）"), text_edit(70), required=True)
        self.add_field("approved_by", self.tr("批准人"), QLineEdit(), required=True)
        hint = QLabel(self.tr("信访工作条例第34条：办理期限最多延长30日，须经批准并告知信访人。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.form.addRow(hint)


class ConcludeDialog(ActionDialog):
    action = "conclude"

    def build(self) -> None:
        result = QComboBox()
        result.setEditable(True)
        for text in (self.tr("问题已解决"), self.tr("已解释说明"), self.tr("部分解决"),
                     self.tr("反映不属实"), self.tr("诉求不合理，不予支持")):
            result.addItem(text, None)
        result.setCurrentIndex(-1)
        result.lineEdit().setPlaceholderText(self.tr("选择或填写办理结果"))
        self.add_field("result", self.tr("办理结果"), result, required=True)
        self.add_field("opinion", self.tr("处理意见（书面答复内容）"), text_edit(130), required=True)


class FollowUpDialog(ActionDialog):
    action = "follow_up"

    def build(self) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.satisfaction_group = QButtonGroup(self)
        self.satisfaction_buttons: dict[str, QRadioButton] = {}
        for sat in Satisfaction:
            rb = QRadioButton(enum_label(sat))
            self.satisfaction_group.addButton(rb)
            self.satisfaction_buttons[sat.value] = rb
            row.addWidget(rb)
        row.addStretch(1)
        self.add_field("satisfaction", self.tr("满意度"), box, required=True)
        method = QComboBox()
        for text in (self.tr("电话回访"), self.tr("上门回访"), self.tr("当面回访"), self.tr("短信回访")):
            method.addItem(text, None)
        self.add_field("method", self.tr("回访方式"), method)
        self.add_field("note", self.tr("回访记录"), text_edit(70))

    def restore(self, values: dict[str, Any]) -> None:
        super().restore(values)
        button = self.satisfaction_buttons.get(str(values.get("satisfaction") or ""))
        if button is not None:
            button.setChecked(True)

    def values(self) -> dict[str, Any]:
        chosen = [k for k, rb in self.satisfaction_buttons.items() if rb.isChecked()]
        return {"satisfaction": chosen[0] if chosen else "",
                "method": _value(self.widget("method")), "note": _value(self.widget("note"))}


DIALOGS: dict[str, type[ActionDialog]] = {
    "accept": AcceptDialog, "decline": DeclineDialog, "transfer": TransferDialog,
    "progress": ProgressDialog, "extend": ExtendDialog, "conclude": ConcludeDialog,
    "follow_up": FollowUpDialog,
}


def dialog_for(action: str, ctx: UiContext, detail: CaseDetail,
               parent: QWidget | None = None) -> ActionDialog | None:
    """The dialog for an allowed action, or None for actions without one."""
    from .case_edit_dialogs import AmendDialog, LinkDialog

    cls = {**DIALOGS, "amend": AmendDialog, "link": LinkDialog}.get(action)
    return cls(ctx, detail, parent) if cls else None
