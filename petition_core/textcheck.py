"""Field-level checks: free text, 居民身份证 numbers and phone numbers.

Why here and not in the UI: the station checks a form before saving, and the county server
checks the same facts again when events arrive from stations it does not trust; both must
reach the same verdict, so the rules live in the shared core.  ``petition_core.validation``
re-exports everything public from this module (that is the documented import path).

Errors are stable ASCII codes with parameters (``FieldError("summary", "too_long",
{"max": 100})``); the UI turns them into Chinese sentences.  Nothing here logs or embeds
the checked *value* in an exception message: values are petitioner data.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

# phonenumbers and stdnum are imported where used: together they cost ~25 ms of the
# station's cold start, and the first check happens long after the window is up.

log = logging.getLogger(__name__)

# code -> short English description, so the UI can map every code to a Chinese message.
ERROR_CODES: dict[str, str] = {
    "required": "a value is required",
    "invalid_type": "wrong type of value (e.g. text where a yes/no was expected)",
    "invalid_choice": "not one of the known values (params: allowed)",
    "unknown_field": "a field that the registration form does not have",
    "too_long": "text longer than allowed (params: max, length)",
    "control_chars": "contains control or invisible formatting characters",
    "emoji": "contains emoji or pictographs that printers and exports cannot carry",
    "id_format": "ID number is not 17 digits followed by a digit or X",
    "id_old_format": "15-digit first-generation ID number; ask for the 18-digit number",
    "id_checksum": "ID number check digit does not match (a digit was mistyped)",
    "id_birth_invalid": "ID number contains an impossible birth date",
    "id_birth_future": "ID number contains a birth date in the future",
    "id_area_unknown": "WARNING: ID area code that never existed (neither current nor historical)",
    "phone_invalid": "not a valid Chinese mobile, landline (with area code) or service number",
    "phone_prefix": "11 digits starting with 1 (a mobile number) but not a mobile prefix in use",
    "date_format": "not an ISO 8601 date-time",
    "date_future": "date-time later than now (2 minutes tolerance)",
    "date_too_old": "date-time before 2000-01-01",
    "served_before_reply": "送达 date before the written reply it records (params: reply_date)",
    "division_unknown": "division code not in the division table",
    "division_outside": "division outside this station's jurisdiction (params: within)",
    "anonymous_identity": "an anonymous petitioner must not have a name or ID number recorded",
    "out_of_range": "number outside the allowed range (params: min and/or max)",
    "too_many_representatives": "more representatives than allowed (params: max)",
    "group_needs_representatives":
        "WARNING: a visit by 5 or more people should elect representatives",
    "attachment_invalid": "attachment entry lacks a valid sha256, name or size",
    "invalid_id": "not a case id (UUID)",
    "case_no_format": "not a case number of the form 530921108203-2026-0007",
    "query_code_format": "not a 6-character query code",
}


@dataclass
class FieldError:
    """One problem with one field.  ``field`` is a dotted path such as
    ``"group.representatives.2.name"``; ``params`` holds numbers the message needs."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class ValidationErrors(ValueError):
    """Every error found in one input, so the form can mark all fields at once."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}:{e.code}" for e in self.errors))

    def codes(self) -> dict[str, str]:
        """``{field: code}`` of the first error per field (handy in tests and the UI)."""
        out: dict[str, str] = {}
        for e in self.errors:
            out.setdefault(e.field, e.code)
        return out


def _fail(fld: str, code: str, **params: Any) -> ValidationErrors:
    return ValidationErrors([FieldError(fld, code, params)])


# ---- free text --------------------------------------------------------------------------

def _is_emoji(ch: str) -> bool:
    """Pictographs, not letters.  Rare CJK characters outside the BMP (Ext. B–H, used in
    names) are letters and pass; so do private-use characters old systems used for them."""
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if cp in (0xFE0F, 0x20E3):  # emoji presentation selector, keycap
        return True
    if 0x20000 <= cp <= 0x3FFFF:  # ideographic planes, even where this Python lacks data
        return False
    if cp > 0xFFFF:
        return cat in ("So", "Sk", "Cn")
    return cat == "So" and (0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF)


def clean_text(fld: str, value: Any, *, required: bool, max_len: int,
               multiline: bool = False) -> str:
    """Return ``value`` stripped and NFC-normalised, or raise ValidationErrors.

    Codes: ``invalid_type`` (not text), ``required``, ``control_chars`` (any control or
    invisible format character; ``\\n`` and ``\\t`` allowed only when ``multiline``),
    ``emoji`` (legacy GBK exports and receipt printers cannot carry them), ``too_long``
    (counted in characters after cleaning).  Text that looks like SQL or markup is *not*
    rejected: it is a petitioner's words, stored with bound parameters and escaped on output.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail(fld, "invalid_type")
    text = unicodedata.normalize("NFC", value).strip()
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        if required:
            raise _fail(fld, "required")
        return ""
    if (_PLAIN_MULTILINE if multiline else _PLAIN).fullmatch(text):
        pass  # nothing but ASCII, CJK and their punctuation: the loop below finds nothing
    else:
        _check_chars(fld, text, multiline)
    if len(text) > max_len:
        raise _fail(fld, "too_long", max=max_len, length=len(text))
    return text


# Printable ASCII, CJK symbols and punctuation, CJK unified ideographs, full-width forms:
# none is a control, format or emoji character, so text made only of them (nearly every
# petition) skips the per-character check.  The county server runs clean_text on every
# registration it merges; this is what keeps that cheap.  tests/core/test_textcheck.py
# checks every character of these ranges against the slow path.
PLAIN_RANGES = "\u0020-\u007e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_PLAIN = re.compile(f"[{PLAIN_RANGES}]*")
_PLAIN_MULTILINE = re.compile(f"[{PLAIN_RANGES}\n\t]*")


def _check_chars(fld: str, text: str, multiline: bool) -> None:
    allowed = ("\n", "\t") if multiline else ()
    for ch in text:
        if ch in allowed:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            raise _fail(fld, "control_chars")
        if _is_emoji(ch):
            raise _fail(fld, "emoji")


# ---- 居民身份证 ---------------------------------------------------------------------------

@dataclass
class IdCheck:
    normalized: str                 # 18 characters, final X uppercase
    birth_date: date
    gender: str                     # "male" | "female" (17th digit odd = male)
    warnings: list[FieldError] = dataclasses.field(default_factory=list)


def check_id_number(text: Any, *, today: date | None = None, area: bool = True) -> IdCheck:
    """Check an 18-digit 居民身份证号码 with python-stdnum, collecting what it tells us.

    * format/length → ``id_format``; a lowercase final ``x`` is accepted and uppercased;
      spaces and full-width digits are folded.
    * 15-digit first-generation numbers → ``id_old_format``.  Decision: they stopped being
      valid on 2013-01-01 and carry no check digit, so a mistyped one cannot be detected;
      the clerk asks for the 18-digit number (or leaves the field empty).
    * wrong check digit → ``id_checksum``; impossible date → ``id_birth_invalid``; date
      after ``today`` → ``id_birth_future``.
    * an area code that never existed is only a WARNING ``id_area_unknown`` (see
      ``area_code_known``); a current code, or a former one, is no warning at all.
    """
    from stdnum.cn import ric

    fld = "id_number"
    if not isinstance(text, str):
        raise _fail(fld, "invalid_type")
    num = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if len(num) == 15 and num.isdigit():
        raise _fail(fld, "id_old_format")
    if len(num) != 18 or not num[:17].isdigit() or not (num[17].isdigit() or num[17] == "X"):
        raise _fail(fld, "id_format")
    if ric.calc_check_digit(num) != num[17]:
        raise _fail(fld, "id_checksum")
    try:   # what ric.get_birth_date reads, without compacting the number again
        born = date(int(num[6:10]), int(num[10:12]), int(num[12:14]))
    except ValueError:
        raise _fail(fld, "id_birth_invalid") from None
    if born.year < 1900:
        raise _fail(fld, "id_birth_invalid")
    if born > (today or date.today()):
        raise _fail(fld, "id_birth_future")
    warnings: list[FieldError] = []
    # only ever a warning: the server, which ignores warnings, skips it (area=False)
    if area and not area_code_known(num[:6]):
        warnings.append(FieldError(fld, "id_area_unknown"))
    gender = "male" if int(num[16]) % 2 == 1 else "female"
    return IdCheck(num, born, gender, warnings)


def area_code_known(code: str) -> bool:
    """True when the six digits are a county- or city-level division code that exists now
    or existed at some time.

    Why not stdnum's own check (``ric.get_birth_place``): it insists that the code was in
    use in the *birth* year.  But the 地址码 is that of the place where the number was first
    assigned (GB 11643), often decades after birth: an adult of 凤庆县 born in 1975 who got
    the number after 2003 carries today's 530921, which stdnum calls "created after the
    birth year" — a false warning on most adults' valid numbers, and false warnings teach
    clerks to ignore every warning.  So any code stdnum's table lists, in whatever years,
    passes, and so does any code of the division table the station ships (newer than
    stdnum's data, e.g. a county created last year); only a code that never existed warns.
    """
    from stdnum import numdb

    if len(code) != 6 or not code.isdigit():
        return False
    if any("county" in props for _part, props in numdb.get("cn/loc").info(code)):
        return True
    from .divisions import DivisionTree  # rare path: only for codes stdnum does not know

    return f"{code}000000" in DivisionTree.load_default()


# ---- phone numbers ----------------------------------------------------------------------

_CN_MOBILE = re.compile(r"1[3-9][0-9](?: ?[0-9]{4}){2}")

def check_phone(text: Any, *, formatted: bool = True) -> str:
    """A normalised display form of a Chinese phone number, or ValidationErrors
    ``phone_invalid`` — or ``phone_prefix`` for 11 digits starting with 1 that are not a
    mobile number in use (the length is right, so "手机为11位" would send the clerk counting
    digits instead of checking the first three).

    Accepted: mobiles (``138 0013 8000``), landlines with area code (``0883 123 4567``,
    typed as 0883-1234567 or 08831234567), numbers with +86, valid numbers of other
    regions when typed with their + prefix (international form), and Chinese short service
    hotlines of 5+ digits such as 12388 / 12345 / 95588 (digits as typed).
    """
    import phonenumbers
    from phonenumbers import shortnumberinfo

    fld = "phone"
    if not isinstance(text, str):
        raise _fail(fld, "invalid_type")
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw or len(raw) > 32:
        raise _fail(fld, "phone_invalid")
    mobile = _CN_MOBILE.fullmatch(raw)
    if mobile:
        # the form every station stores (and most clerks type): the number parse() would
        # build, without parse()'s cost (the server checks every registration it merges);
        # a number this does not accept goes the full way below
        num = phonenumbers.PhoneNumber(country_code=86,
                                       national_number=int(raw.replace(" ", "")))
        if phonenumbers.is_valid_number(num):
            return phonenumbers.format_number(
                num, phonenumbers.PhoneNumberFormat.NATIONAL) if formatted else raw
    try:
        num = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise _fail(fld, "phone_invalid") from None
    if phonenumbers.is_valid_number(num):
        if not formatted:   # only the verdict is wanted (the server at merge)
            return raw
        if num.country_code == 86:
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    short = phonenumbers.national_significant_number(num)
    # 3- and 4-digit service numbers (110, 123, 1234…) are never a person's contact number
    # and are what a mobile number cut short looks like, so only 5+ digit hotlines pass.
    if (num.country_code == 86 and len(short) >= 5
            and shortnumberinfo.is_valid_short_number_for_region(num, "CN")):
        return short
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.startswith(("+86", "0086")):
        digits = digits[2:] if raw.startswith("+") else digits[4:]
    if len(digits) == 11 and digits.startswith("1"):
        raise _fail(fld, "phone_prefix")
    raise _fail(fld, "phone_invalid")
