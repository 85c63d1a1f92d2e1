"""The 督办单 and the 处理意见书 name the handling unit by its name, not by its code: since
units (issue 9) a case's handler is a unit code (县民政局 is ``530921000000.mz``) and a centre
is its division's code, which the printed sheet must turn into 凤庆县民政局 and
凤庆县群众诉求中心 through the unit register."""
from __future__ import annotations

from datetime import date, timedelta

from station_app import app as station_app_main
from station_app.paths import AppPaths
from station_app.services import StationServices


def test_the_sheets_name_the_department_and_the_centre(tmp_path):
    svc = StationServices.open(AppPaths(tmp_path / "county").ensure())
    try:
        svc.setup.initialise("530921000000", "凤庆县群众诉求中心", "county", "demo1234", "值班员")
        op = svc.accounts.list_operators()[0]
        cs, form = svc.cases, station_app_main._sample_form
        soon = (date.today() + timedelta(days=10)).isoformat()
        urged = svc.intake.register(form(svc, 1), op).case_id
        cs.accept(urged, op)
        cs.assign(urged, op, to_division="530921000000", to_unit="530921000000.mz", due=soon)
        cs.urge(urged, op, note="请加快办理", due=soon)
        sheet = svc.documents.urge_sheet_data(urged)
        assert sheet.handling_unit == "凤庆县民政局"
        done = svc.intake.register(form(svc, 2), op).case_id
        cs.accept(done, op)
        cs.conclude(done, op, result="已解决", opinion="道路已修复。")
        assert svc.documents.reply_data(done).handling_unit == "凤庆县群众诉求中心"
    finally:
        svc.close()
