"""The register of units a station knows (issue 9 item 1; decisions/0006).

:class:`UnitRegister` = the division tree's centres + the rows a county registered (its
departments, township 站所, a centre's proper name).  Rows arrive as a county-signed
reference-data record; each is checked alone by :func:`petition_core.units.unit_row`, so one
bad row is refused with a code (:class:`~petition_core.units.RowRefusal`) and the others
load.  Shipped seed registers: ``resources/units/<scope>.json``.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .divisions import DivisionTree, level_of_code
from .enums import Level
from .pinyin import name_key_sets, normalize_query
from .resources import resource_path
from .units import (
    MAX_CODE_LEN,
    MAX_ROWS,
    UNIT_DUPLICATE,
    UNIT_OUTSIDE,
    UNIT_ROW_LIMIT,
    UNIT_ROW_MALFORMED,
    UNIT_UNKNOWN,
    RowRefusal,
    Unit,
    UnitError,
    UnitKind,
    check_unit_code,
    is_unit_code,
    is_within,
    parent_of,
    unit_row,
)

_LEVEL_WORDS = ("省", "市", "州", "县", "区", "镇", "乡")


def _short_names(unit: Unit, div_name: str) -> list[str]:
    """The name, its aliases, and each without its division's name or with the level word
    only: "凤庆县民政局" → "民政局", "县民政局"; alias "林草局" → "县林草局"."""
    out: list[str] = []
    level_word = div_name[-1:] if div_name[-1:] in _LEVEL_WORDS else ""
    for name in (unit.name, *unit.aliases):
        short = name
        if div_name and name.startswith(div_name) and len(name) - len(div_name) >= 2:
            short = name[len(div_name):]
        for n in (name, short, level_word + short if level_word else ""):
            if n and n not in out:
                out.append(n)
    return out


def _rank(keys: Iterable[str], q: str) -> int:
    best = 3
    for k in keys:
        best = min(best, 0 if k == q else 1 if k.startswith(q) else 2 if q in k else 3)
    return best


class UnitRegister:
    """Every unit a station knows: the centres of the division tree plus registered rows.
    Immutable after construction; build it with :meth:`from_rows`."""

    def __init__(self, divisions: DivisionTree, units: Mapping[str, Unit]):
        self.divisions = divisions
        self._units = dict(units)
        self._index: list[tuple[str, tuple[str, ...], tuple[str, ...]]] | None = None

    @classmethod
    def from_rows(cls, divisions: DivisionTree, rows: Iterable[Any], *,
                  scope: str | None = None) -> tuple[UnitRegister, list[RowRefusal]]:
        """The register from ``rows`` and the refusals, one per bad row; the first row of a
        code wins.  ``scope``: a unit code every row must lie within (a county's register
        names only its own units)."""
        units: dict[str, Unit] = {}
        refused: list[RowRefusal] = []
        for i, row in enumerate(rows):
            named = row.get("code") if isinstance(row, Mapping) else None
            named = named[:MAX_CODE_LEN + 8] if isinstance(named, str) else ""
            if i >= MAX_ROWS:
                refused.append(RowRefusal(i, UNIT_ROW_LIMIT, named))
                continue
            try:
                unit = unit_row(row, divisions)
                if scope is not None and not is_within(unit.code, scope):
                    raise UnitError(UNIT_OUTSIDE, scope)
                if unit.code in units:
                    raise UnitError(UNIT_DUPLICATE, unit.code)
            except UnitError as exc:
                refused.append(RowRefusal(i, exc.code, named, exc.detail))
                continue
            units[unit.code] = unit
        return cls(divisions, units), refused

    @classmethod
    def load_default(cls) -> UnitRegister:
        """The division tree plus the shipped seed registers (``resources/units/*.json``)."""
        return _load_default(str(resource_path("units")))

    # ---- lookups ---------------------------------------------------------------------
    def get(self, code: str) -> Unit | None:
        """The unit of ``code``: a registered row, else the centre of a known division."""
        unit = self._units.get(code)
        if unit is not None:
            return unit
        if not isinstance(code, str) or len(code) != 12:
            return None
        div = self.divisions.get(code)
        if div is None or not is_unit_code(code):
            return None
        return Unit(code, div.name, level_of_code(code), UnitKind.CENTRE, parent_of(code))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def require(self, code: Any) -> Unit:
        """``get`` for hostile input: UnitError (``unit_code_invalid`` … or ``unit_unknown``)."""
        check_unit_code(code)
        unit = self.get(code)
        if unit is None:
            raise UnitError(UNIT_UNKNOWN, code)
        return unit

    def departments(self, division: str | None = None, *,
                    include_inactive: bool = False) -> list[Unit]:
        """Registered non-centre units (of one division), by code."""
        return sorted((u for u in self._units.values()
                       if u.kind != UnitKind.CENTRE
                       and (division is None or u.division == division)
                       and (include_inactive or u.active)), key=lambda u: u.code)

    def find_by_name(self, division: str, name: str) -> Unit | None:
        """The one registered unit of ``division`` called ``name`` (full or without the
        division's name), or None when there is none or more than one.  For events that
        carry 承办单位 as free text (before units)."""
        name = unicodedata.normalize("NFKC", name or "").strip()
        div = self.divisions.get(division)
        hits = [u for u in self.departments(division, include_inactive=True)
                if name and name in _short_names(u, div.name if div else "")]
        return hits[0] if len(hits) == 1 else None

    def to_rows(self) -> list[dict[str, Any]]:
        """Canonical rows of every registered unit, by code (round-trips through
        :meth:`from_rows`)."""
        return [self._units[c].to_row() for c in sorted(self._units)]

    # ---- search ----------------------------------------------------------------------
    def _keys(self) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        if self._index is None:
            index = []
            for unit in self._units.values():
                div = self.divisions.get(unit.division)
                names = _short_names(unit, div.name if div else "")
                pinyin: list[str] = []
                for n in names:
                    full, initials = name_key_sets(n)
                    pinyin += full + initials
                index.append((unit.code, tuple(names), tuple(pinyin)))
            self._index = index
        return self._index

    def search(self, query: str, *, under: str | None = None, level: Level | None = None,
               kind: UnitKind | None = None, include_centres: bool = True,
               include_inactive: bool = False, limit: int = 50) -> list[Unit]:
        """Units whose name contains ``query``, whose pinyin or initials match it
        (``"minzheng"``, ``"mzj"``) or whose code starts with it.  Registered units first
        (exact, prefix, substring), then division centres from the tree's own search."""
        q = "".join(unicodedata.normalize("NFKC", query or "").split())
        if not q or limit <= 0:
            return []

        def fits(u: Unit) -> bool:
            return ((include_inactive or u.active)
                    and (under is None or is_within(u.code, under))
                    and (level is None or u.level == level)
                    and (kind is None or u.kind == kind))

        scored: list[tuple[int, str]] = []
        for code, names, pinyin in self._keys():
            if q[0].isdigit():
                rank = 0 if code == q else 1 if code.startswith(q) else 3
            elif q.isascii():
                nq = normalize_query(q)
                rank = _rank(pinyin, nq) if nq else 3
            else:
                rank = _rank(names, q)
            if rank < 3 and fits(self._units[code]):
                scored.append((rank, code))
        scored.sort()
        out = [self._units[c] for _, c in scored[:limit]]
        if include_centres and kind in (None, UnitKind.CENTRE) and len(out) < limit:
            for div in self.divisions.search(q, level=level, limit=limit * 4):
                unit = self.get(div.code)
                if unit is not None and unit not in out and fits(unit):
                    out.append(unit)
                    if len(out) >= limit:
                        break
        return out


def read_register_file(path: Path) -> tuple[str, list[Any]]:
    """``(scope, rows)`` of a register file ``{"scope": "<unit>", "units": [rows]}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise UnitError(UNIT_ROW_MALFORMED, path.name)
    return check_unit_code(data.get("scope")), data["units"]


@lru_cache(maxsize=4)
def _load_default(folder: str) -> UnitRegister:
    divisions = DivisionTree.load_default()
    units: dict[str, Unit] = {}
    for path in sorted(Path(folder).glob("*.json")):
        scope, rows = read_register_file(path)
        reg, refused = UnitRegister.from_rows(divisions, rows, scope=scope)
        if refused:   # shipped data: a bad row is a bug, not a county's typo
            raise UnitError(refused[0].code, f"{path.name} row {refused[0].index}")
        units.update(reg._units)
    return UnitRegister(divisions, units)
