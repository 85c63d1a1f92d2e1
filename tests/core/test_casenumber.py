"""Case numbers and query codes."""
from __future__ import annotations

import pytest

from petition_core.casenumber import (
    QUERY_ALPHABET,
    CaseNo,
    CaseNumberError,
    format_case_no,
    new_query_code,
    normalize_query_code,
    parse_case_no,
)


def test_format_and_parse_round_trip():
    text = format_case_no("530921108203", 2026, 7)
    assert text == "530921108203-2026-0007"
    assert parse_case_no(text) == CaseNo("530921108203", 2026, 7)
    assert str(parse_case_no(text)) == text
    assert format_case_no("530921108203", 2026, 123456) == "530921108203-2026-123456"


def test_parse_tolerates_typing():
    assert parse_case_no(" ５３０９２１１０８２０３－2026 - 0007\n") == CaseNo("530921108203",
                                                                       2026, 7)


@pytest.mark.parametrize("station,year,seq,code", [
    ("5309211082", 2026, 1, "case_no_station"),
    ("53092110820X", 2026, 1, "case_no_station"),
    ("530921108203", 1999, 1, "case_no_year"),
    ("530921108203", "2026", 1, "case_no_year"),
    ("530921108203", 2026, 0, "case_no_seq"),
    ("530921108203", 2026, 1_000_000, "case_no_seq"),
    ("530921108203", 2026, True, "case_no_seq"),
])
def test_format_rejects(station, year, seq, code):
    with pytest.raises(CaseNumberError) as exc:
        format_case_no(station, year, seq)
    assert exc.value.code == code


@pytest.mark.parametrize("bad", ["", "530921108203-2026", "530921108203-26-0007",
                                 "530921108203-2026-007", "530921108203-2026-0000",
                                 "530921108203/2026/0007", "x530921108203-2026-0007",
                                 "'; DROP TABLE cases;--", None])
def test_parse_rejects(bad):
    with pytest.raises(CaseNumberError):
        parse_case_no(bad)


def test_query_codes_are_random_and_unambiguous():
    codes = {new_query_code() for _ in range(2000)}
    assert len(codes) == 2000
    joined = "".join(codes)
    assert set(joined) <= set(QUERY_ALPHABET)
    assert not set("01IO") & set(joined)
    assert all(len(c) == 6 for c in codes)
    assert len(set(joined)) > 25  # uses (nearly) the whole alphabet


def test_normalize_query_code():
    assert normalize_query_code("7kq-4xm") == "7KQ4XM"
    assert normalize_query_code(" 7KQ 4XM ") == "7KQ4XM"
    assert normalize_query_code("７ＫＱ４ＸＭ") == "7KQ4XM"
    code = new_query_code()
    assert normalize_query_code(code.lower()) == code


@pytest.mark.parametrize("bad,code", [
    ("7KQ4X", "query_code_length"), ("7KQ4XMM", "query_code_length"), ("", "query_code_length"),
    ("7KQ4X0", "query_code_chars"), ("7KQ4XO", "query_code_chars"),
    ("7KQ4XI", "query_code_chars"), ("7KQ4X1", "query_code_chars"),
    ("7KQ4X曾", "query_code_chars"), (None, "query_code_chars"),
])
def test_normalize_query_code_rejects(bad, code):
    with pytest.raises(CaseNumberError) as exc:
        normalize_query_code(bad)
    assert exc.value.code == code


def test_station_numbers_and_provisional_tags_make_distinct_series():
    """Issue 7 A4: two stations of one division never make the same number."""
    from petition_core.casenumber import provisional_tag

    base = format_case_no("530921108203", 2026, 7)
    second = format_case_no("530921108203", 2026, 7, 2)
    tag = provisional_tag(b"\x01" * 32)
    unenrolled = format_case_no("530921108203", 2026, 7, tag)
    assert base == "530921108203-2026-0007" == format_case_no("530921108203", 2026, 7, 1)
    assert second == "530921108203-2026-2-0007"
    assert unenrolled == f"530921108203-2026-{tag}-0007" and tag[0].isalpha()
    assert len({base, second, unenrolled}) == 3
    assert provisional_tag(b"\x01" * 32) == tag != provisional_tag(b"\x02" * 32)
    for text, series in ((base, ""), (second, "2"), (unenrolled, tag)):
        parsed = parse_case_no(text)
        assert (parsed.series, parsed.seq, str(parsed)) == (series, 7, text)
    assert parse_case_no(unenrolled.lower()).series == tag
    # a tag can never look like a number, and every number has one spelling
    for bad in ("530921108203-2026-1-0007", "530921108203-2026-02-0007",
                "530921108203-2026-10000-0007", "530921108203-2026-2K7Q-0007",
                "530921108203-2026-KIQH-0007"):
        with pytest.raises(CaseNumberError):
            parse_case_no(bad)
    for bad in (0, 10_000, "01", "K7", "1234X", True):
        with pytest.raises(CaseNumberError):
            format_case_no("530921108203", 2026, 7, bad)
