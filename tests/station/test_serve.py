"""记录送达 (issue 8 item 1): the 复查 window runs from the day the petitioner received the
written reply; bad input is refused with field codes and writes nothing."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from station_helpers import counts, form

from petition_core.clocks import WorkCalendar
from petition_core.validation import ValidationErrors
from station_app.services import ServiceError
from station_app.store.eventlog import now_iso


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


def _at(days_ago: int) -> str:
    return (datetime.now().astimezone() - timedelta(days=days_ago)).isoformat(
        timespec="seconds")


@pytest.fixture
def concluded(services, op):
    """A case concluded ten days ago (the service's clock hook set back, as the demo does)."""
    cs = services.cases
    case = services.intake.register(form(received_at=_at(20)), op).case_id
    cs.now = lambda: _at(12)
    cs.accept(case, op)
    cs.now = lambda: _at(10)
    cs.conclude(case, op, result="已解决", opinion="已协调退还土地。")
    cs.now = now_iso
    return case


def _window(detail):
    return next(c for c in detail.clocks if c.key == "review_window")


def test_review_window_runs_from_the_recorded_serving(services, op, concluded):
    cs = services.cases
    before = _window(cs.detail(concluded, op))
    replied = date.today() - timedelta(days=10)
    cal = WorkCalendar.load_default()
    assert before.start == replied.isoformat() and before.served_missing
    assert before.due == cal.period_end(replied, 30).isoformat()

    served_on = date.today() - timedelta(days=4)
    d = cs.serve(concluded, op, served_on=served_on.isoformat(), method="post",
                 note="挂号信回执")
    after = _window(d)
    assert (after.start, after.served_missing) == (served_on.isoformat(), False)
    assert after.due == cal.period_end(served_on, 30).isoformat()
    entry = d.timeline[-1]
    assert entry.type == "case.served"
    assert entry.summary == f"处理意见书于{served_on.isoformat()}邮寄送达：挂号信回执"
    assert "serve" in d.allowed_actions          # a wrong date can be recorded again
    d = cs.serve(concluded, op, served_on=date.today().isoformat(), method="direct")
    assert _window(d).start == date.today().isoformat()


def test_bad_serving_input_is_refused_and_writes_nothing(services, op, concluded, tmp_paths):
    cs = services.cases
    before = counts(tmp_paths.db_path)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    too_early = (date.today() - timedelta(days=11)).isoformat()
    for kwargs, expected in [
        ({"served_on": tomorrow, "method": "post"}, {"served_on": "date_future"}),
        ({"served_on": too_early, "method": "post"}, {"served_on": "served_before_reply"}),
        ({"served_on": "上周三", "method": "carrier pigeon"},
         {"served_on": "date_format", "method": "invalid_choice"}),
        ({"served_on": "", "method": ""}, {"served_on": "required", "method": "required"}),
    ]:
        with pytest.raises(ValidationErrors) as exc:
            cs.serve(concluded, op, **kwargs)
        assert exc.value.codes() == expected
    with pytest.raises(ValidationErrors) as exc:
        cs.serve(concluded, op, served_on=too_early, method="post")
    assert exc.value.errors[0].params == {
        "reply_date": (date.today() - timedelta(days=10)).isoformat()}
    assert counts(tmp_paths.db_path) == before


def test_serving_needs_a_written_reply(services, op):
    case = services.intake.register(form(), op).case_id
    assert "serve" not in services.cases.detail(case, op).allowed_actions
    with pytest.raises(ServiceError) as exc:
        services.cases.serve(case, op, served_on=date.today().isoformat(), method="post")
    assert exc.value.code == "action_not_in_status"


def test_serving_carries_the_version_seen_and_says_what_changed(services, op, concluded,
                                                                tmp_paths):
    """记录送达 is an action like the others: refused as stale_state when the case changed
    after the clerk looked (nothing written), and its answer names the case it changed."""
    from station_app.services import Changes

    seen = services.cases.detail(concluded, op)
    services.cases.progress(concluded, op, note="另一个窗口记了一笔")
    before = counts(tmp_paths.db_path)
    with pytest.raises(ServiceError) as exc:
        services.cases.serve(concluded, op, served_on=_at(2)[:10], method="post",
                             expected_version=seen.version)
    assert exc.value.code == "stale_state" and exc.value.params["action"] == "serve"
    assert counts(tmp_paths.db_path) == before
    fresh = services.cases.detail(concluded, op)
    done = services.cases.serve(concluded, op, served_on=_at(2)[:10], method="post",
                                expected_version=fresh.version)
    assert done.changes == Changes(cases=frozenset({concluded}), outbox=True)
    assert done.version != fresh.version and not _window(done).served_missing
