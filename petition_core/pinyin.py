"""Pinyin search keys for Chinese names (people and places).

Why every reading: a village clerk types what they *hear*.  Surnames such as 曾 (zeng/ceng),
单 (shan/dan/chan), 解 (xie/jie), 仇 (qiu/chou) are read differently from their most common
dictionary reading, and pypinyin's phrase mode would pick one reading and hide the petitioner.
So each character is looked up on its own (``heteronym=True``) and every combination of
readings becomes a key, both as full pinyin without tones (``zengxiaoming``) and as
initials (``zxm``).

The number of combinations grows multiplicatively, so it is bounded (``MAX_KEYS`` full
spellings): readings are added character by character from the start of the name, because
the surname (first character) is where the unusual readings matter most.

Why not ``pypinyin.pinyin()``: importing pypinyin loads its phrase dictionary (~0.2-0.5 s,
paid on every start of the station app), and single-character heteronym readings need only
its per-character table.  That table (``pinyin_dict.json``: code point → "zēng,céng") is
read directly, on first use, and the tone marks are stripped here exactly as pypinyin's
``Style.NORMAL`` does (ü → v); a test compares every character with pypinyin itself.
"""
from __future__ import annotations

import importlib.util
import json
import logging
import threading
import unicodedata
from functools import lru_cache
from itertools import product
from pathlib import Path

log = logging.getLogger(__name__)

MAX_KEYS = 64
MAX_NAME_CHARS = 40  # names are ≤ 30 chars by validation; never expand anything longer

_TABLE: dict[int, str] | None = None
_TABLE_LOCK = threading.Lock()


def _load_table() -> dict[int, str]:
    """pypinyin's single-character table, without importing the pypinyin package.

    ``find_spec`` locates the installed package without running its ``__init__`` (which
    would load the phrase dictionary); when the JSON file is not beside it (an unusual
    frozen layout) the package's own module is imported instead: slower, same data."""
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "pinyin_dict.json"
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            return {int(k): v for k, v in raw.items()}
    log.info("pinyin_dict.json not found beside pypinyin; importing the package")
    from pypinyin.pinyin_dict import pinyin_dict

    return dict(pinyin_dict)


def _table() -> dict[int, str]:
    global _TABLE
    if _TABLE is None:
        with _TABLE_LOCK:
            if _TABLE is None:
                _TABLE = _load_table()
    return _TABLE


def strip_tone(reading: str) -> str:
    """A toned reading as pypinyin's ``Style.NORMAL`` writes it: ``lǘ`` → ``lv``,
    ``zēng`` → ``zeng``, ``ḿ`` → ``m``; ``ê`` stays (pypinyin keeps it, so it is not ASCII
    and callers drop it)."""
    decomposed = (unicodedata.normalize("NFD", reading.strip().lower())
                  .replace("u\u0308", "v").replace("e\u0302", "\u00ea"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def char_readings(ch: str) -> tuple[str, ...]:
    """All toneless readings of one character, most common first.

    Letters and digits stand for themselves (lowercased); anything else without a reading
    (punctuation such as the middle dot in 阿依古丽·买买提, spaces) yields no reading.
    """
    if ch.isascii():
        return (ch.lower(),) if ch.isalnum() else ()
    if not unicodedata.category(ch).startswith("L"):
        return ()
    got = _table().get(ord(ch))
    if not got:
        return ()
    seen: list[str] = []
    for r in got.split(","):
        r = strip_tone(r)
        if r and r.isascii() and r not in seen:
            seen.append(r)
    return tuple(seen)


def _bounded_choices(per_char: list[tuple[str, ...]], bound: int) -> list[tuple[str, ...]]:
    """Trim each character's readings so the product of counts stays ≤ ``bound``.

    Start with one reading per character, then give extra readings to characters from the
    first one on while the product allows; so the surname keeps all of its readings.
    """
    chosen = [list(r[:1]) for r in per_char]
    total = 1
    for idx, readings in enumerate(per_char):
        for extra in readings[1:]:
            size = len(chosen[idx])
            new_total = total // size * (size + 1)
            if new_total > bound:
                break
            chosen[idx].append(extra)
            total = new_total
    return [tuple(c) for c in chosen]


def name_key_sets(name: str) -> tuple[list[str], list[str]]:
    """``(full spellings, initials spellings)`` of ``name``, each de-duplicated, most common
    reading first; at most ``MAX_KEYS`` full spellings.  Kept apart because a search may
    treat them differently (a substring of initials matches far too much)."""
    text = unicodedata.normalize("NFKC", name or "").strip()[:MAX_NAME_CHARS]
    per_char = [r for r in (char_readings(ch) for ch in text) if r]
    if not per_char:
        return [], []
    choices = _bounded_choices(per_char, MAX_KEYS)
    full: list[str] = []
    initials: list[str] = []
    for combo in product(*choices):
        f = "".join(combo)
        i = "".join(r[0] for r in combo)
        if f not in full:
            full.append(f)
        if i not in initials:
            initials.append(i)
    return full, initials


def name_keys(name: str) -> list[str]:
    """Every full-pinyin spelling of ``name`` followed by every initials spelling.

    Full spellings come first in order of reading frequency; the list is de-duplicated and
    holds at most ``MAX_KEYS`` full spellings (initials are fewer, since different readings
    often share an initial).  An empty list means nothing in the name has a reading.
    """
    full, initials = name_key_sets(name)
    return full + [i for i in initials if i not in full]


def name_search_text(name: str) -> str:
    """Space-joined lowercase keys of ``name``, for a LIKE/FTS column next to the name."""
    return " ".join(name_keys(name))


def normalize_query(text: str) -> str:
    """What a user typed as pinyin, made comparable with keys: lowercase ASCII letters and
    digits only (spaces, apostrophes ``xi'an`` and tone digits typed by habit are dropped)."""
    out = []
    for ch in (text or "").strip().lower():
        if ch.isascii() and ch.isalpha():
            out.append(ch)
        elif ch == "ü":
            out.append("v")
    return "".join(out)
