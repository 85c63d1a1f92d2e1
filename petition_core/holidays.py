"""The statutory public holidays of any year, known before the State Council's yearly notice.

Why computed: the days themselves are fixed by law (全国年节及纪念日放假办法); only the 调休
swaps (make-up working weekends, bridged days) wait for the yearly notice that
``resources/holidays/cn.json`` records.  So for a year missing from that table the
working-day calendar still knows that 2027-01-01 and 春节 are holidays, instead of counting
them as working days (see ``petition_core.clocks.WorkCalendar``).

The law (2024 revision, in force from 2025; 13 days):
元旦 1/1 · 春节 农历除夕 – 正月初三 · 清明 (the solar term's day) · 劳动节 5/1–5/2 ·
端午 农历五月初五 · 中秋 农历八月十五 · 国庆 10/1–10/3.
For years before 2025 the 2013 revision applies (11 days): 春节 正月初一 – 初三 and 劳动节 5/1
only (years before 2014 are treated the same: no case here is that old).

Lunar dates and the 清明 solar term come from ``tyme4py`` (see docs/dependencies.md), which
computes them with the 寿星天文历 algorithms in Beijing time.  It is imported on first use:
only a year missing from the table needs it.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

REVISION_2024_FIRST_YEAR = 2025   # 国务院令第795号 (2024-11-10), in force 2025-01-01
MIN_YEAR, MAX_YEAR = 1900, 2199   # the range the lunar tables are trusted for here


def _solar(day) -> date:  # a tyme4py SolarDay
    return date(day.get_year(), day.get_month(), day.get_day())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[date]:
    """Every statutory holiday of ``year`` (weekends not included, no 调休 swaps).

    ValueError for a year outside 1900–2199."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"no holiday rule for the year {year}")
    from tyme4py.lunar import LunarDay
    from tyme4py.solar import SolarTerm

    def lunar(month: int, day: int) -> date:
        return _solar(LunarDay.from_ymd(year, month, day).get_solar_day())

    new_year = lunar(1, 1)                               # 正月初一
    if year >= REVISION_2024_FIRST_YEAR:
        spring = [new_year + timedelta(days=i) for i in range(-1, 3)]   # 除夕 – 初三
        labour = [date(year, 5, 1), date(year, 5, 2)]
    else:
        spring = [new_year + timedelta(days=i) for i in range(3)]       # 初一 – 初三
        labour = [date(year, 5, 1)]
    qingming = _solar(SolarTerm.from_name(year, "清明").get_julian_day().get_solar_day())
    days = {date(year, 1, 1), *spring, qingming, *labour, lunar(5, 5), lunar(8, 15),
            date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    return frozenset(days)

