"""The one wording for a date counted without its year's official holiday calendar.

Why: a year missing from the holiday table is counted from the statutory holidays and
Monday–Friday (``petition_core.clocks``); the State Council's notice may still move a
working day, so every screen that shows such a date — the case's clocks, the case book,
the dashboard, the intake's success page, printed documents — says that year's calendar is
not loaded yet, in the same words (services pass the years as ``missing_years`` /
``calendar_missing``).  Also the note for a 复查/复核 window whose 送达 is not recorded.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

# every call names its context literally: lupdate only collects literal contexts


def years_text(years: Iterable[int]) -> str:
    return QCoreApplication.translate("CalendarNotice", "、").join(
        str(y) for y in sorted(set(years)))


def notice(years: Iterable[int]) -> str:
    """A sentence for the screen; "" when nothing is missing."""
    years = tuple(years)
    if not years:
        return ""
    return QCoreApplication.translate(
        "CalendarNotice", "%1年的放假安排尚未载入本系统，相关日期暂按法定节假日和周一至周五推算，"
                          "载入国务院放假通知后可能变动。").replace("%1", years_text(years))


def printed_note(years: Iterable[int]) -> str:
    """The same for a printed document the petitioner takes home; "" when nothing is missing."""
    years = tuple(years)
    if not years:
        return ""
    return QCoreApplication.translate(
        "CalendarNotice", "注：本站尚未载入%1年的放假安排，上述日期暂按法定节假日推算，"
                          "如遇调休以国务院通知为准。").replace("%1", years_text(years))


def mark() -> str:
    """Appended to a date counted without its year's calendar."""
    return QCoreApplication.translate("CalendarNotice", "（暂定）")


def served_missing() -> str:
    """Beside a 复查/复核 window counted from the reply's date."""
    return QCoreApplication.translate("CalendarNotice", "未记录送达日期，暂从书面答复之日起算")
