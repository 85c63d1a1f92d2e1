"""An upper server must judge a relayed batch in the order the lower server stored it.

Found by the county demo (station_app/demo_county.py): a county server that sends up once,
after a village's 回访 and 县民政局's 办结 of the same case arrived from two stations, has
the city refuse the 回访 (``action_not_in_status``, "follow_up" on a case still
"transferred"): the city's merge groups the batch by origin station and judges the
village's events before the department's.  The county had accepted both, in causal order;
the city voided the 回访 for good.  Fixed: the upper server judges runs of consecutive
events per origin station, in the order the lower server sent them
(sync_server/services/merge.py ``_upstream_groups``).
"""
from __future__ import annotations

from station_app.services.cases import CaseService
from station_app.services.intake import IntakeService

from .levels import CLERK, COUNTY, MZ, VILLAGE, Levels, cli, server_ids, start_servers, sync
from .test_five_levels import _form


def test_a_follow_up_sent_up_with_the_conclusion_before_it_is_accepted(tmp_path):
    levels: Levels = start_servers(tmp_path / "servers")
    try:
        county = levels.county
        village = levels.station(tmp_path / "village", VILLAGE, "鹿鸣村", county)
        mz, mz_op = levels.first_run(tmp_path / "mz", COUNTY, "凤庆县民政局", county, unit=MZ,
                                     login="mzj")
        case = IntakeService(village.store, village.paths).register(_form(), CLERK).case_id
        CaseService(village.store).transfer(case, CLERK, to_division=COUNTY, to_unit=MZ)
        sync(village, county)
        sync(mz, county)
        dept = CaseService(mz.store)
        dept.sign(case, mz_op)
        dept.accept(case, mz_op)
        dept.conclude(case, mz_op, result="已解决", opinion="已按政策办理。")
        sync(mz, county)
        sync(village, county)
        CaseService(village.store).follow_up(case, CLERK, satisfaction="satisfied")
        sync(village, county)
        assert county.event_ids() and len(server_ids(county)) == 6
        rc, out = cli(county, "upstream-sync")     # one batch: both stations' events
        assert rc == 0, out
        assert server_ids(levels.city) == server_ids(county)
    finally:
        levels.stop()
