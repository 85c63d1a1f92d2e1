"""Pinyin keys: every reading of heteronym surnames, initials, bounds, odd input."""
from __future__ import annotations

import pytest

from petition_core.pinyin import (
    MAX_KEYS,
    name_key_sets,
    name_keys,
    name_search_text,
    normalize_query,
)


@pytest.mark.parametrize("name,spellings", [
    ("曾", ["zeng", "ceng"]),
    ("单", ["dan", "shan", "chan"]),
    ("解", ["jie", "xie"]),
    ("仇", ["qiu", "chou"]),
])
def test_heteronym_surnames_found_by_every_reading(name, spellings):
    keys = name_keys(name + "小明")
    for s in spellings:
        assert s + "xiaoming" in keys
        assert s[0] + "xm" in keys


def test_search_text_is_space_joined_lowercase():
    text = name_search_text("曾小明")
    assert text == text.lower()
    words = text.split(" ")
    assert "zengxiaoming" in words and "cengxiaoming" in words and "zxm" in words
    assert "zeng" in text  # a LIKE '%zeng%' finds the surname


def test_full_keys_come_before_initials():
    full, initials = name_key_sets("单解")
    assert name_keys("单解") == full + [i for i in initials if i not in full]
    assert all(len(k) == 2 for k in initials)


def test_combinations_are_bounded_surname_keeps_its_readings():
    name = "单行长重乐查区曾解仇"   # every character a heteronym
    full, _ = name_key_sets(name)
    assert 1 < len(full) <= MAX_KEYS
    for reading in ("dan", "shan", "chan"):  # the surname keeps every reading
        assert any(k.startswith(reading) for k in full)


def test_non_chinese_and_punctuation():
    assert name_keys("") == []
    assert name_keys("   ") == []
    assert name_keys("…·!") == []
    assert name_keys("阿依古丽·买买提") == name_keys("阿依古丽买买提")
    assert "a1" in name_keys("A1")
    assert name_keys("吕") == ["lv", "l"]


def test_very_long_input_is_cut_not_expanded():
    keys = name_keys("曾" * 1000)
    assert 0 < len(keys) <= MAX_KEYS * 2
    assert max(len(k) for k in keys) <= 40 * 6


def test_normalize_query():
    assert normalize_query(" Xi'an ") == "xian"
    assert normalize_query("zeng1 xiao3") == "zengxiao"
    assert normalize_query("lü") == "lv"
    assert normalize_query("曾") == ""
