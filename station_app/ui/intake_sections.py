"""The sections of the intake form (basics, petitioner, subject, content; the group visit is
in intake_group.py, the field row in intake_fields.py).

Why split out of intake_form.py: each section owns its widgets, its part of the form dict
(the shape ``petition_core.validation.validate_registration`` accepts) and the map from
field paths (``petitioner.id_number``, ``group.representatives.2.name``) to the row that
shows an error.  ``restore(values)`` puts back what ``values()`` returned, so a rebuilt form
(language switch) keeps what the clerk typed.  The page only orchestrates: collect, check,
save, show errors.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QLabel, QLineEdit, QWidget

from petition_core.enums import Category, Channel, StatuteType, SubjectLevel
from petition_core.validation import LIMITS

from .division_picker import DivisionPicker
from .intake_fields import (
    ERROR_STYLE,
    WARNING_STYLE,
    FieldRow,
    Section,
    combo_value,
    enum_combo,
    line,
    multiline,
    set_combo,
    tr,
)
from .intake_group import GroupSection, RepresentativeRow

__all__ = ["ERROR_STYLE", "WARNING_STYLE", "FieldRow", "Section", "BasicsSection",
           "PetitionerSection", "GroupSection", "RepresentativeRow", "SubjectSection",
           "ContentSection"]


class DateTimeField(QDateTimeEdit):
    """A date-time field that Tab leaves, like every other field (Qt's own walks through
    year, month, day, hour and minute first: five Tabs to get past one field).  Left and
    Right still move between the parts, Up and Down change the part."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt names
        return QWidget.focusNextPrevChild(self, next)


# ---- sections -------------------------------------------------------------------------------
class BasicsSection(Section):
    """渠道, 登记时间 (not in the future), 登记人 (the logged-in operator)."""

    def __init__(self, clerk_name: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("一、登记信息"), parent)
        self.channel = enum_combo(Channel)
        self.received = DateTimeField()
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.clerk = QLabel(clerk_name)
        self.add_row("channel", FieldRow(tr("反映方式"), self.channel, required=True), 0, 0)
        self.add_row("received_at", FieldRow(tr("登记时间"), self.received, required=True,
                                             hint=tr("不能晚于现在")), 0, 1)
        self.add_row("clerk", FieldRow(tr("登记人"), self.clerk), 1, 0)
        self.reset()

    def reset(self) -> None:
        set_combo(self.channel, Channel.VISIT.value)
        self.received.setDateTime(QDateTime.currentDateTime())

    def received_iso(self) -> str:
        """Local time with its UTC offset, as the event payload wants it."""
        # PySide6's stub says toPython() -> object; for a QDateTime it is a naive datetime
        local = cast(datetime, self.received.dateTime().toPython())
        return local.astimezone().isoformat(timespec="seconds")

    def values(self) -> dict[str, Any]:
        return {"channel": combo_value(self.channel), "received_at": self.received_iso()}

    def restore(self, values: dict[str, Any]) -> None:
        set_combo(self.channel, str(values.get("channel") or Channel.VISIT.value))
        try:
            when = datetime.fromisoformat(str(values.get("received_at") or ""))
        except ValueError:
            return
        self.received.setDateTime(QDateTime(when.astimezone().replace(tzinfo=None)))

    def focus_order(self) -> list[QWidget]:
        return [self.channel, self.received]


class PetitionerSection(Section):
    """实名 / 匿名; identity fields are hidden and emptied when anonymous."""

    def __init__(self, make_division_picker: Callable[[], DivisionPicker],
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("二、反映人"), parent)
        self.anonymous = QCheckBox(tr("匿名反映（不登记姓名、身份证号码和联系方式）"))
        self.body.insertWidget(0, self.anonymous)
        self.name = line(placeholder=tr("如：张三"))
        self.id_number = line(placeholder=tr("18位，最后一位可以是X"))
        self.phone = line(placeholder=tr("手机11位，座机带区号"))
        self.address_division = make_division_picker()
        self.address_detail = line(placeholder=tr("如：3组15号"))
        self.add_row("petitioner.name", FieldRow(tr("姓名"), self.name, required=True), 0, 0)
        self.add_row("petitioner.id_number", FieldRow(tr("身份证号码"), self.id_number), 0, 1)
        self.add_row("petitioner.phone", FieldRow(tr("联系电话"), self.phone), 1, 0)
        self.add_row("petitioner.address_division",
                     FieldRow(tr("住址（村/社区）"), self.address_division), 2, 0)
        self.add_row("petitioner.address_detail", FieldRow(tr("详细住址"), self.address_detail),
                     2, 1)
        self._identity = ["petitioner.name", "petitioner.id_number", "petitioner.phone",
                          "petitioner.address_detail"]
        self.anonymous.toggled.connect(self._on_anonymous)

    def _on_anonymous(self, anonymous: bool) -> None:
        for path in self._identity:
            row = self.rows[path]
            row.setVisible(not anonymous)
            if anonymous and isinstance(row.editor, QLineEdit):  # all identity rows are lines
                row.editor.clear()
                row.clear()

    def reset(self) -> None:
        self.anonymous.setChecked(False)
        for w in (self.name, self.id_number, self.phone, self.address_detail):
            w.clear()

    def restore(self, values: dict[str, Any]) -> None:
        p = values.get("petitioner") or {}
        self.anonymous.setChecked(bool(p.get("anonymous")))
        for key in ("name", "id_number", "phone", "address_detail"):
            getattr(self, key).setText(str(p.get(key) or ""))
        picker = self.address_division
        if p.get("address_division") and hasattr(picker, "set_code"):
            picker.set_code(p["address_division"])

    def values(self) -> dict[str, Any]:
        anonymous = self.anonymous.isChecked()
        return {"petitioner": {
            "anonymous": anonymous,
            "name": "" if anonymous else self.name.text(),
            "id_number": "" if anonymous else self.id_number.text(),
            "phone": "" if anonymous else self.phone.text(),
            "address_division": _picker_code(self.address_division),
            "address_detail": "" if anonymous else self.address_detail.text(),
        }}

    def focus_order(self) -> list[QWidget]:
        return [self.anonymous, self.name, self.id_number, self.phone, self.address_division,
                self.address_detail]


def _picker_code(picker: QWidget) -> str:
    """The selected division code of whatever picker widget is used (see intake_form)."""
    code = getattr(picker, "code", None)
    value = code() if callable(code) else code
    return str(value or "")


class SubjectSection(Section):
    """被反映对象: level, name, unit (name/unit only when there is a subject)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("四、被反映对象"), parent)
        self.level = enum_combo(SubjectLevel)
        self.name = line(placeholder=tr("被反映人姓名（可不填）"))
        self.unit = line(placeholder=tr("所在单位或职务（可不填）"))
        self.add_row("subject.level", FieldRow(tr("对象类别"), self.level), 0, 0)
        self.add_row("subject.name", FieldRow(tr("被反映人"), self.name), 1, 0)
        self.add_row("subject.unit", FieldRow(tr("被反映单位"), self.unit), 1, 1)
        self.level.currentIndexChanged.connect(self._on_level)
        self.reset()

    def _on_level(self) -> None:
        has_subject = combo_value(self.level) != SubjectLevel.NONE.value
        for w in (self.name, self.unit):
            w.setEnabled(has_subject)
            if not has_subject:
                w.clear()

    def reset(self) -> None:
        set_combo(self.level, SubjectLevel.NONE.value)
        self.name.clear()
        self.unit.clear()
        self._on_level()

    def values(self) -> dict[str, Any]:
        return {"subject": {"level": combo_value(self.level), "name": self.name.text(),
                            "unit": self.unit.text()}}

    def restore(self, values: dict[str, Any]) -> None:
        subject = values.get("subject") or {}
        set_combo(self.level, str(subject.get("level") or SubjectLevel.NONE.value))
        self.name.setText(str(subject.get("name") or ""))
        self.unit.setText(str(subject.get("unit") or ""))

    def focus_order(self) -> list[QWidget]:
        return [self.level, self.name, self.unit]


class ContentSection(Section):
    """类别, 性质, 涉纪涉腐, 摘要 (one line), 反映内容, 诉求事项."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("五、反映内容"), parent)
        self.category = enum_combo(Category, placeholder=tr("—请选择—"))
        self.statute = enum_combo(StatuteType)
        self.discipline = QCheckBox(tr("涉纪涉腐（检举控告党员干部、公职人员违纪违法）"))
        self.summary = line(placeholder=tr("一句话说清反映什么事，如：反映村干部挪用医保费"))
        self.account = multiline(tr("反映人讲述的经过：时间、地点、人物、事情"))
        self.demands = multiline(tr("反映人希望怎样解决"))
        self.add_row("category", FieldRow(tr("诉求类别"), self.category, required=True), 0, 0)
        self.add_row("statute_type", FieldRow(tr("诉求性质"), self.statute, required=True),
                     0, 1)
        self.grid.addWidget(self.discipline, 1, 0, 1, 2)
        limit = tr("最多{n}字")
        self.add_row("summary", FieldRow(tr("诉求摘要"), self.summary, required=True,
                                         hint=limit.format(n=LIMITS["summary"])), 2, 0, 2)
        self.add_row("account", FieldRow(tr("反映内容"), self.account, required=True,
                                         hint=limit.format(n=LIMITS["account"])), 3, 0, 2)
        self.add_row("demands", FieldRow(tr("诉求事项"), self.demands,
                                         hint=limit.format(n=LIMITS["demands"])), 4, 0, 2)
        self.discipline.toggled.connect(self._on_discipline)
        self.reset()

    def _on_discipline(self, on: bool) -> None:
        """A discipline report is an accusation (检举控告) by statute: preselect it."""
        if on:
            set_combo(self.statute, StatuteType.ACCUSATION.value)

    def reset(self) -> None:
        self.category.setCurrentIndex(0)
        set_combo(self.statute, StatuteType.APPEAL.value)
        self.discipline.setChecked(False)
        for w in (self.summary, self.account, self.demands):
            w.clear()

    def restore(self, values: dict[str, Any]) -> None:
        set_combo(self.category, str(values.get("category") or ""))
        self.discipline.setChecked(bool(values.get("discipline")))
        set_combo(self.statute, str(values.get("statute_type") or StatuteType.APPEAL.value))
        self.summary.setText(str(values.get("summary") or ""))
        self.account.setPlainText(str(values.get("account") or ""))
        self.demands.setPlainText(str(values.get("demands") or ""))

    def values(self) -> dict[str, Any]:
        return {"category": combo_value(self.category),
                "statute_type": combo_value(self.statute),
                "discipline": self.discipline.isChecked(),
                "summary": self.summary.text(),
                "account": self.account.toPlainText(),
                "demands": self.demands.toPlainText()}

    def focus_order(self) -> list[QWidget]:
        return [self.category, self.statute, self.discipline, self.summary, self.account,
                self.demands]
