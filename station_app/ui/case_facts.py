"""What the case page says about a case: the rows of 基本情况 and the next deadline, in
the UI's language (context "CaseDetailPage", so the texts keep their translations)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from station_app.services import CaseDetail

from . import calendar_notice
from .i18n import QT_TRANSLATE_NOOP, tr_label
from .messages import field_label
from .theme import clock_urgency, urgency_colors, urgency_text

# the labels that are not a form field's (those are ui/messages.py field_label: one table)
_L = {
    "case_no": QT_TRANSLATE_NOOP("CaseDetailPage", "案件编号"),
    "query_code": QT_TRANSLATE_NOOP("CaseDetailPage", "查询码"),
    "petitioner": QT_TRANSLATE_NOOP("CaseDetailPage", "反映人"),
    "subject": QT_TRANSLATE_NOOP("CaseDetailPage", "被反映对象"),
    "owner": QT_TRANSLATE_NOOP("CaseDetailPage", "当前承办"),
    "declined": QT_TRANSLATE_NOOP("CaseDetailPage", "不予受理理由"),
    "colon": QT_TRANSLATE_NOOP("CaseDetailPage", "："),
}


def fact_text(value: Any) -> str:
    """A fact's value for display: "—" when empty, 是/否 for yes/no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return QCoreApplication.translate("CaseDetailPage", "是") if value else \
            QCoreApplication.translate("CaseDetailPage", "否")
    return str(value)


def _t(key: str) -> str:
    return QCoreApplication.translate("CaseDetailPage", _L[key])


def fact_rows(d: CaseDetail) -> list[tuple[str, Any]]:
    """(label, value) for every fact the case has; empty values are shown as "—"."""
    p = d.petitioner or {}
    g = d.group or {}
    s = d.subject or {}
    rows: list[tuple[str, Any]] = [
        (_t("case_no"), d.case_no), (_t("query_code"), d.query_code),
        (field_label("received_at"), d.received_at[:16].replace("T", " ")),
        (field_label("channel"), tr_label(d.channel_label)),
        (field_label("category"), tr_label(d.category_label)),
        (field_label("statute_type"), tr_label(d.statute_label)),
        (field_label("division"), d.division_name),
        (_t("petitioner"), d.petitioner_display),
        (field_label("petitioner.id_number"), p.get("id_number")),
        (field_label("petitioner.phone"), p.get("phone")),
        (field_label("petitioner.address_detail"), p.get("address_detail")),
    ]
    if g.get("size"):
        reps = "、".join(r.get("name", "") for r in g.get("representatives") or [])
        rows.append((field_label("group.size"),
                     f"{g.get('size')}" + (f"（{reps}）" if reps else "")))
    if s.get("name") or s.get("unit"):
        rows.append((_t("subject"), " ".join(x for x in (s.get("name"), s.get("unit")) if x)))
    rows += [(field_label("summary"), d.summary), (field_label("account"), d.account),
             (field_label("demands"), d.demands)]
    if d.owner_unit or d.owner_division != d.division:
        rows.append((_t("owner"), d.owner_unit_name or d.owner_unit or d.owner_division))
    if d.declined:
        rows.append((_t("declined"), d.declined.get("reason")))
        rows.append((field_label("other_channel"), d.declined.get("other_channel")))
    if d.conclusion:
        rows.append((field_label("result"), d.conclusion.get("result")))
        rows.append((field_label("opinion"), d.conclusion.get("opinion")))
    if d.satisfaction:
        rows.append((field_label("satisfaction"), tr_label(d.satisfaction_label)))
    return rows


def next_due(d: CaseDetail) -> tuple[str, str, str]:
    """The nearest open deadline in words ("登记后15日内…：剩2天", marked （暂定） when a
    year's holiday calendar is missing), its colour ("" if none) and the tooltip that
    names the missing calendar."""
    open_clocks = [(c.days_left, c) for c in d.clocks if c.state in ("ok", "near", "overdue")
                   and c.days_left is not None]
    if not open_clocks:
        return "", "", ""
    c = min(open_clocks, key=lambda pair: pair[0])[1]
    urgency = clock_urgency(c.state)
    fg, _bg = urgency_colors(urgency)
    text = tr_label(c.label) + _t("colon") + urgency_text(urgency, c.days_left)
    if c.missing_years:
        text += calendar_notice.mark()
    return text, fg.name(), calendar_notice.notice(c.missing_years)
