"""County reference data by sync (issue 9 item 1; decisions/0009), with a real server
process and a real station client: the county registers a department and loads a new
holiday year with its own CLI; after one sync the station's unit list has the department
and a due date moves with the new year.  Forged, unsigned and bad records are refused one
by one, and the good ones around them are kept."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from petition_core import protocol as P
from petition_core.clocks import WorkCalendar
from petition_core.enums import Role
from station_app.paths import AppPaths
from station_app.services import StationServices
from station_app.store import get_setting
from station_app.store.projection import work_calendar
from station_app.sync.engine import SyncEngine
from station_app.sync.reference import K_REF_CURSOR, store_references

COUNTY = "530921000000"
NY = "530921000000.ny"      # 凤庆县农业农村局: not in the shipped register


@pytest.fixture(autouse=True)
def _shipped_calendar():
    WorkCalendar.install_synced({})
    yield
    WorkCalendar.install_synced({})


def _code(server, *args: str) -> str:
    res = server.cli("enroll", *args)
    assert res.returncode == 0, res.stderr
    return re.search(r"enrollment code: ([A-Z2-9]{4}-[A-Z2-9]{4})", res.stdout).group(1)


def _notice(tmp_path, years: dict) -> str:
    path = tmp_path / "notice.json"
    path.write_text(json.dumps({"source": "国办发明电", "years": years}, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


YEAR_2027 = {"notice": "test notice",
             "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"],
             "workdays": ["2027-01-09"]}


def test_a_department_and_a_holiday_year_reach_the_station(own_server, tmp_path):
    server = own_server
    svc = StationServices.open(AppPaths(tmp_path / "county"))
    try:
        svc.setup.initialise(COUNTY, "凤庆县群众诉求中心", "admin", "admin1234", "王",
                             Role.ADMIN)
        engine = SyncEngine(svc.store, svc.paths, server_url=server.url)
        engine.enroll(_code(server, "--unit", COUNTY))
        # before: 2027 is not loaded; 2027-01-04 is an ordinary Monday
        start = date(2026, 12, 20)
        assert work_calendar().period_end(start, 15) == date(2027, 1, 4)
        assert NY not in dict(svc.setup.units(COUNTY))
        assert svc.setup.default_unit_for("land") == COUNTY + ".xf"           # by kind
        assert svc.setup.default_unit_for("discipline") == COUNTY + ".jw"

        res = server.cli("units", "add", NY, "凤庆县农业农村局", "--alias", "农业局")
        assert res.returncode == 0, res.stderr
        res = server.cli("holidays", "load", _notice(tmp_path, {
            "2027": YEAR_2027,
            "2028": {"holidays": ["2027-05-01"]},        # a date of another year: refused
        }))
        assert res.returncode == 1 and "2027" in res.stdout and "holidays_invalid" in res.stdout
        listed = server.cli("units", "list").stdout
        assert NY in listed and "凤庆县农业农村局" in listed
        assert server.cli("routes", "set", "land", NY).returncode == 0      # item 8
        res = server.cli("routes", "set", "nonsense", NY)
        assert res.returncode == 1 and "route_category_invalid" in res.stderr
        res = server.cli("routes", "set", "land", "530921000000.nope")
        assert res.returncode == 1 and "unit_unknown" in res.stderr
        assert f"land\t{NY}\tyes" in server.cli("routes", "list", "--county", COUNTY).stdout

        report = engine.sync_once()
        assert report.reference_stored == 3 and report.reference_refused == 0
        assert svc.setup.default_unit_for("land") == NY
        assert svc.setup.default_unit_for("discipline") == COUNTY + ".jw"
        assert dict(svc.setup.units(COUNTY))[NY] == "凤庆县农业农村局"
        # the picker's search finds it by its alias too
        with svc.store.read() as s:
            from station_app.services.setup import unit_register
            assert [u.code for u in unit_register(s).search("农业局")][:1] == [NY]
            assert int(get_setting(s, K_REF_CURSOR)) >= 2
        cal = work_calendar()
        assert not cal.is_working_day(date(2027, 1, 4)) and cal.is_working_day(date(2027, 1, 9))
        assert cal.period_end(start, 15) == date(2027, 1, 5)      # moved by the notice
        assert cal.missing_years(start, date(2027, 1, 5)) == ()

        # a rename and a deactivation travel the same way; the next sync brings only them
        assert server.cli("units", "deactivate", NY).returncode == 0
        assert engine.sync_once().reference_stored == 1
        assert NY not in dict(svc.setup.units(COUNTY))
        assert svc.setup.default_unit_for("land") == COUNTY + ".xf"   # inactive: by kind
        assert engine.sync_once().reference_stored == 0
    finally:
        svc.close()

    # the station opened again (the app restarted) counts with the synced year at once
    WorkCalendar.install_synced({})
    again = StationServices.open(AppPaths(tmp_path / "county"))
    try:
        assert not work_calendar().is_working_day(date(2027, 1, 4))
    finally:
        again.close()


def test_the_county_cli_refuses_bad_units(own_server):
    for args, code in [(("units", "add", "530921108203.ny", "某局"), "unit_under_village"),
                       (("units", "add", "530921000000.mz", "民政局"), "unit_duplicate"),
                       (("units", "add", "530921000000.X", "某局"), "unit_suffix_invalid"),
                       (("units", "add", "530921000000.ny", ""), "required"),
                       (("units", "rename", "530921000000.nope", "某局"), "unit_unknown")]:
        res = own_server.cli(*args)
        assert res.returncode == 1 and f"[{code}" in res.stderr, (args, res.stderr)
    assert "530921000000.ny" not in own_server.cli("units", "list").stdout


def _signed(key, server_id: str, kind: str, k: str, data: dict, rev: int) -> dict:
    return P.sign_reference(key, P.ReferenceRecord(server_id, kind, k, rev, data, "t"))


def test_forged_unsigned_and_bad_records_are_refused_one_by_one(tmp_path):
    from petition_core.ids import uuid7

    county_key, other_key = P.new_private_key(), P.new_private_key()
    sid = uuid7()
    pub = P.public_key_b64(county_key)
    good = _signed(county_key, sid, P.REF_UNIT, NY,
                   {"code": NY, "name": "凤庆县农业农村局", "kind": "department"}, 1)
    tampered = _signed(county_key, sid, P.REF_UNIT, "530921000000.sw",
                       {"code": "530921000000.sw", "name": "水务局", "kind": "department"}, 2)
    tampered["reference"]["data"]["name"] = "假冒的局"
    unsigned = {"reference": dict(good["reference"], key="530921000000.x1")}
    foreign = _signed(other_key, sid, P.REF_UNIT, "530921000000.x2",
                      {"code": "530921000000.x2", "name": "别的局", "kind": "department"}, 3)
    under_village = _signed(county_key, sid, P.REF_UNIT, "530921108203.x3",
                            {"code": "530921108203.x3", "name": "村里的局",
                             "kind": "department"}, 4)
    bad_year = _signed(county_key, sid, P.REF_HOLIDAYS, "2027",
                       {"holidays": ["2026-01-01"]}, 5)
    year = _signed(county_key, sid, P.REF_HOLIDAYS, "2027", YEAR_2027, 6)
    bad_route = _signed(county_key, sid, P.REF_ROUTE, "nonsense", {"unit": NY}, 7)
    route = _signed(county_key, sid, P.REF_ROUTE, "land", {"category": "land", "unit": NY}, 8)
    svc = StationServices.open(AppPaths(tmp_path / "st"))
    try:
        svc.setup.initialise(COUNTY, "凤庆县群众诉求中心", "admin", "admin1234", "王")
        with svc.store.session() as s:
            got = store_references(s, sid, pub, [good, tampered, unsigned, "junk", foreign,
                                                 under_village, bad_year, year, bad_route,
                                                 route])
        assert (got.units, got.holidays, got.routes, got.forged) == (1, 1, 1, True)
        assert sorted(c for _n, c in got.refused) == sorted(
            ["reference_bad_signature"] * 4 + ["unit_under_village", "reference_malformed",
                                               "route_category_invalid"])
        assert svc.setup.default_unit_for("land") == NY
        units = dict(svc.setup.units(COUNTY))
        assert units[NY] == "凤庆县农业农村局"
        assert not {"530921000000.sw", "530921000000.x1", "530921000000.x2"} & set(units)
        assert not work_calendar().is_working_day(date(2027, 1, 4))
        # an older record of the same key does not replace a newer one
        with svc.store.session() as s:
            old = _signed(county_key, sid, P.REF_UNIT, NY,
                          {"code": NY, "name": "旧名", "kind": "department"}, 0 + 1)
            assert store_references(s, sid, pub, [old]).units == 0
    finally:
        svc.close()


def test_a_usb_village_gets_the_reference_data_from_its_townships_return_bundle(
        own_server, own_station_factory, tmp_path):
    """The township got the county's records online; its return bundle hands them on, and
    the village (never online since its enrollment) checks each with the county key."""
    from station_app.sync.bundles import export_bundle, import_bundle, write_return_bundle
    from station_app.sync.keys import StationKeys

    from .stations import register_cases

    township = own_station_factory("530921108000", "洛党镇")
    village = own_station_factory("530921108203", "鹿鸣村")
    assert own_server.cli("units", "add", NY, "凤庆县农业农村局").returncode == 0
    assert own_server.cli("holidays", "load", _notice(tmp_path, {"2027": YEAR_2027})) \
        .returncode == 0
    SyncEngine(township.store, township.paths).sync_once()
    register_cases(village, 1)
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    import_bundle(township.store, township.paths, usb)
    WorkCalendar.install_synced({})          # the village's process knows no 2027 yet
    ret = tmp_path / "r.suqiu"
    write_return_bundle(township.store, StationKeys.load_or_create(township.paths.keys_dir),
                        township.paths, village.station_id, ret)
    import_bundle(village.store, village.paths, ret)
    from station_app.services.setup import unit_register
    from station_app.store.units import synced_holiday_years
    with village.store.read() as s:
        assert unit_register(s).get(NY).name == "凤庆县农业农村局"
        assert list(synced_holiday_years(s)) == ["2027"]
    assert not work_calendar().is_working_day(date(2027, 1, 4))
