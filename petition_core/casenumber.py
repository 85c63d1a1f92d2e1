"""Case numbers and query codes, both made offline without any coordination.

A case number is ``<station division code>-<year>-<station sequence>``, e.g.
``530921108203-2026-0007``: the 12-digit code of the station's division is unique per
station, and the sequence is the station's own gap-free counter, so two stations that never
talked can never produce the same number (ARCHITECTURE.md).

The petitioner also gets a short *query code* to ask about the case by phone or at another
station.  It is random (``secrets``), 6 characters from an alphabet without the look-alikes
0/O and 1/I, so it can be read aloud and typed by a villager: 32**6 ≈ 1.07e9 codes.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
QUERY_CODE_LEN = 6
MIN_YEAR, MAX_YEAR = 2000, 2999
MAX_SEQ = 999_999

_CASE_NO_RE = re.compile(r"^(\d{12})-(\d{4})-(\d{4,6})$")
_SEPARATORS = re.compile(r"[\s\-_.·—–]+")


class CaseNumberError(ValueError):
    """Text that is not a case number or query code; ``code`` is a stable ASCII code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class CaseNo:
    station_code: str
    year: int
    seq: int

    def __str__(self) -> str:
        return format_case_no(self.station_code, self.year, self.seq)


def format_case_no(station_code: str, year: int, seq: int) -> str:
    """``format_case_no("530921108203", 2026, 7) == "530921108203-2026-0007"``.

    The sequence is zero-padded to 4 digits and may grow to 6 (a busy township).
    Raises CaseNumberError for a malformed station code, year or sequence.
    """
    if not (isinstance(station_code, str) and len(station_code) == 12 and station_code.isdigit()):
        raise CaseNumberError("case_no_station", repr(station_code))
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise CaseNumberError("case_no_year", repr(year))
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise CaseNumberError("case_no_seq", repr(seq))
    return f"{station_code}-{year:04d}-{seq:04d}"


def parse_case_no(text: str) -> CaseNo:
    """Parse a typed or scanned case number.

    Full-width digits and dashes are folded (NFKC), surrounding spaces dropped, and
    spaces around the dashes tolerated.  Raises CaseNumberError(``case_no_format``).
    """
    if not isinstance(text, str):
        raise CaseNumberError("case_no_format", "not text")
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = re.sub(r"\s*[-—–]\s*", "-", norm)
    m = _CASE_NO_RE.match(norm)
    if not m:
        raise CaseNumberError("case_no_format", "expected 12 digits-year-sequence")
    station, year, seq = m.group(1), int(m.group(2)), int(m.group(3))
    # re-validate ranges through the one formatter
    format_case_no(station, year, seq)
    return CaseNo(station, year, seq)


def new_query_code() -> str:
    """A fresh random query code, e.g. ``"7KQ4XM"`` (cryptographic randomness: codes must
    not be guessable from other petitioners' codes)."""
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LEN))


def normalize_query_code(text: str) -> str:
    """The canonical form of a typed query code: uppercase, separators removed.

    Look-alikes are *not* guessed (O is not silently read as 0: neither is in the
    alphabet, so guessing could only produce another person's code).  Raises
    CaseNumberError ``query_code_length`` or ``query_code_chars``.
    """
    if not isinstance(text, str):
        raise CaseNumberError("query_code_chars", "not text")
    norm = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if len(norm) != QUERY_CODE_LEN:
        raise CaseNumberError("query_code_length", str(len(norm)))
    if any(ch not in QUERY_ALPHABET for ch in norm):
        raise CaseNumberError("query_code_chars")
    return norm
