"""The units this server knows (issue 9 item 1; decisions/0006, 0009): the division tree's
centres, the shipped department registers (``petition_core/resources/units``) and the rows
the county keeps (:mod:`.reference`).

Enrollment codes may name a unit; it must be a well-formed unit code, known here and
active — a station must never be enrolled as a body the county has not registered.
"""
from __future__ import annotations

from typing import Any

from petition_core.unit_register import UnitRegister
from petition_core.units import Unit, UnitError

from . import reference

UNIT_INACTIVE = "unit_inactive"


def current_register(engine: Any = None) -> UnitRegister:
    """The register this server judges unit codes with: the shipped registers and the
    county's own rows (``suqiu-server units …``)."""
    return UnitRegister.load_default() if engine is None else reference.current_register(engine)


def require_active(engine: Any, code: Any) -> Unit:
    """The unit of ``code``, or UnitError: ``unit_code_invalid``, ``unit_suffix_invalid``,
    ``unit_under_village``, ``unit_unknown`` or ``unit_inactive``."""
    unit = current_register(engine).require(code)
    if not unit.active:
        raise UnitError(UNIT_INACTIVE, str(code))
    return unit
