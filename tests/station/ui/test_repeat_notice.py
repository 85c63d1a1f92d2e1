"""The county's repeat finding on the case page (issue 9 item 6): one plain Chinese line per
earlier case, "已在办理，不再受理" when that case is being handled below; nothing otherwise."""
from __future__ import annotations

import pytest

from petition_core.ids import uuid7
from petition_core.protocol import RepeatFinding
from station_app.store.repeats import store_findings


@pytest.fixture
def case_id(station_services):
    from station_app.app import _sample_form

    op = station_services.accounts.authenticate("admin", "admin1234")
    return station_services.intake.register(_sample_form(station_services, 0), op).case_id


def test_the_case_page_shows_the_county_finding(main_window, case_id, station_services,
                                                ui_runner, settle):
    main_window.open_case(case_id)
    settle(ui_runner)
    page = main_window.detail
    assert page.repeats.isHidden()               # no finding: no line
    other, below = uuid7(), uuid7()
    with station_services.store.session() as s:
        store_findings(s, [
            RepeatFinding(case_id, other, "530921108202-2025-0003", "id_number", 1.0),
            RepeatFinding(case_id, other, "530921108202-2025-0003", "content", 0.8),
            RepeatFinding(case_id, below, "530921108000-2026-0012", "name_village", 1.0,
                          "in_progress_below"),
        ])
    main_window.open_case(case_id)
    settle(ui_runner)
    assert not page.repeats.isHidden()
    assert page.repeats.text().splitlines() == [
        "县里发现：该诉求与 530921108000-2026-0012 号案件可能重复。该事项已在办理，不再受理。",
        "县里发现：该诉求与 530921108202-2025-0003 号案件可能重复。",
    ]
