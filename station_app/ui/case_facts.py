"""What the case page says about a case: the rows of 基本情况 and the next deadline, in
the UI's language (context "CaseDetailPage", so the texts keep their translations)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from station_app.services import CaseDetail

from . import calendar_notice
from .i18n import tr_label
from .theme import clock_urgency, urgency_colors, urgency_text

_L = {
    "case_no": QT_TRANSLATE_NOOP("CaseDetailPage", "案件编号"),
    "query_code": QT_TRANSLATE_NOOP("CaseDetailPage", "查询码"),
    "received_at": QT_TRANSLATE_NOOP("CaseDetailPage", "登记时间"),
    "channel": QT_TRANSLATE_NOOP("CaseDetailPage", "来源渠道"),
    "category": QT_TRANSLATE_NOOP("CaseDetailPage", "诉求类别"),
    "statute": QT_TRANSLATE_NOOP("CaseDetailPage", "诉求性质"),
    "division": QT_TRANSLATE_NOOP("CaseDetailPage", "所属地区"),
    "petitioner": QT_TRANSLATE_NOOP("CaseDetailPage", "反映人"),
    "id_number": QT_TRANSLATE_NOOP("CaseDetailPage", "身份证号码"),
    "phone": QT_TRANSLATE_NOOP("CaseDetailPage", "联系电话"),
    "address": QT_TRANSLATE_NOOP("CaseDetailPage", "详细住址"),
    "group": QT_TRANSLATE_NOOP("CaseDetailPage", "来访人数"),
    "subject": QT_TRANSLATE_NOOP("CaseDetailPage", "被反映对象"),
    "summary": QT_TRANSLATE_NOOP("CaseDetailPage", "诉求摘要"),
    "account": QT_TRANSLATE_NOOP("CaseDetailPage", "反映内容"),
    "demands": QT_TRANSLATE_NOOP("CaseDetailPage", "诉求事项"),
    "owner": QT_TRANSLATE_NOOP("CaseDetailPage", "当前承办"),
    "declined": QT_TRANSLATE_NOOP("CaseDetailPage", "不予受理理由"),
    "other_channel": QT_TRANSLATE_NOOP("CaseDetailPage", "告知途径"),
    "result": QT_TRANSLATE_NOOP("CaseDetailPage", "办理结果"),
    "opinion": QT_TRANSLATE_NOOP("CaseDetailPage", "处理意见"),
    "satisfaction": QT_TRANSLATE_NOOP("CaseDetailPage", "满意度"),
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
        (_t("received_at"), d.received_at[:16].replace("T", " ")),
        (_t("channel"), tr_label(d.channel_label)),
        (_t("category"), tr_label(d.category_label)),
        (_t("statute"), tr_label(d.statute_label)),
        (_t("division"), d.division_name),
        (_t("petitioner"), d.petitioner_display),
        (_t("id_number"), p.get("id_number")), (_t("phone"), p.get("phone")),
        (_t("address"), p.get("address_detail")),
    ]
    if g.get("size"):
        reps = "、".join(r.get("name", "") for r in g.get("representatives") or [])
        rows.append((_t("group"), f"{g.get('size')}" + (f"（{reps}）" if reps else "")))
    if s.get("name") or s.get("unit"):
        rows.append((_t("subject"), " ".join(x for x in (s.get("name"), s.get("unit")) if x)))
    rows += [(_t("summary"), d.summary), (_t("account"), d.account),
             (_t("demands"), d.demands)]
    if d.owner_unit or d.owner_division != d.division:
        rows.append((_t("owner"), d.owner_unit or d.owner_division))
    if d.declined:
        rows.append((_t("declined"), d.declined.get("reason")))
        rows.append((_t("other_channel"), d.declined.get("other_channel")))
    if d.conclusion:
        rows.append((_t("result"), d.conclusion.get("result")))
        rows.append((_t("opinion"), d.conclusion.get("opinion")))
    if d.satisfaction:
        rows.append((_t("satisfaction"), tr_label(d.satisfaction_label)))
    return rows


def next_due(d: CaseDetail) -> tuple[str, str, str]:
    """The nearest open deadline in words ("登记后15日内…：剩2天", marked （暂定） when a
    year's holiday calendar is missing), its colour ("" if none) and the tooltip that
    names the missing calendar."""
    open_clocks = [c for c in d.clocks if c.state in ("ok", "near", "overdue")
                   and c.days_left is not None]
    if not open_clocks:
        return "", "", ""
    c = min(open_clocks, key=lambda c: c.days_left)
    urgency = clock_urgency(c.state)
    fg, _bg = urgency_colors(urgency)
    text = tr_label(c.label) + _t("colon") + urgency_text(urgency, c.days_left)
    if c.missing_years:
        text += calendar_notice.mark()
    return text, fg.name(), calendar_notice.notice(c.missing_years)
