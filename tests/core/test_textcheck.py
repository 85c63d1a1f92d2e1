"""Field checks: 居民身份证, phone numbers, free text."""
from __future__ import annotations

from datetime import date

import pytest
from core_helpers import make_id
from hypothesis import given, settings
from hypothesis import strategies as st

from petition_core.validation import (
    ERROR_CODES,
    FieldError,
    ValidationErrors,
    check_id_number,
    check_phone,
    clean_text,
)


def _code(exc: pytest.ExceptionInfo) -> str:
    errs = exc.value.errors
    assert len(errs) == 1
    assert errs[0].code in ERROR_CODES
    return errs[0].code


# ---- ID numbers -------------------------------------------------------------------------

def test_valid_id_with_known_area():
    num = make_id("110101", date(1985, 6, 15), "124")
    chk = check_id_number(num)
    assert chk.normalized == num
    assert chk.birth_date == date(1985, 6, 15)
    assert chk.gender == "female"  # 17th digit 2 is even
    assert chk.warnings == []
    assert check_id_number(make_id(seq="123")).gender == "male"


def test_lowercase_x_is_accepted_and_normalised():
    # find a sequence whose check digit is X
    num = next(n for n in (make_id(seq=f"{i:03d}") for i in range(200)) if n.endswith("X"))
    chk = check_id_number(" " + num.lower()[:6] + " " + num.lower()[6:] + " ")
    assert chk.normalized == num


def test_fullwidth_digits_are_folded():
    num = make_id()
    full = "".join(chr(ord(c) + 0xFEE0) for c in num)
    assert check_id_number(full).normalized == num


def test_wrong_checksum():
    num = make_id()
    wrong = num[:17] + ("0" if num[17] != "0" else "1")
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(wrong)
    assert _code(exc) == "id_checksum"


def test_one_mistyped_digit_is_caught():
    num = make_id()
    typo = num[:5] + str((int(num[5]) + 1) % 10) + num[6:]
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(typo)
    assert _code(exc) == "id_checksum"


def test_future_birth_date():
    num = make_id(birth=date(2027, 1, 1))
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(num, today=date(2026, 11, 28))
    assert _code(exc) == "id_birth_future"
    assert check_id_number(num, today=date(2027, 1, 1)).birth_date == date(2027, 1, 1)


@pytest.mark.parametrize("body", ["11010119800230123", "11010119801301123",
                                  "11010118500101123"])
def test_impossible_birth_date(body):
    from stdnum.cn import ric
    num = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(num)
    assert _code(exc) == "id_birth_invalid"


@pytest.mark.parametrize("area, born", [
    ("530921", date(1975, 6, 1)),   # 凤庆县's current code (since 2003/04), adult born 1975
    ("530921", date(1950, 1, 1)),
    ("530921", date(2010, 5, 5)),
    ("533522", date(1975, 6, 1)),   # 凤庆县 under 临沧地区 until 2003: valid at the birth date
    ("533522", date(2015, 6, 1)),   # a former code is never a warning either
    ("530902", date(1980, 1, 1)),   # 临翔区, created 2003
    ("110101", date(1980, 1, 1)),
])
def test_current_or_former_area_code_is_no_warning(area, born):
    """Issue 8 item 2: the area code is that of the place where the number was first
    assigned, often decades after birth; a valid code must never warn."""
    assert check_id_number(make_id(area, born)).warnings == []


@pytest.mark.parametrize("area", ["999999", "530999", "530088", "000000"])
def test_area_code_that_never_existed_is_only_a_warning(area):
    chk = check_id_number(make_id(area, date(1975, 6, 1)))
    assert [w.code for w in chk.warnings] == ["id_area_unknown"]
    assert chk.normalized.startswith(area)


def test_area_code_of_the_shipped_division_table_is_known(tmp_path, monkeypatch):
    """A county newer than stdnum's data is known from the division table we ship."""
    from petition_core.textcheck import area_code_known

    assert not area_code_known("539999")
    (tmp_path / "divisions").mkdir()
    (tmp_path / "divisions" / "new.csv").write_text(
        "code,name,level,parent_code\n530000000000,云南省,1,\n539999000000,新县,3,530000000000\n",
        encoding="utf-8")
    monkeypatch.setenv("SUQIU_RESOURCES", str(tmp_path))
    assert area_code_known("539999")
    assert not area_code_known("53999") and not area_code_known("53999x")


@pytest.mark.parametrize("bad", ["", "1234", "11010119800101123", "1101011980010112345",
                                 "11010119800101123Y", "X10101198001011234", "身份证号码",
                                 "110101-1980-0101-123X", "1' OR '1'='1"])
def test_id_format(bad):
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(bad)
    assert _code(exc) == "id_format"


def test_fifteen_digit_old_id_is_refused_with_its_own_code():
    with pytest.raises(ValidationErrors) as exc:
        check_id_number("110101800101123")
    assert _code(exc) == "id_old_format"


def test_id_not_text():
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(110101198001011234)
    assert _code(exc) == "invalid_type"


# ---- phones -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw,display", [
    ("13800138000", "138 0013 8000"),
    ("138-0013-8000", "138 0013 8000"),
    ("+86 138 0013 8000", "138 0013 8000"),
    ("１３８００１３８０００", "138 0013 8000"),
    ("0883-1234567", "0883 123 4567"),       # 临沧 landline with area code
    ("08831234567", "0883 123 4567"),
    ("010-12345678", "010 1234 5678"),
    ("12388", "12388"),                      # discipline inspection hotline
    ("12345", "12345"),                      # government service hotline
    ("+852 6123 4567", "+852 6123 4567"),
])
def test_valid_phones(raw, display):
    assert check_phone(raw) == display


@pytest.mark.parametrize("bad", ["", "  ", "1380013800", "138001380001", "1234567",
                                 "abc", "0883-12", "电话", "13800138000; DROP TABLE x",
                                 "9" * 40, "+999 123", "110", "123", "1234"])
def test_invalid_phones(bad):
    with pytest.raises(ValidationErrors) as exc:
        check_phone(bad)
    assert _code(exc) == "phone_invalid"


@pytest.mark.parametrize("bad", ["12345678901", "10012345678", "140 1234 5678",
                                 "+86 12012345678", "0086-11012345678"])
def test_eleven_digit_mobile_with_a_wrong_prefix_says_so(bad):
    """Issue 8 C10: the length is right, so "手机为11位" sent the clerk counting digits."""
    with pytest.raises(ValidationErrors) as exc:
        check_phone(bad)
    assert _code(exc) == "phone_prefix"
    assert exc.value.errors[0].params == {}  # no part of the number in the error


def test_phone_not_text():
    with pytest.raises(ValidationErrors) as exc:
        check_phone(13800138000)
    assert _code(exc) == "invalid_type"


# ---- clean_text -------------------------------------------------------------------------

def test_clean_text_strips_and_nfc_normalises():
    decomposed = "Cafe\u0301 路"
    assert clean_text("f", f"  {decomposed}\n ", required=True, max_len=10) == "Café 路"


@pytest.mark.parametrize("value", ["", "   ", None, "\n\t"])
def test_required(value):
    with pytest.raises(ValidationErrors) as exc:
        clean_text("summary", value, required=True, max_len=10)
    assert exc.value.errors == [FieldError("summary", "required", {})]
    assert clean_text("summary", value, required=False, max_len=10) == ""


def test_too_long_counts_characters_and_reports_max():
    assert clean_text("f", "路" * 10, required=True, max_len=10) == "路" * 10
    with pytest.raises(ValidationErrors) as exc:
        clean_text("f", "路" * 11, required=True, max_len=10)
    assert exc.value.errors[0].code == "too_long"
    assert exc.value.errors[0].params == {"max": 10, "length": 11}


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb", "a\x7fb", "a\u200bb", "a\u202eb",
                                   "a\u2028b", "a\nb", "a\tb", "a\rb"])
def test_control_characters_single_line(value):
    with pytest.raises(ValidationErrors) as exc:
        clean_text("f", value, required=True, max_len=50)
    assert _code(exc) == "control_chars"


def test_multiline_allows_newline_and_tab_only():
    assert clean_text("f", "第一行\r\n第二行\t完", required=True, max_len=50,
                      multiline=True) == "第一行\n第二行\t完"
    with pytest.raises(ValidationErrors) as exc:
        clean_text("f", "第一行\n\x00", required=True, max_len=50, multiline=True)
    assert _code(exc) == "control_chars"


@pytest.mark.parametrize("value", ["好😀", "👍", "❤\ufe0f", "☎", "⭐", "🇨🇳", "1\u20e3",
                                   "🀄"])
def test_emoji_rejected(value):
    with pytest.raises(ValidationErrors) as exc:
        clean_text("f", value, required=True, max_len=50)
    assert _code(exc) == "emoji"


@pytest.mark.parametrize("value", ["𠀀", "𪚥", "䶮", "王𬌗", "赵\ue000", "No.5（五组）",
                                   "①号地块", "约100㎡", "¥3,000元"])
def test_rare_characters_and_symbols_in_names_pass(value):
    # rare CJK outside the BMP (names), private-use glyphs of old systems, common symbols
    assert clean_text("f", value, required=True, max_len=50) == value


@pytest.mark.parametrize("value", ["Robert'); DROP TABLE cases;--", "1' OR '1'='1",
                                   "<script>alert(1)</script>", "%_\\'\"", "${jndi:x}"])
def test_sql_and_markup_looking_text_round_trips(value):
    assert clean_text("f", value, required=True, max_len=100) == value


def test_non_text_values():
    for value in (123, ["a"], {"a": 1}, b"bytes"):
        with pytest.raises(ValidationErrors) as exc:
            clean_text("f", value, required=False, max_len=10)
        assert _code(exc) == "invalid_type"


def test_error_message_never_contains_the_value():
    secret = "张三身份证"
    with pytest.raises(ValidationErrors) as exc:
        clean_text("petitioner.name", secret + "\x00", required=True, max_len=30)
    assert secret not in str(exc.value)
    assert "petitioner.name" in str(exc.value)


def test_every_error_code_documented():
    assert all(k.isascii() and v for k, v in ERROR_CODES.items())


def test_plain_text_fast_path_skips_only_characters_the_slow_check_accepts():
    """clean_text skips its per-character loop for text made only of PLAIN_RANGES (the
    server runs it on every registration it merges): every such character must pass the
    slow check, multi-line or not."""
    import re

    from petition_core.textcheck import PLAIN_RANGES, _check_chars

    plain = re.compile(f"[{PLAIN_RANGES}]")
    chars = [chr(c) for c in range(0x10000)
             if not 0xD800 <= c <= 0xDFFF and plain.fullmatch(chr(c))]
    assert len(chars) > 20000
    text = "".join(chars)
    _check_chars("f", text, False)          # raises if any would be refused
    _check_chars("f", text, True)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"1[0-9]{2} ?[0-9]{4} ?[0-9]{4}", fullmatch=True))
def test_mobile_fast_path_gives_the_same_verdict_as_parse(raw):
    import phonenumbers
    from phonenumbers import shortnumberinfo

    try:
        num = phonenumbers.parse(raw, "CN")     # the full way, as before the fast path
    except phonenumbers.NumberParseException:   # e.g. 110…: read as a country code
        num = None
    short = phonenumbers.national_significant_number(num) if num is not None else ""
    if num is None:
        expected = None
    elif phonenumbers.is_valid_number(num):
        expected = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    elif len(short) >= 5 and shortnumberinfo.is_valid_short_number_for_region(num, "CN"):
        expected = short
    else:
        expected = None
    try:
        got = check_phone(raw)
    except ValidationErrors:
        got = None
    assert got == expected
