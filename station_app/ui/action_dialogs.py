"""The small dialogs behind the case actions (受理, 不予受理, 转办, 办理记录, 延期, 办结, 回访评价,
更正登记事项).

Why each dialog submits by itself: errors belong next to the field that caused them.  The
dialog checks required fields locally, then runs the service call on the runner; a
ValidationErrors answer puts each message under its field, a ServiceError (e.g. the case
changed meanwhile: action_not_allowed) shows a plain sentence at the top.  Nothing is
written unless the service accepted the action, and the dialog only closes on success, with
the new CaseDetail in ``result_detail``.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QSpinBox,
                               QVBoxLayout, QWidget, QHBoxLayout)

from petition_core.divisions import DivisionTree
from petition_core.enums import Category, Channel, NotifyChannel, Satisfaction, StatuteType, SubjectLevel
from station_app.services import CaseDetail, CaseQuery, ServiceError

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


class ActionDialog(QDialog):
    """Base: a form of named fields with an error label under each."""

    action = ""

    def __init__(self, ctx: UiContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.detail = detail
        self.result_detail: CaseDetail | None = None
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

    # ---- subclass API ---------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def call(self, values: dict[str, Any]) -> CaseDetail:
        """Runs on the worker thread."""
        method = getattr(self._ctx.services.cases, self.action)
        return method(self.detail.case_id, self._ctx.operator, **values)

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

    def values(self) -> dict[str, Any]:
        chosen = [k for k, rb in self.satisfaction_buttons.items() if rb.isChecked()]
        return {"satisfaction": chosen[0] if chosen else "",
                "method": _value(self.widget("method")), "note": _value(self.widget("note"))}


# field -> (label source, kind) ; kind: text | multiline | enum class | bool | int
_AMEND_FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("petitioner.name", QT_TRANSLATE_NOOP("ActionDialogs", "反映人姓名"), "text"),
    ("petitioner.id_number", QT_TRANSLATE_NOOP("ActionDialogs", "身份证号码"), "text"),
    ("petitioner.phone", QT_TRANSLATE_NOOP("ActionDialogs", "联系电话"), "text"),
    ("petitioner.address_detail", QT_TRANSLATE_NOOP("ActionDialogs", "详细住址"), "text"),
    ("summary", QT_TRANSLATE_NOOP("ActionDialogs", "诉求摘要"), "text"),
    ("account", QT_TRANSLATE_NOOP("ActionDialogs", "反映内容"), "multiline"),
    ("demands", QT_TRANSLATE_NOOP("ActionDialogs", "诉求事项"), "multiline"),
    ("channel", QT_TRANSLATE_NOOP("ActionDialogs", "来源渠道"), Channel),
    ("category", QT_TRANSLATE_NOOP("ActionDialogs", "诉求类别"), Category),
    ("statute_type", QT_TRANSLATE_NOOP("ActionDialogs", "诉求性质"), StatuteType),
    ("subject.level", QT_TRANSLATE_NOOP("ActionDialogs", "被反映对象类别"), SubjectLevel),
    ("subject.name", QT_TRANSLATE_NOOP("ActionDialogs", "被反映人"), "text"),
    ("subject.unit", QT_TRANSLATE_NOOP("ActionDialogs", "被反映单位"), "text"),
    ("group.size", QT_TRANSLATE_NOOP("ActionDialogs", "来访人数"), "int"),
    ("discipline", QT_TRANSLATE_NOOP("ActionDialogs", "涉纪涉腐"), "bool"),
)


def _current_value(detail: CaseDetail, dotted: str) -> Any:
    top, _, rest = dotted.partition(".")
    if rest:
        container = getattr(detail, top, None) or {}
        return container.get(rest) if isinstance(container, dict) else None
    return {"channel": detail.channel, "category": detail.category,
            "statute_type": detail.statute_type, "summary": detail.summary,
            "account": detail.account, "demands": detail.demands}.get(top)


class AmendDialog(ActionDialog):
    """更正登记事项: pick the field, see the current value, type the new one and a reason.
    The old value stays in the timeline (the event keeps it)."""

    action = "amend"

    def build(self) -> None:
        self.field_combo = QComboBox()
        for key, label, _kind in _AMEND_FIELDS:
            self.field_combo.addItem(QCoreApplication.translate("ActionDialogs", label), key)
        self.add_field("field", self.tr("更正项目"), self.field_combo, required=True)
        self.old_label = QLabel()
        self.old_label.setWordWrap(True)
        self.old_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.tr("原内容"), self.old_label)
        self.value_holder = QWidget()
        self.value_layout = QVBoxLayout(self.value_holder)
        self.value_layout.setContentsMargins(0, 0, 0, 0)
        self.new_widget: QWidget = QLineEdit()
        self.value_layout.addWidget(self.new_widget)
        self.add_field("new_value", self.tr("更正后内容"), self.value_holder, required=True)
        self.add_field("reason", self.tr("更正理由"), text_edit(60), required=True)
        self.field_combo.currentIndexChanged.connect(self._on_field)
        self._on_field()

    def _kind(self) -> Any:
        key = self.field_combo.currentData()
        return next(kind for k, _l, kind in _AMEND_FIELDS if k == key)

    def _on_field(self) -> None:
        key = self.field_combo.currentData()
        kind = self._kind()
        old = _current_value(self.detail, key)
        self.new_widget.setParent(None)
        self.new_widget.deleteLater()
        if kind == "multiline":
            widget: QWidget = text_edit(90)
        elif kind == "int":
            widget = QSpinBox()
            widget.setRange(1, 9999)
        elif kind == "bool":
            widget = QComboBox()
            widget.addItem(self.tr("是"), True)
            widget.addItem(self.tr("否"), False)
        elif isinstance(kind, type):
            widget = QComboBox()
            for member in kind:
                widget.addItem(enum_label(member), member.value)
        else:
            widget = QLineEdit()
        self.new_widget = widget
        self.value_layout.addWidget(widget)
        if isinstance(kind, type):
            try:
                old_text = enum_label(kind(old)) if old else ""
            except ValueError:
                old_text = str(old)
        elif kind == "bool":
            old_text = self.tr("是") if old else self.tr("否")
        else:
            old_text = "" if old is None else str(old)
        self.old_label.setText(old_text or self.tr("（空）"))

    def values(self) -> dict[str, Any]:
        w = self.new_widget
        if isinstance(w, QComboBox):
            new: Any = w.currentData()
        elif isinstance(w, QSpinBox):
            new = w.value()
        else:
            new = _value(w)
        return {"field": self.field_combo.currentData(), "new_value": new,
                "reason": _value(self.widget("reason"))}


class LinkDialog(ActionDialog):
    """关联案件: mark an earlier case as the same matter (多次反映) by its case number."""

    action = "link"

    def build(self) -> None:
        number = QLineEdit()
        number.setPlaceholderText(self.tr("例如 530921108203-2026-0007"))
        self.add_field("case_no", self.tr("要关联的案件编号"), number, required=True)
        self.add_field("note", self.tr("说明"), text_edit(60))

    def call(self, values: dict[str, Any]) -> CaseDetail:
        """Find the case by its number (worker thread), then link it."""
        wanted = values["case_no"].strip()
        page = self._ctx.services.casebook.query(CaseQuery(text=wanted, limit=5))
        match = next((r for r in page.rows if r.case_no == wanted), None)
        if match is None:
            raise ServiceError("link_unknown")
        return self._ctx.services.cases.link(self.detail.case_id, self._ctx.operator,
                                             related=[match.case_id], note=values["note"])


DIALOGS: dict[str, type[ActionDialog]] = {
    "accept": AcceptDialog, "decline": DeclineDialog, "transfer": TransferDialog,
    "progress": ProgressDialog, "extend": ExtendDialog, "conclude": ConcludeDialog,
    "follow_up": FollowUpDialog, "amend": AmendDialog, "link": LinkDialog,
}


def dialog_for(action: str, ctx: UiContext, detail: CaseDetail,
               parent: QWidget | None = None) -> ActionDialog | None:
    """The dialog for an allowed action, or None for actions without one."""
    cls = DIALOGS.get(action)
    return cls(ctx, detail, parent) if cls else None
