"""更正 (amend a registered fact, keeping the old value on record), 关联 (link a repeat
petition) and 采用这个决定 (resolve a conflict between two stations' decisions): the
case-detail actions that edit the case itself rather than move it along its process.  Same
base as the other action dialogs (action_base.py)."""
from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from petition_core.enums import Category, Channel, StatuteType, SubjectLevel
from station_app.services import CaseDetail, CaseQuery, ServiceError

from . import UiContext
from .action_base import ActionDialog, field_value, set_field_value, text_edit
from .i18n import QT_TRANSLATE_NOOP, enum_label


def actor_text(entry: Any) -> str:
    """Who did it, for a history row or a conflict option: the person's name when the login
    is one of this station's, the login marked as another station's otherwise (this PC does
    not know the people of other stations)."""
    if entry.actor_name:
        return entry.actor_name
    if not entry.actor_local:
        return QCoreApplication.translate("CaseDetailPage", "%1（其他站点）").replace(
            "%1", entry.actor)
    return entry.actor

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
        elif isinstance(kind, type) and issubclass(kind, Enum):
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

    def restore(self, values: dict[str, Any]) -> None:
        super().restore(values)   # the field first: it builds the matching editor
        if values.get("new_value") not in (None, ""):
            set_field_value(self.new_widget, values["new_value"])

    def values(self) -> dict[str, Any]:
        w = self.new_widget
        if isinstance(w, QComboBox):
            new: Any = w.currentData()
        elif isinstance(w, QSpinBox):
            new = w.value()
        else:
            new = field_value(w)
        return {"field": self.field_combo.currentData(), "new_value": new,
                "reason": field_value(self.widget("reason"))}


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
                                             related=[match.case_id], note=values["note"],
                                             expected_version=self.detail.version)


class ResolveConflictDialog(ActionDialog):
    """需要人工决定: adopt one of two incompatible decisions, with the reason on record.
    The other decision stays in the history."""

    action = "resolve_conflict"

    def __init__(self, ctx: UiContext, detail: CaseDetail, group: str, option: Any,
                 parent: QWidget | None = None) -> None:
        self.group = group
        self.option = option
        super().__init__(ctx, detail, parent)

    def build(self) -> None:
        chosen = QLabel(f"{actor_text(self.option)}：{self.option.summary}")
        chosen.setWordWrap(True)
        self.form.addRow(self.tr("采用"), chosen)
        self.add_field("note", self.tr("裁定理由"), text_edit(70), required=True)
        hint = QLabel(self.tr("另一个决定将作废，但仍保留在办理过程中。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def call(self, values: dict[str, Any]) -> CaseDetail:
        return self._ctx.services.cases.resolve_conflict(
            self.detail.case_id, self._ctx.operator, group=self.group,
            chosen_event_id=self.option.event_id, note=values["note"],
            expected_version=self.detail.version)
