"""Routing by category (issue 9 item 8): the county's table first, else the unit kind the
seed names (涉纪涉腐 → 纪委监委, 涉法涉诉 → 政法委, else 信访局), else the centre."""
from __future__ import annotations

import pytest

from petition_core.divisions import DivisionTree
from petition_core.routing import default_unit_for, route_row
from petition_core.unit_register import UnitRegister
from petition_core.units import UnitError

COUNTY = "530921000000"


@pytest.fixture(scope="module")
def reg():
    return UnitRegister.load_default()


@pytest.mark.parametrize("category,unit", [("discipline", COUNTY + ".jw"),
                                           ("law_litigation", COUNTY + ".zfw"),
                                           ("land", COUNTY + ".xf"),
                                           ("other", COUNTY + ".xf")])
def test_the_seed_rule_by_kind(reg, category, unit):
    assert default_unit_for(category, register=reg, county=COUNTY) == unit


def test_the_county_table_wins_when_it_names_an_active_unit_of_the_county(reg):
    table = {"land": COUNTY + ".zrzy", "forest_land": "530922000000.lc",
             "arrears": COUNTY + ".nope"}
    assert default_unit_for("land", register=reg, county=COUNTY, table=table) == COUNTY + ".zrzy"
    # another county's unit, an unknown unit: the rule by kind instead
    for cat in ("forest_land", "arrears"):
        assert default_unit_for(cat, register=reg, county=COUNTY, table=table) == COUNTY + ".xf"
    inactive, _ = UnitRegister.from_rows(DivisionTree.load_default(), [
        {**r, "active": False} if r["code"] == COUNTY + ".zrzy" else r for r in reg.to_rows()])
    assert default_unit_for("land", register=inactive, county=COUNTY,
                            table=table) == COUNTY + ".xf"


def test_a_county_without_departments_proposes_its_centre(reg):
    assert default_unit_for("discipline", register=reg, county="530922000000") == "530922000000"


@pytest.mark.parametrize("category,data,code", [
    ("nonsense", {"unit": COUNTY}, "route_category_invalid"),
    (7, {"unit": COUNTY}, "route_category_invalid"),
    ("land", {"category": "arrears", "unit": COUNTY}, "route_category_invalid"),
    ("land", "x", "route_category_invalid"),
    ("land", {"unit": "530921108203.x"}, "unit_under_village"),
    ("land", {"unit": None}, "unit_code_invalid"),
])
def test_bad_route_rows(category, data, code):
    with pytest.raises(UnitError) as exc:
        route_row(category, data)
    assert exc.value.code == code
