"""A small declarative checker for event payloads: what each field must *be* (its JSON type
and shape), never what it must *say* (that is the content check, petition_core.content).

Why not pydantic: see docs/dependencies.md ("Event payload schemas").  In short: the
payloads are plain JSON dicts that must keep their exact bytes (they are signed and
hashed), so nothing may be coerced or rebuilt, only judged; every refusal needs a stable
code and a field path; and the station must not pay for a large import at start.

A check is a function ``check(value, path)`` that returns nothing or raises
:class:`PayloadError` naming the dotted path of the first field that does not fit.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

Check = Callable[[Any, str], None]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_DIVISION = re.compile(r"^[0-9]{12}$")
MAX_ITEMS = 200            # any list in a payload (attachments, links, representatives…)
MAX_DEPTH = 6              # free JSON values (an amendment's old/new)


class PayloadError(ValueError):
    """``path`` is the dotted field (``petitioner.name``, ``attachments.0.sha256``);
    ``reason`` a short ASCII word: not_object, not_text, not_int, not_bool, not_list,
    unknown_field, required, bad_value, too_many, too_deep."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path or '(payload)'}: {reason}")
        self.path = path
        self.reason = reason


def _at(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def obj(required: Mapping[str, Check] | None = None,
        optional: Mapping[str, Check] | None = None) -> Check:
    """A JSON object with exactly these keys (unknown keys do not fit: a misspelt or newer
    field is refused rather than silently carried).  An optional key may be ``null``."""
    req = dict(required or {})
    opt = dict(optional or {})
    known = frozenset(req) | frozenset(opt)

    def check(v: Any, path: str) -> None:
        if not isinstance(v, dict):
            raise PayloadError(path, "not_object")
        if not known.issuperset(v):
            # the first in sorted order (the canonical bytes' order), whatever the order of
            # the object the check was given
            key = min((k for k in v if k not in known), key=str)
            raise PayloadError(_at(path, str(key)), "unknown_field")
        for key, c in req.items():
            if key not in v or v[key] is None:
                raise PayloadError(_at(path, key), "required")
            c(v[key], _at(path, key))
        for key, c in opt.items():
            x = v.get(key)
            if x is not None:
                c(x, _at(path, key))

    return check


def text(v: Any, path: str) -> None:
    if not isinstance(v, str):
        raise PayloadError(path, "not_text")


def boolean(v: Any, path: str) -> None:
    if not isinstance(v, bool):
        raise PayloadError(path, "not_bool")


def integer(lo: int | None = None, hi: int | None = None) -> Check:
    def check(v: Any, path: str) -> None:
        if isinstance(v, bool) or not isinstance(v, int):
            raise PayloadError(path, "not_int")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise PayloadError(path, "bad_value")
    return check


def one_of(*values: str) -> Check:
    allowed = frozenset(values)

    def check(v: Any, path: str) -> None:
        if not isinstance(v, str):
            raise PayloadError(path, "not_text")
        if v not in allowed:
            raise PayloadError(path, "bad_value")
    return check


def pattern(rx: re.Pattern[str]) -> Check:
    def check(v: Any, path: str) -> None:
        if not isinstance(v, str):
            raise PayloadError(path, "not_text")
        if not rx.match(v):
            raise PayloadError(path, "bad_value")
    return check


uuid = pattern(_UUID)
sha256 = pattern(_SHA)
division = pattern(_DIVISION)


def timestamp(v: Any, path: str) -> None:
    """An ISO 8601 date or date-time between 2000 and 2099 (the clocks add days to it, so a
    year 9999 must not get in)."""
    if not isinstance(v, str):
        raise PayloadError(path, "not_text")
    try:
        year = datetime.fromisoformat(v).year if len(v) <= 40 else 0
    except ValueError:
        year = 0
    if not 2000 <= year <= 2099:
        raise PayloadError(path, "bad_value")


def list_of(item: Check, max_items: int = MAX_ITEMS) -> Check:
    def check(v: Any, path: str) -> None:
        if not isinstance(v, list):
            raise PayloadError(path, "not_list")
        if len(v) > max_items:
            raise PayloadError(path, "too_many")
        for i, x in enumerate(v):
            item(x, _at(path, i))
    return check


def nullable(c: Check) -> Check:
    def check(v: Any, path: str) -> None:
        if v is not None:
            c(v, path)
    return check


def json_value(v: Any, path: str, depth: int = 0) -> None:
    """Any JSON value (an amendment's old and new value), nested at most MAX_DEPTH deep."""
    if depth > MAX_DEPTH:
        raise PayloadError(path, "too_deep")
    if isinstance(v, dict):
        for k, x in v.items():
            json_value(x, _at(path, str(k)), depth + 1)
    elif isinstance(v, list):
        if len(v) > MAX_ITEMS:
            raise PayloadError(path, "too_many")
        for i, x in enumerate(v):
            json_value(x, _at(path, i), depth + 1)
    elif v is not None and not isinstance(v, (str, int, float, bool)):
        raise PayloadError(path, "bad_value")


ATTACHMENT = obj({"sha256": sha256, "name": text, "size": integer(0)}, {"mime": text})
