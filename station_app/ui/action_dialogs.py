"""The small dialogs behind the case actions (受理, 不予受理, 转办, 办理记录, 办结, 回访评价,
记录送达, and the handling chain: 签收, 转办异议, 交办, 督办, 申请/审批延期, 办结报告, 发回重办,
终结); their common base (fields, errors, the submit flow, ``expected_version``, kept
drafts) is :class:`station_app.ui.action_base.ActionDialog`.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from petition_core.enums import NotifyChannel, Satisfaction, ServeMethod
from station_app.services import CaseDetail

from . import UiContext
from .action_base import (  # noqa: F401  (re-exported: the dialogs' shared API)
    ACTION_LABELS,
    ActionDialog,
    action_label,
    field_value,
    set_field_value,
    text_edit,
)
from .case_edit_dialogs import AmendDialog, LinkDialog
from .i18n import enum_label
from .messages import error_text
from .unit_picker import UnitPicker


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
        for text in (self.tr("不属于本机关职责范围"),
                     self.tr("已经或者依法应当通过诉讼、仲裁、行政复议等途径解决"),
                     self.tr("已经受理或者正在办理，在规定期限内再次提出同一诉求"),
                     self.tr("无具体诉求内容")):
            reason.addItem(text, None)
        reason.setCurrentIndex(-1)
        edit = reason.lineEdit()   # there is one: the combo box is editable
        if edit is not None:
            edit.setPlaceholderText(self.tr("选择或填写不予受理的理由"))
        self.add_field("reason", self.tr("不予受理理由"), reason, required=True)
        other = QLineEdit()
        other.setPlaceholderText(self.tr("例如：向县人民法院起诉 / 向县人社局反映"))
        self.add_field("other_channel", self.tr("告知途径"), other, required=True)
        self.add_field("notify_channel", self.tr("告知方式"), _notify_combo())


class TransferDialog(ActionDialog):
    """转办 to a unit of the register (issue 9 item 4), picked by name or pinyin; the routing
    default for the case's category is preselected and said so (item 8)."""

    action = "transfer"
    propose_default = True

    def build(self) -> None:
        setup = self._ctx.services.setup
        register = setup.register()
        picker = UnitPicker(register, scope=setup.picker_scope())
        if self.propose_default and self.detail.category:
            picker.propose(setup.default_unit_for(self.detail.category))
        label = self.tr("转办到（承办单位）") if self.action == "transfer" \
            else self.tr("交办到（承办单位）")
        self.add_field("to_unit", label, picker, required=True)
        self.add_field("note", self.tr("转办说明") if self.action == "transfer"
                       else self.tr("交办说明"), text_edit(70))


class ProgressDialog(ActionDialog):
    action = "progress"

    def build(self) -> None:
        self.add_field("note", self.tr("办理情况"), text_edit(120), required=True)


class ConcludeDialog(ActionDialog):
    action = "conclude"

    def build(self) -> None:
        result = QComboBox()
        result.setEditable(True)
        for text in (self.tr("问题已解决"), self.tr("已解释说明"), self.tr("部分解决"),
                     self.tr("反映不属实"), self.tr("诉求不合理，不予支持")):
            result.addItem(text, None)
        result.setCurrentIndex(-1)
        edit = result.lineEdit()   # there is one: the combo box is editable
        if edit is not None:
            edit.setPlaceholderText(self.tr("选择或填写办理结果"))
        self.add_field("result", self.tr("办理结果"), result, required=True)
        self.add_field("opinion", self.tr("处理意见（书面答复内容）"), text_edit(130),
                       required=True)
        outcome = QComboBox()
        outcome.addItem(self.tr("已解决"), "resolved")
        outcome.addItem(self.tr("办结未解决"), "unresolved")
        self.add_field("outcome", self.tr("办结情况"), outcome, required=True)


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
        for text in (self.tr("电话回访"), self.tr("上门回访"), self.tr("当面回访"),
                     self.tr("短信回访")):
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
                "method": field_value(self.widget("method")),
                "note": field_value(self.widget("note"))}


class ServeDialog(ActionDialog):
    """记录送达: the day the petitioner received the newest written reply (the 复查/复核
    window runs from it, Arts. 35, 36) and how; the service picks the reply and checks the
    date (not in the future, not before the reply)."""

    action = "serve"

    def build(self) -> None:
        day = QDateEdit()
        day.setCalendarPopup(True)
        day.setDisplayFormat("yyyy-MM-dd")
        day.setMaximumDate(QDate.currentDate())
        day.setDate(QDate.currentDate())
        self.add_field("served_on", self.tr("信访人收到书面答复的日期"), day, required=True)
        method = QComboBox()
        for m in ServeMethod:
            method.addItem(enum_label(m), m.value)
        self.add_field("method", self.tr("送达方式"), method, required=True)
        note = text_edit(60)
        note.setPlaceholderText(self.tr("例如：挂号信回执编号、签收人"))
        self.add_field("note", self.tr("说明"), note)
        hint = QLabel(self.tr("信访人可自收到书面答复之日起30日内申请复查、复核（信访工作条例"
                              "第35、36条）。请按送达回证或邮件签收的日期填写。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.form.addRow(hint)


def _hint(dialog: ActionDialog, text: str) -> None:
    hint = QLabel(text)
    hint.setObjectName("hint")
    hint.setWordWrap(True)
    dialog.form.addRow(hint)


def _due_edit(days_ahead: int) -> QDateEdit:
    """A deadline from today to a year ahead (the service checks the same)."""
    day = QDateEdit()
    day.setCalendarPopup(True)
    day.setDisplayFormat("yyyy-MM-dd")
    day.setMinimumDate(QDate.currentDate())
    day.setMaximumDate(QDate.currentDate().addDays(365))
    day.setDate(QDate.currentDate().addDays(days_ahead))
    return day


class SignDialog(ActionDialog):
    """签收: the receiving unit confirms it has the case (on-time sign-in is measured)."""

    action = "sign"

    def build(self) -> None:
        self.add_field("note", self.tr("说明"), text_edit(60))
        _hint(self, self.tr("签收后本单位负责办理；认为不属于本单位职责的，请在签收前、"
                            "收到之日起5个工作日内提出转办异议（信访工作条例第23条）。"))


class ObjectTransferDialog(ActionDialog):
    action = "object_transfer"

    def build(self) -> None:
        self.add_field("reason", self.tr("异议理由"), text_edit(90), required=True)
        _hint(self, self.tr("提出异议后，案件退回转办（交办）单位重新处理。"
                            "须在收到之日起5个工作日内提出（信访工作条例第23条）。"))


class AssignDialog(TransferDialog):
    """交办: like 转办, with a deadline and a 办结报告 to send back."""

    action = "assign"
    propose_default = False      # 交办 goes down to a chosen unit, not by category

    def build(self) -> None:
        super().build()
        self.add_field("due", self.tr("办结期限"), _due_edit(30), required=True)
        report = QCheckBox(self.tr("办结后须报送办结报告"))
        report.setChecked(True)
        self.add_field("report_required", self.tr("办结报告"), report)


class UrgeDialog(ActionDialog):
    action = "urge"

    def build(self) -> None:
        self.add_field("note", self.tr("督办意见"), text_edit(90), required=True)
        self.add_field("due", self.tr("限期办理到"), _due_edit(7), required=True)
        _hint(self, self.tr("督办后可在案件页打印督办单，送承办单位。"))


class RequestExtensionDialog(ActionDialog):
    action = "request_extension"

    def build(self) -> None:
        days = QSpinBox()
        days.setRange(1, 30)
        days.setValue(15)
        days.setSuffix(self.tr(" 天"))
        self.add_field("days", self.tr("申请延长天数"), days, required=True)
        self.add_field("reason", self.tr("延期理由（将告知信访人）"), text_edit(70),
                       required=True)
        _hint(self, self.tr("信访工作条例第34条：办理期限最多延长30日，须经转办（交办）单位"
                            "或上级批准，并告知信访人延期理由。"))


class DecideExtensionDialog(ActionDialog):
    """审批延期: approve (the requested days, or fewer) or refuse with a reason."""

    action = "decide_extension"

    def build(self) -> None:
        decision = QComboBox()
        decision.addItem(self.tr("同意延期"), "approved")
        decision.addItem(self.tr("不同意延期"), "refused")
        self.add_field("decision", self.tr("审批意见"), decision, required=True)
        days = QSpinBox()
        days.setRange(1, 30)
        days.setValue(30)
        days.setSuffix(self.tr(" 天"))
        self.add_field("days", self.tr("同意延长天数（不超过申请天数）"), days)
        self.add_field("note", self.tr("说明（不同意时必填）"), text_edit(70))

    def local_errors(self, values: dict[str, Any]) -> dict[str, str]:
        errors = super().local_errors(values)
        if values.get("decision") == "refused" and not values.get("note"):
            errors["note"] = error_text("required")
        return errors

    def call(self, values: dict[str, Any]) -> CaseDetail:
        approved = values.get("decision") == "approved"
        return self._ctx.services.cases.decide_extension(
            self.detail.case_id, self._ctx.operator, approved=approved,
            days=values.get("days") if approved else None, note=values.get("note", ""),
            expected_version=self.detail.version)


class SubmitReportDialog(ActionDialog):
    action = "submit_report"

    def build(self) -> None:
        self.add_field("report", self.tr("办结报告"), text_edit(130), required=True)
        _hint(self, self.tr("报送交办单位审核；审核不通过的，会发回重办。"))


class AcceptReportDialog(ActionDialog):
    action = "accept_report"

    def build(self) -> None:
        self.add_field("note", self.tr("审核意见"), text_edit(70))
        _hint(self, self.tr("审核不通过的，请用“发回重办”。"))


class SendBackDialog(ActionDialog):
    action = "send_back"

    def build(self) -> None:
        self.add_field("reason", self.tr("发回重办理由"), text_edit(90), required=True)


class CloseDialog(ActionDialog):
    action = "close"

    def build(self) -> None:
        self.add_field("reason", self.tr("终结理由"), text_edit(90), required=True)
        _hint(self, self.tr("终结后这件诉求只能查看，不能再办理；同一事实和理由再次反映的，"
                            "登记时会提示不再受理（信访工作条例第36条）。"))


DIALOGS: dict[str, type[ActionDialog]] = {
    "accept": AcceptDialog, "decline": DeclineDialog, "transfer": TransferDialog,
    "progress": ProgressDialog, "conclude": ConcludeDialog,
    "follow_up": FollowUpDialog, "serve": ServeDialog, "sign": SignDialog,
    "object_transfer": ObjectTransferDialog, "assign": AssignDialog, "urge": UrgeDialog,
    "request_extension": RequestExtensionDialog,
    "decide_extension": DecideExtensionDialog, "submit_report": SubmitReportDialog,
    "accept_report": AcceptReportDialog, "send_back": SendBackDialog, "close": CloseDialog,
}


def dialog_for(action: str, ctx: UiContext, detail: CaseDetail,
               parent: QWidget | None = None) -> ActionDialog | None:
    """The dialog for an allowed action, or None for actions without one."""
    cls = {**DIALOGS, "amend": AmendDialog, "link": LinkDialog}.get(action)
    return cls(ctx, detail, parent) if cls else None
