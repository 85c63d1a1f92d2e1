"""Case numbers and query codes, both made offline without any coordination.

A case number is ``<division code>-<year>-[<series>-]<sequence>``.  The sequence is the
station's own gap-free counter; the *series* tells apart the stations that share one
division (docs/decisions/0004-trust-model.md):

* station number 1 (most divisions have one station) writes no series:
  ``530921108203-2026-0007`` — today's form, short on a receipt;
* station number n ≥ 2, assigned by the county at enrollment and never reused, writes it:
  ``530921108203-2026-2-0007``;
* a station not enrolled yet has no number and writes a *provisional tag* derived from its
  public key, a letter first so it can never equal a county-assigned number:
  ``530921108203-2026-K7QH-0007``.

So two stations of one division, or a reinstalled PC without its backup (re-enrolled under
a new number), never produce the same case number, even when they never talked.

The petitioner also gets a short *query code* to ask about the case by phone or at another
station.  It is random (``secrets``), 6 characters from an alphabet without the look-alikes
0/O and 1/I, so it can be read aloud and typed by a villager: 32**6 ≈ 1.07e9 codes.
Events never carry the code in clear, only :func:`query_code_hash` of it (salted with the
case id, docs/decisions/0011-public-progress.md); the registering station keeps the clear
code locally for the receipt.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass

QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
QUERY_CODE_LEN = 6
MIN_YEAR, MAX_YEAR = 2000, 2999
MAX_SEQ = 999_999

MAX_STATION_NO = 9999
TAG_FIRST = "ABCDEFGHJKLMNPQRSTUVWXYZ"      # a letter: never a station number
TAG_LEN = 4

_CASE_NO_RE = re.compile(
    r"^(\d{12})-(\d{4})-(?:([1-9]\d{0,3}|[A-HJ-NP-Z][2-9A-HJ-NP-Z]{3})-)?(\d{4,6})$")
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
    series: str = ""    # "" (station number 1), "2"… (station number), "K7QH" (provisional)

    def __str__(self) -> str:
        return format_case_no(self.station_code, self.year, self.seq, self.series or None)


def provisional_tag(public_key_raw: bytes) -> str:
    """The series of a station not enrolled yet: 4 characters from its public key, a
    letter first (``"K7QH"``).  The county can tell whose key made a provisional number."""
    digest = int.from_bytes(hashlib.sha256(bytes(public_key_raw)).digest()[:8], "big")
    out = [TAG_FIRST[digest % len(TAG_FIRST)]]
    digest //= len(TAG_FIRST)
    for _ in range(TAG_LEN - 1):
        out.append(QUERY_ALPHABET[digest % len(QUERY_ALPHABET)])
        digest //= len(QUERY_ALPHABET)
    return "".join(out)


def _series(series: int | str | None) -> str:
    """"" for station number 1 (or None), the number for 2…9999, a provisional tag as is."""
    if isinstance(series, bool):
        raise CaseNumberError("case_no_series", repr(series))
    if series is None or series == 1 or series == "1":
        return ""
    if isinstance(series, int):
        if not 2 <= series <= MAX_STATION_NO:
            raise CaseNumberError("case_no_series", repr(series))
        return str(series)
    if isinstance(series, str) and (
            (series.isdigit() and series[0] != "0" and 2 <= int(series) <= MAX_STATION_NO)
            or (len(series) == TAG_LEN and series[0] in TAG_FIRST
                and all(ch in QUERY_ALPHABET for ch in series[1:]))):
        return series
    raise CaseNumberError("case_no_series", repr(series))


def format_case_no(station_code: str, year: int, seq: int,
                   series: int | str | None = None) -> str:
    """``format_case_no("530921108203", 2026, 7) == "530921108203-2026-0007"``;
    ``series=2`` → ``"530921108203-2026-2-0007"``; a provisional tag ``"K7QH"`` →
    ``"530921108203-2026-K7QH-0007"``.

    The sequence is zero-padded to 4 digits and may grow to 6 (a busy township).
    Raises CaseNumberError for a malformed station code, year, series or sequence.
    """
    if not (isinstance(station_code, str) and len(station_code) == 12 and station_code.isdigit()):
        raise CaseNumberError("case_no_station", repr(station_code))
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise CaseNumberError("case_no_year", repr(year))
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise CaseNumberError("case_no_seq", repr(seq))
    tag = _series(series)
    return f"{station_code}-{year:04d}-{tag + '-' if tag else ''}{seq:04d}"


def parse_case_no(text: str) -> CaseNo:
    """Parse a typed or scanned case number.

    Full-width digits and dashes are folded (NFKC), surrounding spaces dropped, and
    spaces around the dashes tolerated.  Raises CaseNumberError(``case_no_format``).
    """
    if not isinstance(text, str):
        raise CaseNumberError("case_no_format", "not text")
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = re.sub(r"\s*[-—–]\s*", "-", norm).upper()
    m = _CASE_NO_RE.match(norm)
    if not m:
        raise CaseNumberError("case_no_format", "expected 12 digits-year-[series-]sequence")
    station, year, series, seq = m.group(1), int(m.group(2)), m.group(3) or "", int(m.group(4))
    # re-validate ranges through the one formatter ("1" is written without a series)
    try:
        format_case_no(station, year, seq, series or None)
    except CaseNumberError as exc:
        raise CaseNumberError("case_no_format", exc.code) from None
    if series == "1":
        raise CaseNumberError("case_no_format", "station number 1 is written without it")
    return CaseNo(station, year, seq, series)


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


# PBKDF2-HMAC-SHA256 work factor of new query-code hashes: ~1–3 ms per check on a county
# server core (docs/decisions/0011-public-progress.md says why not more)
QUERY_HASH_ITERATIONS = 1000
QUERY_HASH_SCHEME = "pbkdf2-sha256"
# a stored hash naming more work than this is refused unchecked: a hostile event must not
# make each public lookup burn a second of CPU
QUERY_HASH_MAX_ITERATIONS = 100_000
_HASH_RE = re.compile(r"pbkdf2-sha256\$([1-9][0-9]{0,6})\$([0-9a-f]{64})")


def query_code_hash(case_id: str, code: str, iterations: int = QUERY_HASH_ITERATIONS) -> str:
    """The self-describing hash of a case's query code, ``pbkdf2-sha256$<iter>$<hex>``,
    salted with the case id (so one precomputed table does not open every case).  ``code``
    is normalised first (a typed ``7kq-4xm`` hashes like ``7KQ4XM``)."""
    norm = normalize_query_code(code)
    digest = hashlib.pbkdf2_hmac("sha256", norm.encode("ascii"), case_id.encode("utf-8"),
                                 iterations)
    return f"{QUERY_HASH_SCHEME}${iterations}${digest.hex()}"


def is_query_code_hash(value: object) -> bool:
    """Whether ``value`` is a hash this module can check (scheme, sane work factor)."""
    if not isinstance(value, str):
        return False
    m = _HASH_RE.fullmatch(value)
    return m is not None and int(m.group(1)) <= QUERY_HASH_MAX_ITERATIONS


def query_code_matches(case_id: str, code: str, *, stored_hash: str = "",
                       stored_clear: str = "") -> bool:
    """Whether the typed ``code`` is the case's query code: checked against its stored hash,
    or (events registered before hashing) its clear code; constant-time comparisons.  A
    malformed code, or a case with neither, never matches."""
    try:
        norm = normalize_query_code(code)
    except CaseNumberError:
        return False
    if is_query_code_hash(stored_hash):
        iterations = int(stored_hash.split("$")[1])
        return hmac.compare_digest(query_code_hash(case_id, norm, iterations), stored_hash)
    if stored_clear:
        return hmac.compare_digest(norm.encode("ascii"),
                                   stored_clear.encode("utf-8", "replace"))
    return False
