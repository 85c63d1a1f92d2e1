"""Administrative divisions (统计用区划代码): the tree from province down to village.

Why a tree of 12-digit codes: a case's division code decides which station and which
levels may see it (jurisdiction = a code prefix), and the same codes start every case
number.  Data: ``resources/divisions/*.csv`` (see the README there for the source).

Loading must be fast on an old village PC (the intake form needs it at start-up), so only
the CSV rows are read eagerly; the pinyin index used by :meth:`DivisionTree.search` is built
the first time somebody searches by pinyin.
"""
from __future__ import annotations

import csv
import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .enums import Level
from .pinyin import name_key_sets, normalize_query
from .resources import resource_path

log = logging.getLogger(__name__)

# significant leading digits of a code, by level
_PREFIX_LEN = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9,
               Level.VILLAGE: 12}
# placeholder rows of the statistics that are not names a person would say
_PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# suffixes a person often leaves out when typing ("洛党" for 洛党村民委员会, "凤庆" for 凤庆县)
_VILLAGE_SUFFIXES = ("社区居民委员会", "社区居委会", "村民委员会", "居民委员会", "居委会",
                     "村委会")
_AREA_SUFFIXES = ("街道办事处", "街道", "自治县", "自治州", "镇", "乡", "县", "市", "区", "州",
                  "省")


def _check_code(code: str) -> str:
    if (not isinstance(code, str) or len(code) != 12 or not code.isascii() or not code.isdigit()
            or code[:2] == "00"):
        raise ValueError(f"not a 12-digit division code: {code!r}")
    return code


def level_of_code(code: str) -> Level:
    """The level encoded in the digits: 2 province + 2 city + 2 county + 3 township + 3 village.

    Raises ValueError for anything that is not a 12-digit code.
    """
    _check_code(code)
    if code[2:] == "0" * 10:
        return Level.PROVINCE
    if code[4:] == "0" * 8:
        return Level.CITY
    if code[6:] == "0" * 6:
        return Level.COUNTY
    if code[9:] == "000":
        return Level.TOWNSHIP
    return Level.VILLAGE


@lru_cache(maxsize=4096)   # pure, and asked for every event the server judges
def jurisdiction_prefix(code: str) -> str:
    """The significant leading digits: every division under ``code`` starts with them
    (e.g. ``"530921"`` for 凤庆县).  Servers filter by ``LIKE prefix || '%'``."""
    return code[: _PREFIX_LEN[level_of_code(code)]]


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: Level
    parent_code: str | None


def _aliases(name: str, level: Level) -> list[str]:
    """The name plus the short forms people type (suffix dropped), longest first."""
    out = [name]
    suffixes = _VILLAGE_SUFFIXES if level == Level.VILLAGE else _AREA_SUFFIXES
    for suf in suffixes:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            base = name[: -len(suf)]
            out.append(base)
            if suf == "村民委员会":
                out.insert(1, base + "村")
            break
    return out


class DivisionTree:
    """All known divisions, indexed by code and by parent.  Immutable after construction,
    so one instance is shared between threads (the lazy pinyin index is built under a lock).
    """

    def __init__(self, divisions: Iterable[Division]):
        self._by_code: dict[str, Division] = {}
        self._children: dict[str, list[str]] = {}
        for div in divisions:
            if div.code in self._by_code:
                continue  # first row wins (the source repeats a few city codes as counties)
            self._by_code[div.code] = div
        for div in self._by_code.values():
            if div.parent_code and div.parent_code != div.code:
                self._children.setdefault(div.parent_code, []).append(div.code)
        for kids in self._children.values():
            kids.sort()
        self._pinyin: list[tuple[str, tuple[str, ...], tuple[str, ...], int]] | None = None
        self._lock = threading.Lock()

    # ---- construction ----------------------------------------------------
    @classmethod
    def from_csv(cls, paths: Iterable[Path]) -> DivisionTree:
        """Read ``code,name,level,parent_code`` CSV files; bad rows are skipped and logged
        (a county-edited file must not stop the station from starting)."""
        rows: list[Division] = []
        levels = {str(int(lv.value)): lv for lv in Level}   # "1" → Level.PROVINCE, …
        for path in paths:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                # csv.reader + a header map rather than DictReader: this runs at every
                # start (the station's own name), ~4,700 rows, and DictReader is 2× slower
                reader = csv.reader(fh)
                header = {name.strip(): i for i, name in enumerate(next(reader, []))}
                cols = [header.get(k) for k in ("code", "name", "level", "parent_code")]
                for lineno, raw in enumerate(reader, start=2):
                    code, name, lvl, parent = (
                        (raw[i].strip() if i is not None and i < len(raw) else "")
                        for i in cols)
                    try:
                        _check_code(code)
                        if not name:
                            raise ValueError("empty name")
                        level = levels.get(lvl) or (Level(int(lvl)) if lvl
                                                    else level_of_code(code))
                        if parent:
                            _check_code(parent)
                    except (ValueError, TypeError) as exc:
                        log.warning("skipping division row %s:%d: %s", path.name, lineno, exc)
                        continue
                    rows.append(Division(code, name, level, parent or None))
        return cls(rows)

    @classmethod
    def load_default(cls) -> DivisionTree:
        """The tree from ``resources/divisions/*.csv`` (cached: loaded once per process)."""
        return _load_default(str(resource_path("divisions")))

    # ---- lookups ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        """Every division, in file order (provinces first in the shipped data)."""
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def children(self, code: str) -> list[Division]:
        return [self._by_code[c] for c in self._children.get(code, [])]

    def ancestors(self, code: str) -> list[Division]:
        """The divisions above ``code``, top→down (province first), not including itself."""
        chain: list[Division] = []
        seen = {code}
        cur = self._by_code.get(code)
        while cur is not None and cur.parent_code and cur.parent_code not in seen:
            seen.add(cur.parent_code)
            cur = self._by_code.get(cur.parent_code)
            if cur is not None:
                chain.append(cur)
        chain.reverse()
        return chain

    def full_name(self, code: str) -> str:
        """"云南省临沧市凤庆县洛党镇洛党村民委员会"; statistical placeholders such as 市辖区
        are left out.  Raises KeyError for an unknown code."""
        div = self._by_code.get(code)
        if div is None:
            raise KeyError(code)
        parts = [d.name for d in self.ancestors(code) if d.name not in _PLACEHOLDER_NAMES]
        parts.append(div.name)
        return "".join(parts)

    def is_within(self, code: str, ancestor: str) -> bool:
        """True when ``code`` is ``ancestor`` or lies under it (by code prefix, the same rule
        the server's jurisdiction filter uses).  False for malformed codes."""
        try:
            return _check_code(code).startswith(jurisdiction_prefix(ancestor))
        except ValueError:
            return False

    # ---- search ----------------------------------------------------------
    def _pinyin_index(self) -> list[tuple[str, tuple[str, ...], tuple[str, ...], int]]:
        """``(code, full spellings, initials, n_primary)`` of every division and its short
        forms; the first ``n_primary`` full spellings use every character's most common
        reading (so "dang" ranks 当涂县 before a rare reading of 石家庄)."""
        with self._lock:
            if self._pinyin is None:
                index = []
                for div in self._by_code.values():
                    primary: list[str] = []
                    rest: list[str] = []
                    initials: list[str] = []
                    for alias in _aliases(div.name, div.level):
                        f, i = name_key_sets(alias)
                        if f and f[0] not in primary:
                            primary.append(f[0])
                        rest.extend(k for k in f[1:] if k not in rest)
                        initials.extend(k for k in i if k not in initials)
                    full = primary + [k for k in rest if k not in primary]
                    index.append((div.code, tuple(full), tuple(initials), len(primary)))
                self._pinyin = index
                log.debug("built pinyin index of %d divisions", len(index))
            return self._pinyin

    def prepare_search(self) -> None:
        """Build the pinyin index now (≈0.1–0.3 s), e.g. from a background worker at start-up,
        so the first pinyin search in the UI does not pay for it."""
        self._pinyin_index()

    def search(self, query: str, under: str | None = None, level: Level | None = None,
               limit: int = 50) -> list[Division]:
        """Divisions whose name contains ``query`` (Chinese), whose pinyin or initials match
        it (``"luodang"``, ``"ldz"``), or whose code starts with it (digits).

        Exact matches come first, then prefix matches, then other substrings; within a rank
        higher levels first (a township before its villages), then by code.
        """
        # full-width digits/letters folded; spaces inside Chinese ("洛党 村") ignored
        q = "".join(unicodedata.normalize("NFKC", query or "").split())
        if not q or limit <= 0:
            return []
        scored: list[tuple[int, int, str]] = []
        if q.isdigit():
            scored = [(0 if c == q else 1, 0, c) for c in self._by_code if c.startswith(q)]
        elif q.isascii():
            nq = normalize_query(q)
            if not nq:
                return []
            for code, full, initials, n_primary in self._pinyin_index():
                # score = 2*rank (+1 for a rare reading); initials match only whole or as a
                # prefix: "dz" inside "jgdzyzzzx" is noise
                score = min((2 * _rank(k, nq) + (i >= n_primary) for i, k in enumerate(full)),
                            default=6)
                score = min([score] + [2 * r for r in (_rank(k, nq) for k in initials)
                                       if r < 2])
                if score < 6:
                    scored.append((score, 0, code))
        else:
            for code, div in self._by_code.items():
                rank = min(_rank(a, q) for a in _aliases(div.name, div.level))
                if rank < 3:
                    scored.append((rank, 0, code))
        out: list[tuple[int, int, str]] = []
        for rank, _, code in scored:
            div = self._by_code[code]
            if level is not None and div.level != level:
                continue
            if under is not None and not self.is_within(code, under):
                continue
            out.append((rank, int(div.level), code))
        out.sort()
        return [self._by_code[c] for _, _, c in out[:limit]]


def _rank(candidate: str, query: str) -> int:
    if candidate == query:
        return 0
    if candidate.startswith(query):
        return 1
    if query in candidate:
        return 2
    return 3


@lru_cache(maxsize=4)
def _load_default(folder: str) -> DivisionTree:
    base = Path(folder)
    files = sorted(base.glob("*.csv"))
    if not files:
        raise FileNotFoundError(f"no division CSV files in {base}")
    return DivisionTree.from_csv(files)
