"""Which divisions lie within which (12-digit statistical codes)."""
from __future__ import annotations

from ..divisions import jurisdiction_prefix, level_of_code


def level_of(code: str) -> int:
    """Level 1 (province) … 5 (village) of a 12-digit statistical division code."""
    return int(level_of_code(code))


def division_prefix(code: str) -> str:
    """The leading digits every division within ``code`` shares (e.g. township → 9)."""
    return jurisdiction_prefix(code)


def within(route: str, division: str) -> bool:
    """True when division code ``route`` lies in (or is) ``division``."""
    return bool(route) and route.startswith(division_prefix(division))
