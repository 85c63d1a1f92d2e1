"""The building blocks of the intake form: one field row with its inline message, and the
sections of the form (basics, petitioner, group visit, subject, content).

Why split out of intake_form.py: each section owns its widgets, its part of the form dict
(the shape ``petition_core.validation.validate_registration`` accepts) and the map from
field paths (``petitioner.id_number``, ``group.representatives.2.name``) to the row that
shows an error.  The page then only orchestrates: collect, check, save, show errors.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateTimeEdit, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from petition_core.enums import Category, Channel, StatuteType, SubjectLevel
from petition_core.validation import LIMITS, MAX_REPRESENTATIVES

from .i18n import enum_label
from .messages import error_text

ERROR_STYLE = "color:#b71c1c;"
WARNING_STYLE = "color:#8a5300;"


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files bare tr() under ""


class FieldRow(QWidget):
    """A label, the input, and under it a red error line and an amber warning line.

    Errors block saving; warnings (e.g. an old ID area code) only ask the clerk to look again.
    """

    def __init__(self, label: str, editor: QWidget, *, required: bool = False,
                 hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
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
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.warning_label = QLabel()
        self.warning_label.setObjectName("fieldWarning")
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        lay.addWidget(self.error_label)
        lay.addWidget(self.warning_label)
        lay.addStretch(1)  # rows sharing a grid line stay top-aligned

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


# ---- sections -------------------------------------------------------------------------------
class BasicsSection(Section):
    """渠道, 登记时间 (not in the future), 登记人 (the logged-in operator)."""

    def __init__(self, clerk_name: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("一、登记信息"), parent)
        self.channel = enum_combo(Channel)
        self.received = QDateTimeEdit()
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
        return self.received.dateTime().toPython().astimezone().isoformat(timespec="seconds")

    def values(self) -> dict[str, Any]:
        return {"channel": combo_value(self.channel), "received_at": self.received_iso()}

    def focus_order(self) -> list[QWidget]:
        return [self.channel, self.received]


class PetitionerSection(Section):
    """实名 / 匿名; identity fields are hidden and emptied when anonymous."""

    def __init__(self, make_division_picker: Callable[[], QWidget],
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
            if anonymous:
                row.editor.clear()
                row.clear()

    def reset(self) -> None:
        self.anonymous.setChecked(False)
        for w in (self.name, self.id_number, self.phone, self.address_detail):
            w.clear()

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


class RepresentativeRow(QWidget):
    """One elected representative: name, ID number, phone, and a remove button."""

    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.name = line(placeholder=tr("代表姓名"))
        self.id_number = line(placeholder=tr("代表身份证号码"))
        self.phone = line(placeholder=tr("代表电话"))
        self.rows = {"name": FieldRow(tr("姓名"), self.name, required=True),
                     "id_number": FieldRow(tr("身份证号码"), self.id_number),
                     "phone": FieldRow(tr("联系电话"), self.phone)}
        for r in self.rows.values():
            lay.addWidget(r, 1)
        self.remove = QPushButton(tr("删除"))
        self.remove.setObjectName("danger")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        lay.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignBottom)

    def values(self) -> dict[str, str]:
        return {"name": self.name.text(), "id_number": self.id_number.text(),
                "phone": self.phone.text()}


class GroupSection(Section):
    """多人走访: number of people and at most five representatives (Art. 18)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("三、多人走访"), parent)
        self.is_group = QCheckBox(tr("多人一起来反映同一事项（集体访）"))
        self.body.insertWidget(0, self.is_group)
        self.size = QSpinBox()
        self.size.setRange(2, 9999)
        self.size.setSuffix(tr(" 人"))
        self.add_row("group.size", FieldRow(tr("来访人数"), self.size, required=True), 0, 0)
        self.reps_box = QVBoxLayout()
        self.body.addLayout(self.reps_box)
        self.add_button = QPushButton(tr("添加代表"))
        self.reps_message = QLabel()
        self.reps_message.setObjectName("fieldError")
        self.reps_message.setStyleSheet(ERROR_STYLE)
        self.reps_message.setWordWrap(True)
        self.reps_message.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.reps_message, 1)
        self.body.addLayout(bar)
        self.representatives: list[RepresentativeRow] = []
        self.add_button.clicked.connect(self.add_representative)
        self.is_group.toggled.connect(self._on_group)
        self._on_group(False)

    def _on_group(self, on: bool) -> None:
        self.rows["group.size"].setVisible(on)
        self.add_button.setVisible(on)
        for rep in self.representatives:
            rep.setVisible(on)
        if not on:
            self.reps_message.hide()

    def add_representative(self) -> RepresentativeRow | None:
        """Add a row, or refuse the sixth with the reason shown next to the button."""
        if len(self.representatives) >= MAX_REPRESENTATIVES:
            self.reps_message.setText(error_text("too_many_representatives",
                                                 {"max": MAX_REPRESENTATIVES}))
            self.reps_message.show()
            return None
        rep = RepresentativeRow()
        rep.remove_requested.connect(self._remove)
        self.representatives.append(rep)
        self.reps_box.addWidget(rep)
        self.reps_message.hide()
        self._renumber()
        rep.name.setFocus()
        return rep

    def _remove(self, rep: RepresentativeRow) -> None:
        if rep in self.representatives:
            self.representatives.remove(rep)
            rep.setParent(None)
            rep.deleteLater()
            self.reps_message.hide()
            self._renumber()

    def _renumber(self) -> None:
        for i, rep in enumerate(self.representatives, start=1):
            rep.rows["name"].label.setText(tr("代表{n} 姓名（必填）").format(n=i))

    def reset(self) -> None:
        for rep in list(self.representatives):
            self._remove(rep)
        self.size.setValue(2)
        self.is_group.setChecked(False)

    def field_rows(self) -> dict[str, FieldRow]:
        rows = dict(self.rows)
        for i, rep in enumerate(self.representatives):
            for key, row in rep.rows.items():
                rows[f"group.representatives.{i}.{key}"] = row
        return rows

    def group_message(self) -> str:
        return self.reps_message.text() if not self.reps_message.isHidden() else ""

    def show_group_error(self, text: str, *, warning: bool = False) -> None:
        self.reps_message.setText(text)
        self.reps_message.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
        self.reps_message.setVisible(bool(text))

    def values(self) -> dict[str, Any]:
        if not self.is_group.isChecked():
            return {"group": None}
        return {"group": {"size": self.size.value(),
                          "representatives": [r.values() for r in self.representatives]}}

    def focus_order(self) -> list[QWidget]:
        order: list[QWidget] = [self.is_group, self.size]
        for rep in self.representatives:
            order += [rep.name, rep.id_number, rep.phone, rep.remove]
        return order + [self.add_button]


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
        self.add_row("account", FieldRow(tr("反映内容"), self.account,
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
