"""Working-day calendar (official 2024–2026 schedules) and the statutory clocks of a case."""
from __future__ import annotations

import json
from datetime import date

import pytest
from core_helpers import registered_data

from petition_core.clocks import Clock, WorkCalendar, clocks_for, next_due
from petition_core.events import EventType as T
from petition_core.fold import fold

# ---- calendar ---------------------------------------------------------------------------

@pytest.mark.parametrize("day", [
    "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-05",
    "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-07",
    "2025-01-01", "2025-01-28", "2025-02-04", "2025-05-05", "2025-06-02", "2025-10-08",
    "2024-01-01", "2024-02-16", "2024-04-05", "2024-05-03", "2024-06-10", "2024-09-16",
    "2024-10-04",
])
def test_official_holidays(calendar, day):
    assert not calendar.is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", [
    # 调休 make-up working days that fall on weekends
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12",
    # ordinary weekdays right after a holiday period
    "2026-10-08", "2026-02-24", "2025-10-09", "2024-10-08",
])
def test_working_days(calendar, day):
    d = date.fromisoformat(day)
    assert calendar.is_working_day(d)


def test_make_up_days_are_weekends_and_net_days_off_match_the_law(calendar):
    """Weekdays off minus weekend make-up days = the statutory holidays of the year
    (全国年节及纪念日放假办法: 11 days until 2024, 13 from 2025)."""
    doc = json.loads(_holiday_file().read_text(encoding="utf-8"))
    assert doc["source"]
    for year, entry in doc["years"].items():
        assert all(date.fromisoformat(d).weekday() >= 5 for d in entry["workdays"])
        weekdays_off = [d for d in entry["holidays"] if date.fromisoformat(d).weekday() < 5]
        assert len(weekdays_off) - len(entry["workdays"]) == (11 if year == "2024" else 13)


def _holiday_file():
    from petition_core.resources import resource_path
    return resource_path("holidays", "cn.json")


def test_covers(calendar):
    assert calendar.years == [2024, 2025, 2026]
    assert calendar.covers(date(2026, 12, 31))
    assert not calendar.covers(date(2027, 1, 1))
    assert not calendar.covers(date(2023, 12, 31))


def test_uncovered_year_uses_statutory_holidays_and_weekends(calendar):
    """2027 is not in the table (the notice comes out in November): its statutory holidays
    are still rest days, Monday–Friday otherwise; nothing is a make-up working day."""
    assert not calendar.is_working_day(date(2027, 1, 1))  # 元旦 (a Friday)
    assert not calendar.is_working_day(date(2027, 1, 2))  # Saturday
    assert calendar.is_working_day(date(2027, 1, 4))      # Monday
    assert calendar.next_working_day(date(2027, 1, 1)) == date(2027, 1, 4)
    assert calendar.missing_years(date(2026, 12, 20), date(2027, 1, 5)) == (2027,)
    assert calendar.missing_years(date(2026, 1, 1), date(2026, 12, 31)) == ()


def test_add_working_days(calendar):
    # across 国庆 2026: 09-30 → Oct 8, 9, 10 (Sat make-up), 12, 13
    assert calendar.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    # across 春节 2026 from Friday 02-13: 14 (Sat make-up), 24, 25, 26, 27
    assert calendar.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert calendar.add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 3, 2), -1)


@pytest.mark.parametrize("doc", [
    {}, {"years": []}, {"years": {"2026": {"holidays": ["2026-13-01"]}}},
    {"years": {"2026": {"holidays": ["2025-10-01"]}}},
    {"years": {"2026": {"holidays": ["2026-10-01"], "workdays": ["2026-10-01"]}}},
    {"years": {"twenty": {"holidays": []}}}, {"years": {"2026": "none"}},
])
def test_bad_holiday_tables_are_refused(doc):
    with pytest.raises(ValueError):
        WorkCalendar.from_dict(doc)


def test_calendar_from_override_file(tmp_path, monkeypatch):
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "cn.json").write_text(json.dumps(
        {"source": "test", "years": {"2027": {"holidays": ["2027-01-01"], "workdays": []}}}),
        encoding="utf-8")
    monkeypatch.setenv("SUQIU_RESOURCES", str(tmp_path))
    cal = WorkCalendar.load_default()
    assert cal.covers(date(2027, 1, 1)) and not cal.is_working_day(date(2027, 1, 1))


# ---- Clock ------------------------------------------------------------------------------

def test_clock_states():
    c = Clock("k", "标签", "条例", date(2026, 3, 1), date(2026, 3, 16))
    assert c.days_left(date(2026, 3, 10)) == 6
    assert c.state(date(2026, 3, 12)) == "ok"
    assert c.state(date(2026, 3, 13)) == "near"
    assert c.state(date(2026, 3, 16)) == "near"
    assert c.state(date(2026, 3, 17)) == "overdue"
    assert Clock("k", "", "", date(2026, 3, 1), date(2026, 3, 16), date(2026, 3, 16)).state(
        date(2026, 9, 1)) == "done"
    assert Clock("k", "", "", date(2026, 3, 1), date(2026, 3, 16), date(2026, 3, 17)).state(
        date(2026, 3, 17)) == "done_late"
    window = Clock("w", "", "", date(2026, 3, 1), date(2026, 3, 31), obligation=False)
    assert window.state(date(2026, 4, 1)) == "done"   # lapsed unused: nothing owed
    assert window.state(date(2026, 3, 30)) == "near"


# ---- clocks of a case -------------------------------------------------------------------

def _case(events, *items):
    """Fold a linear history: items are (type, data) in order, lamport increasing."""
    evs = [events.make(t, d, lamport=i + 1) for i, (t, d) in enumerate(items)]
    return fold(evs)


def _by_key(clocks):
    return {c.key: c for c in clocks}


def test_fresh_case_has_decision_clock(events, calendar):
    st = _case(events, (T.REGISTERED.value, registered_data()))
    clocks = _by_key(clocks_for(st, calendar))
    assert set(clocks) == {"decide"}
    c = clocks["decide"]
    assert (c.start, c.due, c.done) == (date(2026, 3, 2), date(2026, 3, 17), None)
    assert c.article == "信访工作条例第22条、第23条" and c.label
    assert next_due(st, calendar, date(2026, 3, 3)) == c
    assert c.state(date(2026, 3, 18)) == "overdue"


def test_accepted_case_gets_conclusion_clock_with_extension(events, calendar):
    st = _case(events, (T.REGISTERED.value, registered_data()),
               (T.ACCEPTED.value, {"at": "2026-03-05T10:00:00+08:00", "supersedes": None}),
               (T.EXTENDED.value, {"days": 20, "reason": "需实地测量", "approved_by": "主任"}))
    clocks = _by_key(clocks_for(st, calendar))
    assert clocks["decide"].done == date(2026, 3, 5)
    assert clocks["decide"].state(date(2026, 9, 1)) == "done"
    conc = clocks["conclude"]
    assert conc.article == "信访工作条例第34条"
    # 60 + 20 days end on Sunday 2026-05-24, an ordinary weekend: the period ends Monday
    assert (conc.start, conc.due, conc.done) == (date(2026, 3, 5), date(2026, 5, 25), None)
    assert next_due(st, calendar, date(2026, 4, 1)).key == "conclude"


def test_late_decision_is_done_late(events, calendar):
    st = _case(events, (T.REGISTERED.value, registered_data()),
               (T.TRANSFERRED.value, {"at": "2026-03-20", "to_division": "530921000000"}))
    assert _by_key(clocks_for(st, calendar))["decide"].state(date(2026, 3, 20)) == "done_late"


def test_assigned_case_is_due_at_assigned_due(events, calendar):
    st = _case(events, (T.REGISTERED.value, registered_data()),
               (T.ACCEPTED.value, {"at": "2026-03-03"}),
               (T.ASSIGNED.value, {"at": "2026-03-04", "to_division": "530921000000",
                                   "due": "2026-03-25"}))
    assigned = _by_key(clocks_for(st, calendar))["assigned"]
    assert (assigned.start, assigned.due, assigned.done) == (
        date(2026, 3, 4), date(2026, 3, 25), None)
    assert next_due(st, calendar, date(2026, 3, 10)).key == "assigned"


def test_real_name_discipline_report(events, calendar):
    data = registered_data(discipline=True, category="discipline", statute_type="accusation",
                           received_at="2026-09-29T15:00:00+08:00")
    st = _case(events, (T.REGISTERED.value, data))
    clocks = _by_key(clocks_for(st, calendar))
    # 5 working days from 09-29 across 国庆: 09-30, 10-08, 10-09, 10-10 (make-up), 10-12
    assert clocks["discipline_decide"].due == date(2026, 10, 12)
    assert clocks["inform_accept"].due == calendar.add_working_days(date(2026, 9, 29), 15)
    assert next_due(st, calendar, date(2026, 9, 30)).key == "discipline_decide"

    st = _case(events, (T.REGISTERED.value, data),
               (T.ACCEPTED.value, {"at": "2026-10-09", "notify_channel": "phone"}),
               (T.CONCLUDED.value, {"at": "2026-11-02", "result": "属实"}))
    clocks = _by_key(clocks_for(st, calendar))
    assert clocks["discipline_decide"].state(date(2026, 11, 2)) == "done"
    assert clocks["inform_accept"].done == date(2026, 10, 9)
    assert clocks["inform_result"].start == date(2026, 11, 2)
    assert clocks["inform_result"].due == calendar.add_working_days(date(2026, 11, 2), 15)
    assert next_due(st, calendar, date(2026, 11, 3)).key == "inform_result"


def test_anonymous_discipline_report_has_no_feedback_duty(events, calendar):
    data = registered_data(discipline=True, petitioner={"anonymous": True})
    st = _case(events, (T.REGISTERED.value, data),
               (T.ACCEPTED.value, {"at": "2026-03-03"}),
               (T.CONCLUDED.value, {"at": "2026-04-01", "result": "不属实"}))
    keys = set(_by_key(clocks_for(st, calendar)))
    assert "discipline_decide" in keys
    assert not keys & {"inform_accept", "inform_result"}


def test_review_window_and_decision(events, calendar):
    base = [(T.REGISTERED.value, registered_data()), (T.ACCEPTED.value, {"at": "2026-03-03"}),
            (T.CONCLUDED.value, {"at": "2026-04-01", "result": "已解决"})]
    st = _case(events, *base)
    clocks = _by_key(clocks_for(st, calendar))
    window = clocks["review_window"]
    # no 送达 recorded: counted from the conclusion, and flagged; 30 days end on 05-01,
    # inside 劳动节 (05-01…05-05), so the window ends on the next working day
    assert (window.start, window.due, window.obligation, window.served_missing) == (
        date(2026, 4, 1), date(2026, 5, 6), False, True)
    assert next_due(st, calendar, date(2026, 4, 2)) is None  # a window is not a duty
    assert window.state(date(2026, 6, 1)) == "done"

    st = _case(events, *base, (T.REVIEW_REQUESTED.value, {"at": "2026-04-20", "kind": "review"}))
    clocks = _by_key(clocks_for(st, calendar))
    assert clocks["review_window"].state(date(2026, 4, 20)) == "done"
    assert clocks["review_decide"].due == date(2026, 5, 20)
    assert next_due(st, calendar, date(2026, 4, 21)).key == "review_decide"

    st = _case(events, *base, (T.REVIEW_REQUESTED.value, {"at": "2026-04-20", "kind": "review"}),
               (T.REVIEW_DECIDED.value, {"at": "2026-05-25", "kind": "review",
                                          "outcome": "upheld"}))
    clocks = _by_key(clocks_for(st, calendar))
    assert clocks["review_decide"].state(date(2026, 5, 25)) == "done_late"
    assert clocks["rereview_window"].start == date(2026, 5, 25)
    assert clocks["rereview_window"].article == "信访工作条例第36条"


def test_sealed_case_still_has_decision_clock(events, calendar):
    ev = events.make(T.REGISTERED.value, sealed=True, occurred_at="2026-03-02T09:00:00+08:00")
    st = fold([ev])
    assert st.sealed
    clocks = _by_key(clocks_for(st, calendar))
    assert set(clocks) == {"decide", "discipline_decide"}  # no real-name duty: unknown
    assert clocks["decide"].start == date(2026, 3, 2)
    assert clocks["discipline_decide"].due == date(2026, 3, 9)


def test_malformed_dates_do_not_crash(events, calendar):
    st = _case(events, (T.REGISTERED.value, registered_data(received_at="昨天")),
               (T.ACCEPTED.value, {"at": "not a date"}))
    clocks = _by_key(clocks_for(st, calendar))
    assert "decide" in clocks  # falls back to the event's occurred_at
    st = fold([])
    assert clocks_for(st, calendar) == [] and next_due(st, calendar, date(2026, 1, 1)) is None
