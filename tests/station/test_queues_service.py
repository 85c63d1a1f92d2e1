"""The workbench queues at a county station (issue 9 item 4): real stations, every action
through their services, the case's events copied between them as sync would.  Each queue's
count and rows agree with petition_core.queues' definition folded case by case."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from station_helpers import TEST_VILLAGE, form, ship

from petition_core.events import EventDraft, EventType
from petition_core.fold import fold
from petition_core.queues import Queue, case_queues
from station_app.paths import AppPaths
from station_app.services import ServiceError
from station_app.services.gatecheck import station_parties
from station_app.store import case_events, open_store
from station_app.store.eventlog import append_events

COUNTY = "530921000000"
MZ = "530921000000.mz"
TOWNSHIP = "530921108000"
Q = Queue


def _station(tmp_path, name: str, division: str, title: str, unit: str | None = None):
    from station_app.services import StationServices

    paths = AppPaths(tmp_path / name).ensure()
    svc = StationServices.from_store(paths, open_store(paths))
    svc.setup.initialise(division, title, "admin", "admin1234", "管理员", unit=unit)
    return svc, svc.accounts.authenticate("admin", "admin1234")


def _in(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def county_world(tmp_path, services, township_services):
    """A county centre with a case in each of its queues, and 县民政局's station:
    (county, mz, cases by name)."""
    county, cop = _station(tmp_path, "county", COUNTY, "凤庆县群众诉求中心")
    mz, mop = _station(tmp_path, "mz", COUNTY, "凤庆县民政局", unit=MZ)
    vop = services.accounts.authenticate("admin", "admin1234")
    top = township_services.accounts.authenticate("admin", "admin1234")
    vs, cs = services.cases, county.cases
    cases: dict[str, str] = {}

    def from_village(name: str, summary: str) -> str:
        cid = services.intake.register(form(summary=summary), vop).case_id
        vs.accept(cid, vop)
        vs.transfer(cid, vop, to_division=COUNTY, note="转县")
        ship(services, county, cid)
        cases[name] = cid
        return cid

    from_village("incoming", "宅基地纠纷待签收")
    signed = from_village("to_accept", "土地补偿待受理")
    cs.sign(signed, cop)
    work = from_village("in_hand", "拖欠工资办理中")
    cs.sign(work, cop)
    cs.accept(work, cop)
    # 交办 to 县民政局 with a 办结报告, urged, concluded and reported: the county reviews it
    rep = county.intake.register(form(summary="低保资格复核"), cop).case_id
    cases["report"] = rep
    cs.accept(rep, cop)
    cs.assign(rep, cop, to_division=COUNTY, to_unit=MZ, due=_in(20), report_required=True)
    cs.urge(rep, cop, note="请加快办理", due=_in(5))
    ship(county, mz, rep)
    mz.cases.sign(rep, mop)
    mz.cases.accept(rep, mop)
    mz.cases.conclude(rep, mop, result="已解决", opinion="已纳入低保。")
    mz.cases.submit_report(rep, mop, report="已纳入低保，附审批表。")
    ship(mz, county, rep)
    # 交办 to 县民政局 and urged, still with the department: 督办中 for the county
    urged = county.intake.register(form(summary="救助金发放督办"), cop).case_id
    cases["urged"] = urged
    cs.accept(urged, cop)
    cs.assign(urged, cop, to_division=COUNTY, to_unit=MZ, due=_in(20))
    cs.urge(urged, cop, note="请五日内答复", due=_in(5))
    # the township concluded its own case; a 复查 is asked: the county decides it
    tcase = township_services.intake.register(
        form(petitioner__address_division=TEST_VILLAGE, summary="复查申请"), top).case_id
    cases["review"] = tcase
    township_services.cases.accept(tcase, top)
    township_services.cases.conclude(tcase, top, result="已答复", opinion="维持原处理。")
    with township_services.store.session() as s:
        append_events(s, [EventDraft(tcase, EventType.REVIEW_REQUESTED,
                                     {"at": _in(0) + "T09:00:00+08:00", "kind": "review"})],
                      "admin")
    ship(township_services, county, tcase)
    # a village case the county has nothing to do with: in no queue of the county
    other = services.intake.register(form(summary="村里自办"), vop).case_id
    ship(services, county, other)
    cases["none"] = other
    yield county, mz, cases
    county.close()
    mz.close()


def _members(county, queue: str, today: str) -> set[str]:
    page = county.queues.rows(queue, today=today, limit=500)
    assert page.total == len(page.rows) == county.queues.count(queue, today=today)
    return {r.case_id for r in page.rows}


def _pure(county, today: str) -> dict[str, set[str]]:
    """Every case folded and judged by petition_core.queues (the definition)."""
    out: dict[str, set[str]] = {q.value: set() for q in Queue}
    with county.store.read() as s:
        unit = county.queues.unit()
        dues = dict(s.execute(text("SELECT case_id, due_date FROM case_index")).all())
        for cid in dues:
            st = fold(case_events(s, cid), cid)
            for q in case_queues(st, station_parties(s, st), unit, date.fromisoformat(today),
                                 due_of=lambda _st, c=cid: dues[c]):
                out[q.value].add(cid)
    return out


def test_county_queues_hold_the_right_cases(county_world):
    county, _mz, c = county_world
    today = date.today().isoformat()
    qc = county.queues.counts(today=today)
    assert qc.unit == COUNTY
    assert _members(county, "incoming", today) == {c["incoming"]}
    assert _members(county, "to_accept", today) == {c["to_accept"]}
    assert _members(county, "in_hand", today) == {c["in_hand"]}
    assert _members(county, "report_review", today) == {c["report"]}
    assert _members(county, "urged", today) == {c["urged"]}     # reported: no longer urged
    assert _members(county, "reviewing", today) == {c["review"]}
    assert _members(county, "overdue", today) == set()
    assert dict(qc.counts) == {"incoming": 1, "to_accept": 1, "in_hand": 1, "near_due": 0,
                               "overdue": 0, "report_review": 1, "urged": 1, "reviewing": 1}
    assert qc.new_arrivals == 1
    assert qc.urges_received == 0           # the county urged; it received none
    assert _pure(county, today) == {q: _members(county, q, today) for q in dict(qc.counts)}


def test_near_and_overdue_follow_the_day(county_world):
    county, _mz, c = county_world
    later = (date.today() + timedelta(days=400)).isoformat()
    over = _members(county, "overdue", later)
    # its own three, and the one with 县民政局 it may urge (the reported one is concluded)
    assert over == {c["incoming"], c["to_accept"], c["in_hand"], c["urged"]}
    assert _pure(county, later)["overdue"] == over
    with county.store.read() as s:
        due = s.execute(text(
            "SELECT due_date FROM case_index WHERE case_id = :c"), {"c": c["in_hand"]}).scalar()
    day_before = (date.fromisoformat(due) - timedelta(days=1)).isoformat()
    assert c["in_hand"] in _members(county, "near_due", day_before)
    assert c["in_hand"] not in _members(county, "overdue", day_before)


def test_urges_received_by_the_department(county_world, tmp_path):
    county, _mz, c = county_world
    mz = county  # the department's own station: rebuild from the county's copy
    from station_app.services import StationServices

    paths = AppPaths(tmp_path / "mz").ensure()
    mz = StationServices.from_store(paths, open_store(paths))
    try:
        ship(county, mz, c["urged"])
        qc = mz.queues.counts()
        assert qc.unit == MZ
        assert qc.count("incoming") == 1 and qc.new_arrivals == 1
        assert qc.count("urged") == 1 and qc.urges_received == 1
    finally:
        mz.close()


def test_unknown_queue_is_refused(county_world):
    county, _mz, _c = county_world
    for bad in ("", "pending", "INCOMING"):
        with pytest.raises(ServiceError) as ei:
            county.queues.rows(bad)
        assert ei.value.code == "queue_invalid"


def _urges(svc, case_id: str) -> int:
    with svc.store.read() as s:
        return sum(e.type == "case.urged" for e in case_events(s, case_id))


def test_batch_urge_one_failure_reported_the_others_done(county_world):
    county, mz, c = county_world
    cop = county.accounts.authenticate("admin", "admin1234")
    # a second case with 县民政局, overdue to be urged with the first
    more = county.intake.register(form(summary="临时救助督办"), cop).case_id
    county.cases.accept(more, cop)
    county.cases.assign(more, cop, to_division=COUNTY, to_unit=MZ, due=_in(20))
    before = {k: _urges(county, v) for k, v in c.items()}
    picked = [c["urged"], c["report"], more, "0190d0c0-0000-7000-8000-000000000000"]
    res = county.queues.urge_many(picked, cop, note="逾期未办结，请三日内报结", due=_in(3))
    assert res.done == (c["urged"], more)
    assert [(f.case_id, f.code) for f in res.failed] == [
        (c["report"], "action_not_in_status"),     # concluded meanwhile: nothing to urge
        ("0190d0c0-0000-7000-8000-000000000000", "case_unknown")]
    assert res.failed[0].case_no.startswith(COUNTY)
    assert res.changes.cases == {c["urged"], more}
    assert _urges(county, c["urged"]) == before["urged"] + 1 and _urges(county, more) == 1
    assert _urges(county, c["report"]) == before["report"]
    assert county.queues.count("urged") == 2


def test_batch_urge_bad_input_writes_nothing(county_world):
    from petition_core.validation import ValidationErrors

    county, _mz, c = county_world
    cop = county.accounts.authenticate("admin", "admin1234")
    for note, due in (("  ", _in(3)), ("请办理", "2020-01-01"), ("请办理", "下周")):
        with pytest.raises(ValidationErrors):
            county.queues.urge_many([c["urged"]], cop, note=note, due=due)
    assert _urges(county, c["urged"]) == 1
