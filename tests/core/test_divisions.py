"""DivisionTree: the real NBS data, lookups, search by Chinese/pinyin/initials."""
from __future__ import annotations

from pathlib import Path

import pytest
from core_helpers import FENGQING, LUODANG_TOWN, LUODANG_VILLAGE

from petition_core.divisions import DivisionTree, jurisdiction_prefix, level_of_code
from petition_core.enums import Level
from petition_core.resources import resource_path


def test_load_is_complete():
    # (load time is measured by benchmarks, never asserted: machines here are shared)
    files = sorted(resource_path("divisions").glob("*.csv"))
    tree = DivisionTree.from_csv(files)
    # 31 provinces; 凤庆县 has 13 townships and 190 villages under them
    by_level = {lv: sum(1 for d in tree if d.level == lv) for lv in Level}
    assert by_level[Level.PROVINCE] == 31
    assert by_level[Level.COUNTY] >= 2978 - 3  # minus the city codes repeated as counties
    assert all(level_of_code(d.code) == d.level for d in tree if d.code != "441900000000")
    towns = tree.children(FENGQING)
    assert len(towns) == 13
    assert sum(len(tree.children(t.code)) for t in towns) == 190


def test_pinyin_index_is_lazy_and_can_be_prepared():
    tree = DivisionTree.from_csv(sorted(resource_path("divisions").glob("*.csv")))
    assert tree._pinyin is None          # loading never pays for pinyin
    tree.search("洛党")
    assert tree._pinyin is None          # nor does a Chinese search
    tree.prepare_search()
    assert tree._pinyin is not None
    assert tree.search("ldz")[0].code == LUODANG_TOWN


def test_load_default_is_cached():
    assert DivisionTree.load_default() is DivisionTree.load_default()


def test_duplicate_codes_first_row_wins(divisions):
    # the source lists 东莞市 both as a city and as a county with the same code
    dg = divisions.get("441900000000")
    assert dg is not None and dg.level == Level.CITY
    assert divisions.ancestors("441900000000")[-1].name == "广东省"


def test_get_children_ancestors(divisions):
    v = divisions.get(LUODANG_VILLAGE)
    assert v.name == "洛党村民委员会" and v.level == Level.VILLAGE and v.parent_code == LUODANG_TOWN
    assert [d.name for d in divisions.ancestors(LUODANG_VILLAGE)] == [
        "云南省", "临沧市", "凤庆县", "洛党镇"]
    assert divisions.ancestors("530000000000") == []
    assert divisions.get("999999999999") is None
    assert divisions.children("999999999999") == []
    assert all(c.parent_code == LUODANG_TOWN for c in divisions.children(LUODANG_TOWN))


def test_full_name(divisions):
    assert divisions.full_name(LUODANG_VILLAGE) == "云南省临沧市凤庆县洛党镇洛党村民委员会"
    # statistical placeholders such as 市辖区 are not part of a spoken address
    assert divisions.full_name("110101000000") == "北京市东城区"
    with pytest.raises(KeyError):
        divisions.full_name("530921999999")


def test_is_within(divisions):
    assert divisions.is_within(LUODANG_VILLAGE, FENGQING)
    assert divisions.is_within(LUODANG_VILLAGE, LUODANG_VILLAGE)
    assert divisions.is_within(FENGQING, "530000000000")
    assert not divisions.is_within(FENGQING, LUODANG_TOWN)
    assert not divisions.is_within("530922000000", FENGQING)  # 云县, a neighbour
    assert not divisions.is_within("abc", FENGQING)
    assert not divisions.is_within(LUODANG_VILLAGE, "53")


@pytest.mark.parametrize("code,level", [
    ("530000000000", Level.PROVINCE), ("530900000000", Level.CITY),
    ("530921000000", Level.COUNTY), ("530921108000", Level.TOWNSHIP),
    ("530921108201", Level.VILLAGE),
])
def test_level_of_code(code, level):
    assert level_of_code(code) == level


@pytest.mark.parametrize("bad", ["", "5309", "53092110820X", "0000000000000", "000000000000",
                                 "５３０９２１１０８２０１", None, 530921108201])
def test_level_of_code_rejects_malformed(bad):
    with pytest.raises(ValueError):
        level_of_code(bad)


def test_jurisdiction_prefix():
    assert jurisdiction_prefix(FENGQING) == "530921"
    assert jurisdiction_prefix(LUODANG_TOWN) == "530921108"
    assert jurisdiction_prefix("530000000000") == "53"
    assert jurisdiction_prefix(LUODANG_VILLAGE) == LUODANG_VILLAGE


@pytest.mark.parametrize("query", ["洛党", "luodang", "LuoDang", "luo dang", "ldz"])
def test_search_finds_luodang_town_first(divisions, query):
    found = divisions.search(query)
    assert found, query
    assert found[0].code == LUODANG_TOWN


def test_search_by_village_short_name(divisions):
    codes = [d.code for d in divisions.search("洛党村")]
    assert codes[0] == LUODANG_VILLAGE
    ldc = [d.code for d in divisions.search("ldc", under=FENGQING)]
    assert LUODANG_VILLAGE in ldc and "530921106219" in ldc  # 立达村 shares the initials


def test_search_restricted_by_under_and_level(divisions):
    villages = divisions.search("l", under=LUODANG_TOWN, level=Level.VILLAGE)
    assert villages and all(v.level == Level.VILLAGE and v.parent_code == LUODANG_TOWN
                            for v in villages)
    assert LUODANG_VILLAGE in [v.code for v in villages]
    assert divisions.search("洛党", under="110000000000") == []
    assert [d.code for d in divisions.search("洛党", level=Level.TOWNSHIP)] == [LUODANG_TOWN]


def test_search_orders_exact_then_prefix_then_substring(divisions):
    names = [d.name for d in divisions.search("凤庆")]
    assert names[0] == "凤庆县"                       # exact short name
    assert all("凤庆" in n for n in names)
    # a rare reading ranks after a common one: 当涂县 (dang) before 石家庄 (石 read "dan")
    first = divisions.search("dang", limit=3)
    assert all(d.name[0] in "当砀" for d in first[:2])


def test_search_folds_width_and_spaces(divisions):
    assert divisions.search("洛党 村")[0].code == LUODANG_VILLAGE
    assert divisions.search("５３０９２１１０８２０１")[0].code == LUODANG_VILLAGE
    assert divisions.search("ＬＤＺ")[0].code == LUODANG_TOWN


def test_search_by_code_prefix_and_limit(divisions):
    found = divisions.search("5309211082", limit=3)
    assert len(found) == 3 and all(d.code.startswith("5309211082") for d in found)


@pytest.mark.parametrize("query", ["", "   ", "'", "!!", "zzzzqqq", "不存在的地名"])
def test_search_without_match(divisions, query):
    assert divisions.search(query) == []


def test_search_limit_zero(divisions):
    assert divisions.search("洛党", limit=0) == []


def test_bad_csv_rows_are_skipped(tmp_path: Path):
    f = tmp_path / "bad.csv"
    f.write_text(
        "code,name,level,parent_code\n"
        "530000000000,云南省,1,\n"
        "5300,短码,1,\n"
        "530900000000,,2,530000000000\n"
        "530900000000,临沧市,x,530000000000\n"
        "530921000000,凤庆县,3,530900000000\n", encoding="utf-8")
    tree = DivisionTree.from_csv([f])
    assert len(tree) == 2
    # the chain stops at the missing city: no invented names, no crash
    assert tree.full_name("530921000000") == "凤庆县"
    assert tree.ancestors("530921000000") == []
