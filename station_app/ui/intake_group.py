"""Section 三 of the intake form: a group visit (多人走访) and its elected representatives.

At most five representatives (信访工作条例 Art. 18): the sixth is refused next to the button
with the reason, instead of being accepted and rejected at 保存.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from petition_core.validation import MAX_REPRESENTATIVES

from .intake_fields import ERROR_STYLE, WARNING_STYLE, FieldRow, Section, line, tr
from .messages import error_text


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

    def restore(self, values: dict[str, Any]) -> None:
        self.name.setText(str(values.get("name") or ""))
        self.id_number.setText(str(values.get("id_number") or ""))
        self.phone.setText(str(values.get("phone") or ""))


class GroupSection(Section):
    """多人走访: number of people and at most five representatives (Art. 18)."""

    representatives_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("三、多人走访"), parent)
        self.is_group = QCheckBox(tr("多人一起来反映同一事项（集体访）"))
        self.body.insertWidget(0, self.is_group)
        self.group_size = QSpinBox()
        self.group_size.setRange(2, 9999)
        self.group_size.setSuffix(tr(" 人"))
        self.add_row("group.size", FieldRow(tr("来访人数"), self.group_size, required=True), 0, 0)
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
        self.representatives_changed.emit()
        return rep

    def _remove(self, rep: RepresentativeRow) -> None:
        if rep in self.representatives:
            self.representatives.remove(rep)
            rep.setParent(None)
            rep.deleteLater()
            self.reps_message.hide()
            self._renumber()
            self.representatives_changed.emit()

    def _renumber(self) -> None:
        for i, rep in enumerate(self.representatives, start=1):
            rep.rows["name"].label.setText(tr("代表{n} 姓名（必填）").format(n=i))

    def reset(self) -> None:
        for rep in list(self.representatives):
            self._remove(rep)
        self.group_size.setValue(2)
        self.is_group.setChecked(False)

    def restore(self, values: dict[str, Any]) -> None:
        """Put back what ``values()`` returned (after a language switch rebuilt the form)."""
        self.reset()
        group = values.get("group")
        if not group:
            return
        self.is_group.setChecked(True)
        self.group_size.setValue(int(group.get("size") or 2))
        for rep_values in group.get("representatives") or []:
            rep = self.add_representative()
            if rep is not None:
                rep.restore(rep_values)

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
        return {"group": {"size": self.group_size.value(),
                          "representatives": [r.values() for r in self.representatives]}}

    def focus_order(self) -> list[QWidget]:
        order: list[QWidget] = [self.is_group, self.group_size]
        for rep in self.representatives:
            order += [rep.name, rep.id_number, rep.phone, rep.remove]
        return order + [self.add_button]
