"""Unit codes (issue 9 item 1): parsing hostile input, code arithmetic, the register and its
refusals row by row, search by name and pinyin, the shipped 凤庆县 seed."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petition_core import codes
from petition_core.enums import Level
from petition_core.resources import resource_path
from petition_core.unit_register import UnitRegister, read_register_file
from petition_core.units import (
    UnitError,
    UnitKind,
    ancestors,
    centre_of,
    check_unit_code,
    division_of,
    is_centre,
    is_unit_code,
    is_within,
    level_of,
    make_unit_code,
    parent_of,
    parse_unit_code,
    unit_row,
)
from petition_core.validation import ERROR_CODES

COUNTY = "530921000000"
TOWN = "530921108000"
VILLAGE = "530921108201"
MZ = "530921000000.mz"


@pytest.mark.parametrize("text,division,suffix", [
    (COUNTY, COUNTY, ""),
    (VILLAGE, VILLAGE, ""),
    (MZ, COUNTY, "mz"),
    ("530921108000.sfs", TOWN, "sfs"),
    ("530900000000.zfw2", "530900000000", "zfw2"),
    ("530000000000.a", "530000000000", "a"),
    ("530921000000.abcdefghijkl", COUNTY, "abcdefghijkl"),
])
def test_parse_good_codes(text, division, suffix):
    assert parse_unit_code(text) == (division, suffix)
    assert check_unit_code(text) == text and is_unit_code(text)


@pytest.mark.parametrize("text,code", [
    (None, "unit_code_invalid"), (530921000000, "unit_code_invalid"),
    (b"530921000000", "unit_code_invalid"), ("", "unit_code_invalid"),
    (["530921000000"], "unit_code_invalid"),
    ("53092100000", "unit_code_invalid"),            # 11 digits
    ("5309210000000", "unit_code_invalid"),          # 13 digits
    (" 530921000000", "unit_code_invalid"), ("530921000000 ", "unit_code_invalid"),
    ("５３０９２１００００００", "unit_code_invalid"),   # full-width digits
    ("530921000000\n", "unit_code_invalid"),
    ("000000000000", "unit_code_invalid"), ("001234000000", "unit_code_invalid"),
    ("530921000123", "unit_code_invalid"),           # a village under no township
    ("530021000000", "unit_code_invalid"),           # a county under no city
    ("53092100000a", "unit_code_invalid"),
    ("530921000000." + "a" * 13, "unit_code_invalid"),   # longer than any code
    ("530921000000.", "unit_suffix_invalid"),
    ("530921000000.MZ", "unit_suffix_invalid"),
    ("530921000000.1mz", "unit_suffix_invalid"),
    ("530921000000.m_z", "unit_suffix_invalid"),
    ("530921000000.m.z", "unit_suffix_invalid"),
    ("530921000000.民政", "unit_suffix_invalid"),
    ("530921000000.ｍｚ", "unit_suffix_invalid"),
    ("530921000000..mz", "unit_suffix_invalid"),
    ("530921000000.m z", "unit_suffix_invalid"),
    ("530921108201.mz", "unit_under_village"),
])
def test_parse_refuses_hostile_input_with_a_code(text, code):
    with pytest.raises(UnitError) as exc:
        parse_unit_code(text)
    assert exc.value.code == code
    assert code in codes.CODES and codes.CODES[code].kind == "field"
    assert not is_unit_code(text)
    assert not is_within(text, COUNTY) if isinstance(text, str) else True


def test_code_arithmetic():
    assert parent_of(MZ) == COUNTY
    assert parent_of(COUNTY) == "530900000000"
    assert parent_of(VILLAGE) == TOWN
    assert parent_of("530000000000") is None
    assert ancestors("530921108000.sfs") == ["530000000000", "530900000000", COUNTY, TOWN]
    assert ancestors("530000000000") == []
    assert level_of(MZ) == Level.COUNTY and level_of(VILLAGE) == Level.VILLAGE
    assert division_of(MZ) == COUNTY and is_centre(COUNTY) and not is_centre(MZ)
    assert make_unit_code(COUNTY, "mz") == MZ and centre_of(TOWN) == TOWN
    with pytest.raises(UnitError):
        make_unit_code(VILLAGE, "mz")


@pytest.mark.parametrize("code,ancestor,inside", [
    (VILLAGE, VILLAGE, True), (VILLAGE, TOWN, True), (VILLAGE, COUNTY, True),
    (MZ, COUNTY, True), (MZ, MZ, True), ("530921108000.sfs", COUNTY, True),
    (COUNTY, MZ, False),                    # the centre is not inside its department
    (VILLAGE, MZ, False),                   # nor are the county's villages
    ("530921108000.sfs", MZ, False),
    ("530921000000.mzj", MZ, False),        # a longer suffix is another unit
    (TOWN, VILLAGE, False), ("530922000000", COUNTY, False),
    (VILLAGE, "garbage", False), ("garbage", COUNTY, False),
])
def test_is_within(code, ancestor, inside):
    assert is_within(code, ancestor) is inside


@pytest.fixture(scope="module")
def seed() -> UnitRegister:
    return UnitRegister.load_default()


def test_seed_holds_the_issues_county_departments(seed):
    """凤庆县's departments named in issue 9, shipped as package data (a wheel and the
    PyInstaller bundle carry resources/units/ like the divisions)."""
    scope, rows = read_register_file(resource_path("units", f"{COUNTY}.json"))
    assert scope == COUNTY and len(rows) == 11
    names = {u.name for u in seed.departments(COUNTY)}
    for name in ("凤庆县纪委监委信访室", "中共凤庆县委政法委员会", "凤庆县民政局",
                 "凤庆县自然资源局", "凤庆县林业和草原局", "凤庆县人力资源和社会保障局",
                 "凤庆县住房和城乡建设局", "凤庆县教育体育局", "凤庆县卫生健康局",
                 "凤庆县信访局"):
        assert name in names
    assert seed.get("530921000000.jw").kind == UnitKind.DISCIPLINE
    assert seed.get("530921000000.zfw").kind == UnitKind.POLITICS_LAW
    mz = seed.get(MZ)
    assert (mz.level, mz.parent, mz.kind, mz.active) == (Level.COUNTY, COUNTY,
                                                         UnitKind.DEPARTMENT, True)
    assert seed.get(COUNTY).name == "凤庆县群众诉求中心"       # a row renames the centre
    assert seed.get(TOWN).name == "洛党镇" and seed.get(TOWN).kind == UnitKind.CENTRE
    assert seed.get(TOWN).parent == COUNTY
    assert seed.get("530921000000.nope") is None and seed.get("530921000123") is None
    assert seed.get("999999000000") is None
    with pytest.raises(UnitError) as exc:
        seed.require("530921000000.nope")
    assert exc.value.code == "unit_unknown"
    with pytest.raises(UnitError) as exc:
        seed.require(12)
    assert exc.value.code == "unit_code_invalid"


@pytest.mark.parametrize("query,expected", [
    ("民政", MZ), ("县民政局", MZ), ("mzj", MZ), ("minzheng", MZ), ("MinZheng", MZ),
    ("林草局", "530921000000.lc"), ("lcj", "530921000000.lc"), ("人社", "530921000000.rs"),
    ("政法委", "530921000000.zfw"), ("zfw", "530921000000.zfw"),
    ("纪委", "530921000000.jw"), ("530921000000.w", "530921000000.wj"),
])
def test_search_by_name_pinyin_and_code(seed, query, expected):
    hits = seed.search(query, under=COUNTY)
    assert hits and hits[0].code == expected


def test_search_also_finds_centres_and_respects_filters(seed):
    hits = [u.code for u in seed.search("洛党", under=COUNTY)]
    assert hits[:2] == [TOWN, VILLAGE]
    assert seed.search("民政", under=TOWN) == []
    assert [u.code for u in seed.search("民政", kind=UnitKind.DEPARTMENT)] == [MZ]
    assert seed.search("洛党", kind=UnitKind.DEPARTMENT) == []
    assert seed.search("", under=COUNTY) == [] and seed.search("民政", limit=0) == []
    assert all(u.level == Level.TOWNSHIP for u in seed.search("ld", level=Level.TOWNSHIP))


def test_find_by_name_maps_free_text_units(seed):
    assert seed.find_by_name(COUNTY, "县民政局").code == MZ
    assert seed.find_by_name(COUNTY, "凤庆县民政局").code == MZ
    assert seed.find_by_name(COUNTY, "林草局").code == "530921000000.lc"
    assert seed.find_by_name(COUNTY, "民政") is None          # not a name, only a fragment
    assert seed.find_by_name(TOWN, "县民政局") is None         # another division's unit


def _row(code, name="某某局", kind="department", **extra):
    return {"code": code, "name": name, "kind": kind, **extra}


def test_register_refuses_bad_rows_one_by_one(divisions):
    """Hostile rows from a reference-data record: each refused with its code, the good rows
    (before and after them) load."""
    rows = [
        _row("530921000000.mz", "凤庆县民政局"),                      # 0 good
        "not a row",                                                  # 1
        _row("530921000000.MZ"),                                      # 2
        _row("530921108201.xx", "村里的局"),                          # 3 under a village
        _row("530921000000.mz", "重复的民政局"),                      # 4 duplicate
        _row("530921999000.ab"),                                      # 5 unknown division
        _row("530921000000.ab", parent="530921000000.cd"),            # 6 loop attempt a→c
        _row("530921000000.cd", parent="530921000000.ab"),            # 7 … and c→a
        _row("530921000000.ef", level=4),                             # 8 wrong level
        _row("530921000000.gh", kind="ministry"),                     # 9
        _row("530921000000.gh", kind="centre"),                       # 10 centre with suffix
        _row("530921000000", "县中心", kind="department"),            # 11 centre not centre
        _row("530921000000.ij", ""),                                  # 12
        _row("530921000000.ij", "局\x00局"),                          # 13
        _row("530921000000.ij", "局" * 41),                           # 14
        _row("530922000000.kl"),                                      # 15 another county
        _row("530921000000.mn", active="yes"),                        # 16
        _row("530921000000.op", aliases="林草"),                      # 17
        _row("530921000000.op", aliases=["ok", "\u202e"]),            # 18
        {**{f"k{i}": i for i in range(20)}, **_row("530921000000.qr")},  # 19 oversized
        _row("530921000000.st", level=True),                          # 20 bool is no level
        _row("530921108000.sfs", "洛党镇司法所", aliases=["司法所", "司法所"],
             parent=TOWN, level=4, future_field={"x": 1}),             # 21 good
    ]
    reg, refused = UnitRegister.from_rows(divisions, rows, scope=COUNTY)
    got = {r.index: r.code for r in refused}
    assert got == {
        1: "unit_row_malformed", 2: "unit_suffix_invalid", 3: "unit_under_village",
        4: "unit_duplicate", 5: "unit_parent_unknown", 6: "unit_parent_mismatch",
        7: "unit_parent_mismatch", 8: "unit_parent_mismatch", 9: "unit_kind_invalid",
        10: "unit_kind_invalid", 11: "unit_kind_invalid", 12: "required",
        13: "control_chars", 14: "too_long", 15: "unit_outside", 16: "unit_row_malformed",
        17: "unit_row_malformed", 18: "control_chars", 19: "unit_row_malformed",
        20: "unit_parent_mismatch",
    }
    assert {r.unit for r in refused if r.index == 4} == {MZ}
    assert [r["code"] for r in reg.to_rows()] == [MZ, "530921108000.sfs"]
    assert reg.get(MZ).name == "凤庆县民政局"             # the first row of a code wins
    assert reg.get("530921108000.sfs").aliases == ("司法所",)
    for r in refused:   # every code is registered (name checks reuse the form's codes)
        assert r.code in codes.CODES or r.code in ERROR_CODES


def test_row_limit_and_round_trip(divisions):
    rows = [_row(f"530921000000.u{i}", f"单位{i}") for i in range(5002)]
    reg, refused = UnitRegister.from_rows(divisions, rows)
    assert [r.index for r in refused] == [5000, 5001]
    assert {r.code for r in refused} == {"unit_row_limit"}
    # the canonical rows are JSON and build the same register again
    small, _ = UnitRegister.from_rows(divisions, [_row(MZ, "凤庆县民政局", aliases=["民政"]),
                                                  _row(COUNTY, "中心", kind="centre")])
    text = json.dumps(small.to_rows(), ensure_ascii=False)
    again, refused = UnitRegister.from_rows(divisions, json.loads(text))
    assert refused == [] and again.to_rows() == small.to_rows()
    assert small.to_rows()[1] == {"code": MZ, "name": "凤庆县民政局", "kind": "department",
                                  "level": 3, "parent": COUNTY, "active": True,
                                  "aliases": ["民政"]}


def test_inactive_units_stay_for_old_cases_but_leave_the_picker(divisions):
    reg, _ = UnitRegister.from_rows(divisions, [_row("530921000000.ly", "凤庆县林业局",
                                                     active=False)])
    assert reg.get("530921000000.ly").active is False
    assert reg.search("林业") == [] and reg.departments(COUNTY) == []
    assert [u.code for u in reg.search("林业", include_inactive=True)] == ["530921000000.ly"]


def test_unit_row_alone(divisions):
    unit = unit_row(_row(MZ, " 凤庆县民政局 "), divisions)
    assert unit.name == "凤庆县民政局" and unit.to_row()["parent"] == COUNTY


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789.abcXYZ _\n５", max_size=28),
    st.builds(lambda d, s: d + "." + s, st.from_regex(r"[1-9][0-9]{11}", fullmatch=True),
              st.text(alphabet="abcz019A_.", max_size=14)),
))
def test_any_text_parses_or_is_refused_with_a_unit_code(text):
    """Whatever arrives, the parser answers a pair that spells the text back, or a UnitError
    with one of its codes; the helpers built on it never raise."""
    try:
        div, suffix = parse_unit_code(text)
    except UnitError as exc:
        assert exc.code in {"unit_code_invalid", "unit_suffix_invalid", "unit_under_village"}
        assert not is_unit_code(text) and not is_within(text, COUNTY)
        return
    assert text == (f"{div}.{suffix}" if suffix else div)
    assert text.isascii() and len(text) <= 25
    assert all(is_within(text, a) for a in ancestors(text))
    assert parent_of(text) is None or is_within(text, parent_of(text))
