"""Every level sets up (issue 9 item 1; decisions/0009): a county, city or province centre
and a county department (县民政局) are stations too; the unit is kept in ``station.unit`` and
read through one function; roles follow the level; bad units write nothing."""
from __future__ import annotations

import pytest

from petition_core.enums import Level, Role
from station_app.services import ServiceError, StationServices
from station_app.services.setup import roles_for_level, station_unit

COUNTY = "530921000000"
MZ = "530921000000.mz"


@pytest.fixture
def fresh(tmp_paths, store):
    return StationServices.from_store(tmp_paths, store)


def _code(fn) -> str:  # noqa: ANN001
    with pytest.raises(ServiceError) as ei:
        fn()
    return ei.value.code


@pytest.mark.parametrize("division,level", [(COUNTY, Level.COUNTY),
                                            ("530900000000", Level.CITY),
                                            ("530000000000", Level.PROVINCE)])
def test_centres_of_every_level_set_up(fresh, division, level):
    info = fresh.setup.initialise(division, "群众诉求中心", "admin", "admin1234", "王")
    assert info.level == level and info.division == division
    assert fresh.setup.unit() == division
    assert fresh.accounts.get("admin").role is Role.ADMIN


def test_a_department_sets_up_as_its_unit(fresh, store):
    assert (MZ, "凤庆县民政局") in fresh.setup.units(COUNTY)
    assert fresh.setup.units("530921108203") == []        # a village has no departments
    info = fresh.setup.initialise(COUNTY, "凤庆县民政局", "mzj", "admin1234", "李",
                                  Role.COUNTY, unit=MZ)
    assert info.level == Level.COUNTY
    assert fresh.setup.unit() == MZ
    with store.read() as s:
        assert station_unit(s) == MZ
    assert fresh.accounts.get("mzj").role is Role.COUNTY


def test_an_old_station_without_the_setting_is_its_division(services, store):
    from sqlalchemy import delete

    from station_app.store.models import SettingRow
    with store.session() as s:
        s.execute(delete(SettingRow).where(SettingRow.key == "station.unit"))
    assert services.setup.unit() == services.setup.station().division


def test_unit_before_setup(fresh):
    assert _code(fresh.setup.unit) == "not_initialised"


@pytest.mark.parametrize("division,unit,role,expected", [
    (COUNTY, "530921000000.zzz", Role.ADMIN, "unit_unknown"),
    ("530921108203", "530921108203.mz", Role.ADMIN, "unit_under_village"),
    ("530921108000", MZ, Role.ADMIN, "unit_division_mismatch"),   # a county unit at a township
    (COUNTY, "530921000000.MZ", Role.ADMIN, "unit_suffix_invalid"),
    (COUNTY, "5309", Role.ADMIN, "unit_code_invalid"),
    ("530921108203", None, Role.COUNTY, "role_not_for_level"),      # county staff at a village
    (COUNTY, MZ, Role.VILLAGE, "role_not_for_level"),
    (COUNTY, None, "nobody", "role_invalid"),
])
def test_bad_units_and_roles_write_nothing(fresh, store, division, unit, role, expected):
    assert _code(lambda: fresh.setup.initialise(division, "站", "admin", "admin1234", "王",
                                                role, unit=unit)) == expected
    assert not fresh.setup.is_initialised()
    with store.read() as s:
        assert station_unit(s) is None
    assert fresh.accounts.list_operators() == []


def test_roles_per_level():
    assert roles_for_level(Level.VILLAGE) == [r for r in Role if r in (Role.ADMIN, Role.VILLAGE)]
    assert Role.COUNTY in roles_for_level(Level.PROVINCE)
    assert Role.VILLAGE not in roles_for_level(Level.COUNTY)
