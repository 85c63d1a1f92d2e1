"""Routing by category (issue 9 item 8; decisions/0009): which unit a case of a category
goes to by default when it is transferred.

The county edits a table category → default handling unit (``suqiu-server routes set``);
it reaches every station as county-signed reference data (kind ``route``).  Where the
table says nothing — or names a unit that is unknown, inactive or outside the county — the
seed's rule proposes by the kind of unit (decisions/0006 §5): 涉纪涉腐 → the discipline
commission (``discipline``), 涉法涉诉 → the politics-law organs (``politics_law``),
everything else → the 信访 office (``petition_office``), else the county's centre.  The
result is a proposal: the clerk may pick another unit in the transfer dialog.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .enums import Category
from .unit_register import UnitRegister
from .units import UnitError, UnitKind, check_unit_code, is_within

ROUTE_CATEGORY_INVALID = "route_category_invalid"

_KIND_OF_CATEGORY = {Category.DISCIPLINE.value: UnitKind.DISCIPLINE,
                     Category.LAW_LITIGATION.value: UnitKind.POLITICS_LAW}


def route_row(category: Any, data: Any) -> tuple[str, str]:
    """``(category, unit)`` of one routing-table row, or UnitError
    (``route_category_invalid``, ``unit_code_invalid`` …).  Hostile input: checked alone."""
    if not isinstance(category, str) or category not in {c.value for c in Category}:
        raise UnitError(ROUTE_CATEGORY_INVALID, str(category)[:30])
    if not isinstance(data, Mapping) or data.get("category", category) != category:
        raise UnitError(ROUTE_CATEGORY_INVALID, "data")
    return category, check_unit_code(data.get("unit"))


def default_unit_for(category: str, *, register: UnitRegister, county: str,
                     table: Mapping[str, str] | None = None) -> str:
    """The unit a case of ``category`` is proposed to go to, within ``county`` (a county
    centre's code): the county's table when it names an active unit of the county, else
    the first active unit of the category's kind, else the county's 信访 office, else
    the county centre itself."""
    chosen = (table or {}).get(category)
    if chosen:
        unit = register.get(chosen)
        if unit is not None and unit.active and is_within(unit.code, county):
            return unit.code
    kinds = [_KIND_OF_CATEGORY[category]] if category in _KIND_OF_CATEGORY else []
    for kind in (*kinds, UnitKind.PETITION_OFFICE):
        hits = [u for u in register.departments(county) if u.kind == kind]
        if hits:
            return hits[0].code
    return county
