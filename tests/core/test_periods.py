"""Issue 8, item 1: the rule of periods (民法典 Arts. 201–203), 送达, the Art. 23 objection
clock and the statutory holidays of years missing from the table — each example of the
issue, through the real holiday table and the real fold."""
from __future__ import annotations

import json
from datetime import date

import pytest
from core_helpers import registered_data

from petition_core.clocks import WorkCalendar, clocks_for, next_due
from petition_core.events import EventType as T
from petition_core.fold import fold
from petition_core.holidays import statutory_holidays
from petition_core.resources import resource_path
from petition_core.served import latest_reply, validate_served
from petition_core.validation import ValidationErrors


def _case(events, *items):
    return fold([events.make(t, d, lamport=i + 1) for i, (t, d) in enumerate(items)])


def _clocks(events, calendar, *items):
    return {c.key: c for c in clocks_for(_case(events, *items), calendar)}


def _reg(day: str, **kw):
    return (T.REGISTERED.value, registered_data(received_at=f"{day}T09:00:00+08:00", **kw))


# ---- the rule of periods ---------------------------------------------------------------

def test_fifteen_days_from_new_years_eve_of_january_end_on_the_first_working_day(calendar):
    """The issue's example: 15 days from 2026-01-31 end on 02-15, inside 春节 (02-15…02-23),
    so the period ends on 2026-02-24, not 02-15."""
    assert calendar.period_end(date(2026, 1, 31), 15) == date(2026, 2, 24)


def test_agency_deadline_follows_the_rule(events, calendar):
    c = _clocks(events, calendar, _reg("2026-01-31"))["decide"]
    assert (c.start, c.due) == (date(2026, 1, 31), date(2026, 2, 24))
    assert c.missing_years == ()


def test_petitioners_window_follows_the_rule(events, calendar):
    """The 复查 window of a reply received (送达) on 2026-01-16: 30 days end on 02-15, in
    春节, so the petitioner may still ask on 02-24."""
    clocks = _clocks(events, calendar, _reg("2025-12-01"),
                     (T.ACCEPTED.value, {"at": "2025-12-02"}),
                     (T.CONCLUDED.value, {"at": "2026-01-14", "result": "已解决"}),
                     (T.SERVED.value, {"reply": "conclusion", "served_on": "2026-01-16",
                                       "method": "post"}))
    w = clocks["review_window"]
    assert (w.start, w.due, w.served_missing) == (date(2026, 1, 16), date(2026, 2, 24), False)


@pytest.mark.parametrize("start, days, end", [
    ("2026-01-30", 15, "2026-02-14"),   # Saturday, but a 调休 working day: stays
    ("2025-12-30", 60, "2026-02-28"),   # Saturday 调休 working day again
    ("2026-09-05", 15, "2026-09-20"),   # Sunday 调休 working day before 国庆
    ("2026-03-05", 15, "2026-03-20"),   # an ordinary Friday
    ("2026-03-06", 15, "2026-03-23"),   # ordinary Saturday 03-21 → Monday
    ("2026-09-20", 15, "2026-10-08"),   # 10-05 in 国庆 (10-01…10-07) → 10-08
])
def test_period_end(calendar, start, days, end):
    assert calendar.period_end(date.fromisoformat(start), days) == date.fromisoformat(end)


def test_make_up_working_saturday_does_not_move_a_case_clock(events, calendar):
    c = _clocks(events, calendar, _reg("2026-01-30"))["decide"]
    assert c.due == date(2026, 2, 14) and c.due.weekday() == 5


def test_working_day_clock_from_mid_december_crosses_new_year(events, calendar):
    """2027 is not in the table.  A real-name report received 2026-12-15 must be told of
    the acceptance within 15 working days: 2027-01-01 is 元旦, not a working day, so the
    last day is 01-06 (counting 01-01 gave 01-05) — and the clock says 2027 is not loaded."""
    clocks = _clocks(events, calendar, _reg("2026-12-15", discipline=True,
                                            category="discipline", statute_type="accusation"))
    inform = clocks["inform_accept"]
    assert inform.due == date(2027, 1, 6)
    assert inform.missing_years == (2027,)
    assert clocks["discipline_decide"].due == date(2026, 12, 22)
    assert clocks["discipline_decide"].missing_years == ()
    # a 5-working-day clock started 2026-12-28: 29, 30, 31, (元旦, weekend), 01-04, 01-05
    c = _clocks(events, calendar, _reg("2026-12-28", discipline=True))["discipline_decide"]
    assert (c.due, c.missing_years) == (date(2027, 1, 5), (2027,))


def test_calendar_day_clock_into_a_missing_year_is_flagged(events, calendar):
    c = _clocks(events, calendar, _reg("2026-12-20"))["decide"]
    # 15 days → 2027-01-04 (Monday): computed from the statutory holidays, flagged
    assert (c.due, c.missing_years) == (date(2027, 1, 4), (2027,))
    c = _clocks(events, calendar, _reg("2026-12-17"))["decide"]
    # 15 days → 2027-01-01, 元旦 → the next working day, Monday 01-04
    assert (c.due, c.missing_years) == (date(2027, 1, 4), (2027,))
    c = _clocks(events, calendar, _reg("2026-12-01"))["decide"]
    assert c.missing_years == ()


# ---- 复查/复核 windows from the recorded 送达 ------------------------------------------------

_BASE = [_reg("2026-03-02"), (T.ACCEPTED.value, {"at": "2026-03-03"}),
         (T.CONCLUDED.value, {"at": "2026-04-01", "result": "已解决"})]


def test_review_window_runs_from_the_served_date(events, calendar):
    no_record = _clocks(events, calendar, *_BASE)["review_window"]
    assert (no_record.start, no_record.due, no_record.served_missing) == (
        date(2026, 4, 1), date(2026, 5, 6), True)
    served = _clocks(events, calendar, *_BASE,
                     (T.SERVED.value, {"reply": "conclusion", "served_on": "2026-04-08",
                                       "method": "post"}))["review_window"]
    assert (served.start, served.due, served.served_missing) == (
        date(2026, 4, 8), date(2026, 5, 8), False)
    # a corrected record replaces the first
    fixed = _clocks(events, calendar, *_BASE,
                    (T.SERVED.value, {"reply": "conclusion", "served_on": "2026-04-08",
                                      "method": "post"}),
                    (T.SERVED.value, {"reply": "conclusion", "served_on": "2026-04-10",
                                      "method": "direct"}))["review_window"]
    assert fixed.start == date(2026, 4, 10)


def test_served_record_that_cannot_be_true_is_ignored(events, calendar):
    for bad in ({"reply": "conclusion", "served_on": "2026-03-20", "method": "post"},  # before
                {"reply": "conclusion", "served_on": "next week", "method": "post"},
                {"reply": "something", "served_on": "2026-04-08"},
                {"reply": "conclusion", "served_on": 20260408}):
        w = _clocks(events, calendar, *_BASE, (T.SERVED.value, bad))["review_window"]
        assert (w.start, w.served_missing) == (date(2026, 4, 1), True)


def test_redo_voids_the_served_record(events, calendar):
    evs = [events.make(t, d, lamport=i + 1) for i, (t, d) in enumerate([
        *_BASE, (T.SERVED.value, {"reply": "conclusion", "served_on": "2026-04-08",
                                  "method": "post"}),
        (T.REDO_ORDERED.value, {"at": "2026-04-20", "reason": "调查不充分"})])]
    assert fold(evs[:4]).served["conclusion"]["on"] == "2026-04-08"
    evs.append(events.make(T.CONCLUDED.value, {"at": "2026-05-11", "result": "已解决",
                                               "supersedes": evs[-1].event_id}, lamport=6))
    st = fold(evs)
    assert st.conclusion["at"] == "2026-05-11" and st.served == {}
    w = {c.key: c for c in clocks_for(st, calendar)}["review_window"]
    assert (w.start, w.served_missing) == (date(2026, 5, 11), True)


def test_rereview_window_runs_from_the_served_review_decision(events, calendar):
    items = [*_BASE, (T.REVIEW_REQUESTED.value, {"at": "2026-04-20", "kind": "review"}),
             (T.REVIEW_DECIDED.value, {"at": "2026-05-18", "kind": "review",
                                        "outcome": "upheld"})]
    assert latest_reply(_case(events, *items)) == ("review", date(2026, 5, 18))
    w = _clocks(events, calendar, *items)["rereview_window"]
    assert (w.start, w.served_missing) == (date(2026, 5, 18), True)
    w = _clocks(events, calendar, *items,
                (T.SERVED.value, {"reply": "review", "served_on": "2026-05-25",
                                  "method": "direct"}))["rereview_window"]
    assert (w.start, w.due, w.served_missing) == (date(2026, 5, 25), date(2026, 6, 24), False)


def test_validate_served_collects_every_error():
    ok = validate_served({"reply": "conclusion", "served_on": "2026-04-08", "method": "post",
                          "note": " 挂号信 "}, today=date(2026, 4, 9),
                         reply_date=date(2026, 4, 1))
    assert ok == {"reply": "conclusion", "served_on": "2026-04-08", "method": "post",
                  "note": "挂号信"}
    cases = [
        ({"reply": "conclusion", "served_on": "2026-04-10", "method": "post"},
         {"served_on": "date_future"}),
        ({"reply": "conclusion", "served_on": "2026-03-31", "method": "post"},
         {"served_on": "served_before_reply"}),
        ({"reply": "final", "served_on": "04/08/2026", "method": "pigeon", "extra": 1},
         {"reply": "invalid_choice", "served_on": "date_format", "method": "invalid_choice",
          "extra": "unknown_field"}),
        ({}, {"reply": "required", "served_on": "required", "method": "required"}),
        ({"reply": "conclusion", "served_on": "2026-04-08", "method": "post",
          "note": "x" * 501, "at": "yesterday"}, {"note": "too_long", "at": "date_format"}),
    ]
    for data, expected in cases:
        with pytest.raises(ValidationErrors) as exc:
            validate_served(data, today=date(2026, 4, 9), reply_date=date(2026, 4, 1))
        assert exc.value.codes() == expected
    with pytest.raises(ValidationErrors):
        validate_served(["not", "a", "dict"], today=date(2026, 4, 9))


# ---- Art. 23: objecting to a wrongly transferred case ------------------------------------

def test_objection_clock_is_five_working_days(events, calendar):
    transfer = (T.TRANSFERRED.value, {"at": "2026-09-29", "to_division": "530921000000",
                                      "to_unit": "县自然资源局"})
    clocks = _clocks(events, calendar, _reg("2026-09-28"), transfer)
    c = clocks["objection"]
    # 09-30, (国庆 10-01…10-07), 10-08, 10-09, 10-10 (调休 Saturday), 10-12
    assert (c.start, c.due, c.obligation) == (date(2026, 9, 29), date(2026, 10, 12), False)
    assert c.article == "信访工作条例第23条" and c.label
    assert c.state(date(2026, 10, 13)) == "done"          # lapsed unused: nothing owed
    # a window, never the next duty (the transfer itself met the 15-day decision clock)
    assert next_due(_case(events, _reg("2026-09-28"), transfer), calendar,
                    date(2026, 9, 30)) is None

    # a later 转办 (e.g. the objection sent it back) starts a new window
    again = (T.TRANSFERRED.value, {"at": "2026-10-09", "to_division": "530921108000"})
    assert _clocks(events, calendar, _reg("2026-09-28"), transfer, again)[
        "objection"].start == date(2026, 10, 9)
    # 交办 opens it too, and concluding within the window closes it
    assign = (T.ASSIGNED.value, {"at": "2026-03-04", "to_division": "530921000000",
                                 "due": "2026-03-25"})
    clocks = _clocks(events, calendar, _reg("2026-03-02"), assign,
                     (T.CONCLUDED.value, {"at": "2026-03-06", "result": "已解决"}))
    assert clocks["objection"].due == date(2026, 3, 11)
    assert clocks["objection"].state(date(2026, 3, 20)) == "done"
    assert clocks["objection"].done == date(2026, 3, 6)


# ---- statutory holidays of a year missing from the table -----------------------------------

# published dates (农历 as printed in the national calendar; 清明 from the almanac)
PUBLISHED = {
    2027: {"除夕": "2027-02-05", "春节": "2027-02-06", "清明": "2027-04-05",
           "端午": "2027-06-09", "中秋": "2027-09-15"},
    2028: {"除夕": "2028-01-25", "春节": "2028-01-26", "清明": "2028-04-04",
           "端午": "2028-05-28", "中秋": "2028-10-03"},
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_missing_year_statutory_holidays_match_published_dates(calendar, year):
    assert not calendar.covers(date(year, 1, 1))
    p = {k: date.fromisoformat(v) for k, v in PUBLISHED[year].items()}
    expected = {date(year, 1, 1), p["除夕"], p["春节"], p["清明"], p["端午"], p["中秋"],
                date(year, 5, 1), date(year, 5, 2),
                date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    expected |= {date.fromordinal(p["春节"].toordinal() + i) for i in (1, 2)}   # 初二, 初三
    assert statutory_holidays(year) == expected
    for d in expected:
        assert not calendar.is_working_day(d), d
    # the day after 初三 and after 中秋 are ordinary weekdays again (no 调休 known yet)
    after_spring = date.fromordinal(p["春节"].toordinal() + 3)
    assert calendar.is_working_day(after_spring) == (after_spring.weekday() < 5)


def test_2027_spring_festival_in_a_working_day_count(calendar):
    # 2027-02-04 (Thursday) + 3 working days: 02-05…02-08 are 春节, 02-09, 02-10, 02-11
    assert calendar.add_working_days(date(2027, 2, 4), 3) == date(2027, 2, 11)
    # 30 days from 2027-08-16 end on 中秋 (Wednesday 09-15): the next working day
    assert calendar.period_end(date(2027, 8, 16), 30) == date(2027, 9, 16)


def test_statutory_days_agree_with_the_official_table(calendar):
    """Every statutory day computed for a year the table holds is a holiday in the State
    Council's notice (2024 under the 2013 rule, 2025/2026 under the 2024 revision)."""
    doc = json.loads(resource_path("holidays", "cn.json").read_text(encoding="utf-8"))
    for year, entry in doc["years"].items():
        table = {date.fromisoformat(d) for d in entry["holidays"]}
        assert statutory_holidays(int(year)) <= table, year
    assert len(statutory_holidays(2024)) == 11 and len(statutory_holidays(2026)) == 13


def test_holiday_rule_range():
    with pytest.raises(ValueError):
        statutory_holidays(1899)
    cal = WorkCalendar({})   # an empty table: every year from the law
    assert not cal.is_working_day(date(2026, 2, 17))
    assert cal.is_working_day(date(2300, 1, 1)) == (date(2300, 1, 1).weekday() < 5)
