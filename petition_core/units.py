"""Units (单位): who acts on a case, at every level (issue 9 item 1; decisions/0006).

A unit has a stable code that says where it sits, with no lookup:

* a **centre** keeps its division's 12-digit code: ``530921108201`` is the 洛党村 station,
  ``530921108000`` the 洛党镇 centre, ``530921000000`` the 凤庆县 centre (群众诉求中心);
* a **department** (职能部门, a township's 站所) is its division's code, a dot and a suffix of
  1–12 lower-case ASCII letters and digits, a letter first: ``530921000000.mz`` 凤庆县民政局,
  ``530921108000.sfs`` 洛党镇司法所.

So a unit's parent, level and ancestors are arithmetic on its code (:func:`parent_of`,
:func:`ancestors`, :func:`is_within`), the same on a station without a register as on the
server, and visibility can be decided from codes alone.  A department's parent is its
division's centre; a centre's parent is the centre of the division above.  No department
lives under a village (a village has one station and no departments).

The county keeps the register of its departments
(:class:`petition_core.unit_register.UnitRegister`): rows as a
county-signed reference-data record carries them (:func:`unit_row`), each checked alone, so
one bad row is refused with a code and the others load.  Centres need no rows: every
division is one (a row may rename it).
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .divisions import DivisionTree, level_of_code
from .enums import Labelled, Level
from .textcheck import ValidationErrors, clean_text

SEP = "."
MAX_SUFFIX = 12
MAX_CODE_LEN = 12 + 1 + MAX_SUFFIX
MAX_NAME = 40
MAX_ROWS = 5000          # one county's register; more is refused row by row
MAX_ROW_KEYS = 16        # a row is a small flat object
MAX_ALIASES = 8

# ---- stable codes (registered in petition_core/codes.py; texts belong to the UI) ----------
UNIT_CODE_INVALID = "unit_code_invalid"        # not a unit code at all
UNIT_SUFFIX_INVALID = "unit_suffix_invalid"    # bad department suffix
UNIT_UNDER_VILLAGE = "unit_under_village"      # department of a village
UNIT_UNKNOWN = "unit_unknown"                  # well formed, not known
UNIT_ROW_MALFORMED = "unit_row_malformed"      # not an object / types
UNIT_KIND_INVALID = "unit_kind_invalid"
UNIT_PARENT_UNKNOWN = "unit_parent_unknown"    # its division is unknown
UNIT_PARENT_MISMATCH = "unit_parent_mismatch"  # parent/level ≠ the code
UNIT_DUPLICATE = "unit_duplicate"
UNIT_OUTSIDE = "unit_outside"                  # not in the register's area
UNIT_ROW_LIMIT = "unit_row_limit"


class UnitError(ValueError):
    """A unit code or row that cannot be accepted.  ``code`` is one of the codes above."""

    def __init__(self, code: str, detail: str = "", **params: Any):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params


class UnitKind(Labelled):
    """What a unit is, for routing (item 8) and for the picker's grouping."""

    CENTRE = ("centre", "群众诉求中心（站）")
    DEPARTMENT = ("department", "职能部门")
    DISCIPLINE = ("discipline", "纪检监察机关")
    POLITICS_LAW = ("politics_law", "政法机关")
    PETITION_OFFICE = ("petition_office", "信访部门")


_KINDS = {k.value: k for k in UnitKind}


# ---- the code -----------------------------------------------------------------------------

def _check_division(div: str, text: str) -> str:
    """A 12-digit division code whose zero tail is a whole tail: once a segment (2 2 2 3 3)
    is zero every later one is (``530921000123`` names no division)."""
    if len(div) != 12 or not div.isascii() or not div.isdigit() or div[:2] == "00":
        raise UnitError(UNIT_CODE_INVALID, repr(text[:40]))
    zero = False
    for seg in (div[2:4], div[4:6], div[6:9], div[9:12]):
        if seg.strip("0") == "":
            zero = True
        elif zero:
            raise UnitError(UNIT_CODE_INVALID, repr(text[:40]))
    return div


def _check_suffix(suffix: str, text: str) -> str:
    if not (1 <= len(suffix) <= MAX_SUFFIX and suffix.isascii() and suffix.isalnum()
            and suffix == suffix.lower() and suffix[0].isalpha()):
        raise UnitError(UNIT_SUFFIX_INVALID, repr(text[:40]))
    return suffix


def parse_unit_code(text: Any) -> tuple[str, str]:
    """``(division, suffix)`` of a unit code (suffix ``""`` for a centre), or UnitError.

    Strict, for bytes from the wire: no spaces, no upper case, no full-width digits, one dot
    at most; a department under a village is ``unit_under_village``."""
    if not isinstance(text, str) or not text or len(text) > MAX_CODE_LEN:
        raise UnitError(UNIT_CODE_INVALID, repr(text)[:40])
    return _parse_str(text)


@functools.lru_cache(maxsize=8192)
def _parse_str(text: str) -> tuple[str, str]:
    """parse_unit_code of a short string, remembered: the server's merge asks for the
    same few codes (a case's units and their ancestors) for every event it judges.
    Refusals raise and are not remembered; the cache is bounded."""
    div, dot, suffix = text.partition(SEP)
    _check_division(div, text)
    if not dot:
        return div, ""
    _check_suffix(suffix, text)
    if level_of_code(div) == Level.VILLAGE:
        raise UnitError(UNIT_UNDER_VILLAGE, text)
    return div, suffix


def check_unit_code(text: Any) -> str:
    """``text`` itself when it is a well-formed unit code, else UnitError."""
    parse_unit_code(text)
    return text


def is_unit_code(text: Any) -> bool:
    try:
        parse_unit_code(text)
    except UnitError:
        return False
    return True


def make_unit_code(division: str, suffix: str = "") -> str:
    code = f"{division}{SEP}{suffix}" if suffix else division
    return check_unit_code(code)


def division_of(code: str) -> str:
    """The 12-digit division a unit belongs to (itself for a centre)."""
    return parse_unit_code(code)[0]


def is_centre(code: str) -> bool:
    return parse_unit_code(code)[1] == ""


def level_of(code: str) -> Level:
    return level_of_code(parse_unit_code(code)[0])


def _parent_division(div: str) -> str | None:
    level = level_of_code(div)
    keep = {Level.PROVINCE: 0, Level.CITY: 2, Level.COUNTY: 4, Level.TOWNSHIP: 6,
            Level.VILLAGE: 9}[level]
    return div[:keep].ljust(12, "0") if keep else None


def parent_of(code: str) -> str | None:
    """The unit directly above: a department's centre, a centre's parent centre (None for a
    province)."""
    div, suffix = parse_unit_code(code)
    return div if suffix else _parent_division(div)


def ancestors(code: str) -> list[str]:
    """Every unit above ``code``, top→down (the province centre first), not itself."""
    if not isinstance(code, str):
        parse_unit_code(code)        # raises UnitError
    return list(_ancestors(code))


@functools.lru_cache(maxsize=8192)
def _ancestors(code: str) -> tuple[str, ...]:
    """ancestors, remembered (the merge asks for the same case units for every event)."""
    out: list[str] = []
    cur = parent_of(code)
    while cur is not None:
        out.append(cur)
        cur = parent_of(cur)
    out.reverse()
    return tuple(out)


def is_within(code: str, ancestor: str) -> bool:
    """True when ``code`` is ``ancestor`` or lies under it; False for malformed codes."""
    try:
        return code == check_unit_code(ancestor) or ancestor in ancestors(code)
    except UnitError:
        return False


def centre_of(division: str) -> str:
    """The centre unit of a 12-digit division (events that carry a division route)."""
    return make_unit_code(division)


# ---- the unit and its row -----------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: Level
    kind: UnitKind
    parent: str | None
    active: bool = True          # a merged or renamed department stays, inactive, for old cases
    aliases: tuple[str, ...] = ()  # the short names people say (林草局, 人社局)

    @property
    def division(self) -> str:
        return division_of(self.code)

    def to_row(self) -> dict[str, Any]:
        """The canonical JSON-serialisable row (what a register record carries)."""
        return {"code": self.code, "name": self.name, "kind": self.kind.value,
                "level": int(self.level), "parent": self.parent, "active": self.active,
                "aliases": list(self.aliases)}


def unit_row(row: Any, divisions: DivisionTree) -> Unit:
    """Check one register row and return its unit, or raise UnitError.

    Required: ``code``, ``name``, ``kind``.  ``level`` and ``parent`` are derived from the
    code; when present they must agree (a row cannot move a unit, nor make a loop).
    ``active`` defaults to true; ``aliases`` (at most ``MAX_ALIASES`` short names) to none.
    Unknown keys are ignored (a newer county may add some)."""
    if not isinstance(row, Mapping) or len(row) > MAX_ROW_KEYS:
        raise UnitError(UNIT_ROW_MALFORMED, "not a small object")
    code = row.get("code")
    div, suffix = parse_unit_code(code)
    code = str(code)        # parse_unit_code refused anything but a well-formed string
    try:
        name = clean_text("name", row.get("name"), required=True, max_len=MAX_NAME)
    except ValidationErrors as exc:
        err = exc.errors[0]
        raise UnitError(err.code, "name", field="name", **err.params) from None
    kind = _KINDS.get(row.get("kind")) if isinstance(row.get("kind"), str) else None
    if kind is None or (kind == UnitKind.CENTRE) != (suffix == ""):
        raise UnitError(UNIT_KIND_INVALID, str(row.get("kind"))[:20])
    if div not in divisions:
        raise UnitError(UNIT_PARENT_UNKNOWN, div)
    parent = parent_of(code)
    level = level_of_code(div)
    if "parent" in row and row["parent"] != parent:
        raise UnitError(UNIT_PARENT_MISMATCH, f"parent {str(row['parent'])[:30]!r}")
    if "level" in row and (isinstance(row["level"], bool) or row["level"] != int(level)):
        raise UnitError(UNIT_PARENT_MISMATCH, f"level {str(row['level'])[:10]!r}")
    active = row.get("active", True)
    if not isinstance(active, bool):
        raise UnitError(UNIT_ROW_MALFORMED, "active")
    aliases = row.get("aliases", [])
    if not isinstance(aliases, list) or len(aliases) > MAX_ALIASES:
        raise UnitError(UNIT_ROW_MALFORMED, "aliases")
    clean: list[str] = []
    for i, alias in enumerate(aliases):
        try:
            a = clean_text(f"aliases.{i}", alias, required=True, max_len=MAX_NAME)
        except ValidationErrors as exc:
            err = exc.errors[0]
            raise UnitError(err.code, err.field, field=err.field, **err.params) from None
        if a != name and a not in clean:
            clean.append(a)
    return Unit(code, name, level, kind, parent, active, tuple(clean))


@dataclass(frozen=True)
class RowRefusal:
    """One register row refused: its position, the unit code it named (if readable)."""

    index: int
    code: str
    unit: str = ""
    detail: str = ""
