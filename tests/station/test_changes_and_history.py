"""What changed, what the clerk saw, and the history in the case's own terms (issue 8,
C13 and C14): actions carry the version of the case the clerk was looking at and are refused
as ``stale_state`` when it changed meanwhile; every write says which cases it changed; the
history puts each row at the case's own time and names this station's people."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from station_helpers import form

from petition_core.events import Event, make_payload
from petition_core.ids import uuid7
from station_app.services import Changes, ServiceError
from station_app.store import apply_remote_events, case_events


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


def _remote(case_id: str, type_: str, data: dict, actor: str = "zhen01") -> Event:
    return Event(event_id=uuid7(), case_id=case_id, station_id="township-station",
                 station_seq=1, type=type_, lamport=5, actor=actor,
                 occurred_at=datetime.now(UTC).isoformat(), payload=make_payload(data))


def test_an_action_on_a_case_that_changed_since_it_was_shown_is_stale(services, op):
    case = services.intake.register(form(), op).case_id
    seen = services.cases.detail(case, op)
    assert seen.version
    # meanwhile the sync brings the township's note on this case
    now = datetime.now().astimezone().isoformat()
    with services.store.session() as s:
        apply_remote_events(s, [_remote(case, "case.progress", {"note": "乡镇已电话联系",
                                                                "at": now})])
    before = len(case_events_of(services, case))
    with pytest.raises(ServiceError) as exc:
        services.cases.accept(case, op, note="受理", expected_version=seen.version)
    assert exc.value.code == "stale_state" and exc.value.params["case_id"] == case
    assert len(case_events_of(services, case)) == before          # nothing written
    # looking again gives the new version; the same action then goes through
    fresh = services.cases.detail(case, op)
    assert fresh.version != seen.version
    done = services.cases.accept(case, op, note="受理", expected_version=fresh.version)
    assert done.status == "accepted" and done.version != fresh.version
    # every action kind takes the version (one more, with the stale one)
    with pytest.raises(ServiceError) as exc:
        services.cases.progress(case, op, note="再记一笔", expected_version=fresh.version)
    assert exc.value.code == "stale_state"


def test_stale_is_checked_before_the_status_rule(services, op):
    """Another station declined meanwhile: the clerk hears that the case changed, not a
    puzzling "not allowed" for what the screen still offers."""
    case = services.intake.register(form(), op).case_id
    seen = services.cases.detail(case, op)
    services.cases.decline(case, op, reason="不属于本机关职责范围", other_channel="县法院")
    with pytest.raises(ServiceError) as exc:
        services.cases.accept(case, op, expected_version=seen.version)
    assert exc.value.code == "stale_state"


def test_writes_say_what_they_changed(services, op):
    reg = services.intake.register(form(), op)
    assert reg.changes.cases == frozenset({reg.case_id}) and reg.changes.outbox
    d = services.cases.progress(reg.case_id, op, note="已联系村委会")
    assert d.changes == Changes(cases=frozenset({reg.case_id}), outbox=True)
    # a read says nothing changed
    assert not services.cases.detail(reg.case_id, op).changes
    assert services.backup.backup_now().changes.backups


def test_changes_combine_and_answer_for_a_case():
    a = Changes.of_cases(["x"])
    assert a.touches("x") and not a.touches("y") and not a.touches("")
    assert (a | Changes(operators=True)).operators and (a | Changes()).cases == {"x"}
    assert Changes.everything().touches("anything") and not Changes()


def case_events_of(services, case_id):
    with services.store.read() as s:
        return case_events(s, case_id)


def test_history_reads_in_the_cases_own_times_with_names(services, op):
    received = (datetime.now().astimezone() - timedelta(days=3)).replace(second=0, microsecond=0)
    case = services.intake.register(
        form(received_at=received.isoformat(timespec="minutes")), op).case_id
    # the township's note from two days ago arrives now, after the case was written down
    two_days = (datetime.now().astimezone() - timedelta(days=2)).isoformat()
    with services.store.session() as s:
        apply_remote_events(s, [_remote(case, "case.progress", {"note": "乡镇已电话联系",
                                                                "at": two_days})])
    services.cases.progress(case, op, note="今天上门查看")
    t = services.cases.detail(case, op).timeline
    assert [e.type for e in t] == ["case.registered", "case.progress", "case.progress"]
    # the 登记 row stands at the 登记时间, not at the moment it was typed in
    assert datetime.fromisoformat(t[0].at) == received
    assert [datetime.fromisoformat(e.at) for e in t] == sorted(
        datetime.fromisoformat(e.at) for e in t)
    # this station's operator by name; another station's login is marked remote
    assert (t[0].actor, t[0].actor_name, t[0].actor_local) == ("admin", "管理员", True)
    assert (t[1].actor, t[1].actor_name, t[1].actor_local) == ("zhen01", "", False)


def test_a_remote_login_that_matches_a_local_one_is_not_given_the_local_name(services, op):
    case = services.intake.register(form(), op).case_id
    with services.store.session() as s:   # "admin" at the township is another person
        apply_remote_events(s, [_remote(case, "case.progress",
                                        {"note": "乡镇", "at": datetime.now().astimezone()
                                         .isoformat()}, actor="admin")])
    remote = [e for e in services.cases.detail(case, op).timeline if not e.actor_local]
    assert remote and remote[0].actor_name == ""
