"""The workbench queues (issue 9 item 4) on hand-made folded stories: each queue's
definition, for the unit that looks, and never for a unit that has nothing to do."""
from __future__ import annotations

from datetime import date

from units_helpers import COUNTY, MZ, TOWN, VILLAGE, Story, station_unit

from petition_core.ownership import derive_parties
from petition_core.queues import (
    Queue,
    QueueFacts,
    Stage,
    case_queues,
    due_class,
    queues_for,
    stage_of,
)

Q = Queue
TODAY = date(2026, 3, 10)


def _q(story: Story, unit: str, due: str | None = None) -> frozenset[Queue]:
    parties = derive_parties(story.events, station_unit=station_unit)
    return case_queues(story.state(), parties, unit, TODAY, due_of=lambda _s: due)


def test_registered_here_waits_for_acceptance_then_is_in_hand():
    s = Story().register()
    assert _q(s, VILLAGE) == {Q.TO_ACCEPT}
    assert _q(s, TOWN) == frozenset()              # above it: nothing to do
    s.do("V", "accepted")
    assert _q(s, VILLAGE) == {Q.IN_HAND}


def test_transferred_waits_for_signing_at_the_receiver_only():
    s = Story().register().do("V", "accepted").transfer("V", COUNTY, MZ)
    assert stage_of(s.state()) is Stage.SIGN
    assert _q(s, MZ) == {Q.INCOMING}
    assert _q(s, VILLAGE) == frozenset()           # the sender supervises: nothing to sign
    assert _q(s, COUNTY) == frozenset()            # the centre is not the department
    s.do("MZ", "signed")
    assert _q(s, MZ) == {Q.TO_ACCEPT}
    s.do("MZ", "accepted")
    assert _q(s, MZ) == {Q.IN_HAND}


def test_assigned_with_report_goes_to_the_supervisor_for_review():
    s = Story().register("C", COUNTY).do("C", "accepted").assign("C", MZ)
    assert _q(s, MZ) == {Q.INCOMING}
    s.do("MZ", "signed").do("MZ", "accepted")
    s.do("MZ", "concluded", result="已解决", outcome="resolved")
    assert _q(s, COUNTY) == frozenset()
    s2 = Story().register("C", COUNTY).do("C", "accepted")
    s2.do("C", "assigned", to_division=COUNTY, to_unit=MZ, due="2026-04-30T17:00:00+08:00",
          report_required=True)
    s2.do("MZ", "signed").do("MZ", "accepted")
    s2.do("MZ", "concluded", result="已解决", outcome="resolved")
    s2.do("MZ", "report_submitted", report="已按政策发放")
    assert _q(s2, COUNTY) == {Q.REPORT_REVIEW}
    assert _q(s2, MZ) == frozenset()               # concluded: off its lists
    report_id = s2.events[-1].event_id
    s2.do("C", "report_accepted", report_id=report_id)
    assert _q(s2, COUNTY) == frozenset()


def test_urged_until_concluded_for_handler_and_supervisor():
    s = Story().register().do("V", "accepted").transfer("V", TOWN).do("T", "signed")
    s.do("C", "urged", note="请加快", due="2026-03-20")
    assert _q(s, TOWN) == {Q.TO_ACCEPT, Q.URGED}
    assert _q(s, VILLAGE) == {Q.URGED}             # it supervises the case it sent up
    assert _q(s, MZ) == frozenset()
    s.do("T", "accepted").do("T", "concluded", result="已解决", outcome="resolved")
    assert _q(s, TOWN) == frozenset() and _q(s, VILLAGE) == frozenset()


def test_near_and_overdue_only_for_the_handler_with_work_left():
    s = Story().register().do("V", "accepted")
    assert _q(s, VILLAGE, "2026-03-09") == {Q.IN_HAND, Q.OVERDUE}
    assert _q(s, VILLAGE, "2026-03-13") == {Q.IN_HAND, Q.NEAR_DUE}
    assert _q(s, VILLAGE, "2026-03-14") == {Q.IN_HAND}
    assert _q(s, TOWN, "2026-03-09") == frozenset()
    s.do("V", "concluded", result="已解决", outcome="resolved")
    assert _q(s, VILLAGE, "2026-03-09") == frozenset()


def test_near_and_overdue_also_for_the_supervisor_who_may_urge():
    s = Story().register("C", COUNTY).do("C", "accepted").assign("C", MZ)
    assert _q(s, COUNTY, "2026-03-09") == {Q.OVERDUE}
    assert _q(s, MZ, "2026-03-09") == {Q.INCOMING, Q.OVERDUE}
    assert _q(s, COUNTY, "2026-03-12") == {Q.NEAR_DUE}
    assert _q(s, TOWN, "2026-03-09") == frozenset()
    s.do("MZ", "signed").do("MZ", "accepted").do("MZ", "concluded", result="已解决",
                                                 outcome="resolved")
    assert _q(s, COUNTY, "2026-03-09") == frozenset()       # nothing left to urge


def test_review_is_in_the_reviewing_units_queue():
    s = Story().register().do("V", "accepted").do("V", "concluded", result="已解决",
                                                    outcome="resolved")
    s.do("V", "review_requested", kind="review")
    assert stage_of(s.state()) is Stage.REVIEW
    assert _q(s, TOWN) == {Q.REVIEWING}             # the level above the village decides
    assert _q(s, VILLAGE) == frozenset()
    s.do("T", "review_decided", kind="review", outcome="upheld")
    assert _q(s, TOWN) == frozenset()


def test_declined_and_closed_are_in_no_queue():
    s = Story().register().do("V", "declined", reason="不属于信访事项")
    assert _q(s, VILLAGE, "2026-03-01") == frozenset()


def test_due_class_and_empty_unit():
    assert due_class(None, TODAY) == "" and due_class("2026-03-10", TODAY) == "near"
    assert due_class("2026-03-09T12:00:00", TODAY) == "overdue"
    facts = QueueFacts("", "", "", Stage.SIGN, False, True)
    assert queues_for(facts, "2026-03-01", "", TODAY) == frozenset()
