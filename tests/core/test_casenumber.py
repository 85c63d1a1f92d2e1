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


# ---- query code hashes (decision 0011) ------------------------------------------------
def test_query_code_hash_is_salted_self_describing_and_normalised():
    from petition_core.casenumber import (
        QUERY_HASH_ITERATIONS,
        is_query_code_hash,
        query_code_hash,
        query_code_matches,
    )

    h = query_code_hash("case-a", "7kq-4xm")
    assert h == query_code_hash("case-a", "7KQ4XM")             # typed forms hash alike
    assert h.startswith(f"pbkdf2-sha256${QUERY_HASH_ITERATIONS}$") and "7KQ4XM" not in h
    assert h != query_code_hash("case-b", "7KQ4XM")             # the case id salts it
    assert is_query_code_hash(h)
    assert query_code_matches("case-a", " 7kq 4xm ", stored_hash=h)
    assert not query_code_matches("case-b", "7KQ4XM", stored_hash=h)
    assert not query_code_matches("case-a", "7KQ4XN", stored_hash=h)
    assert not query_code_matches("case-a", "O0O0O0", stored_hash=h)   # malformed: no match
    # the iteration count is read from the string: an old hash stays checkable
    older = query_code_hash("case-a", "7KQ4XM", iterations=10)
    assert query_code_matches("case-a", "7KQ4XM", stored_hash=older)


def test_clear_codes_of_old_events_still_match():
    from petition_core.casenumber import query_code_matches

    assert query_code_matches("c", "abc-234", stored_clear="ABC234")
    assert not query_code_matches("c", "ABC235", stored_clear="ABC234")
    assert not query_code_matches("c", "ABC234")                 # nothing stored: no match


@pytest.mark.parametrize("bad", [
    "pbkdf2-sha256$100001$" + "0" * 64,        # a CPU bomb: refused unchecked
    "pbkdf2-sha256$0$" + "0" * 64, "pbkdf2-sha256$1000$" + "0" * 63,
    "pbkdf2-sha256$1000$" + "G" * 64, "md5$1$" + "0" * 32, "7KQ4XM", "", None, 17,
])
def test_malformed_or_too_costly_hashes_match_nothing(bad):
    from petition_core.casenumber import is_query_code_hash, query_code_matches

    assert not is_query_code_hash(bad)
    assert not query_code_matches("c", "7KQ4XM", stored_hash=bad if isinstance(bad, str)
                                  else "")
