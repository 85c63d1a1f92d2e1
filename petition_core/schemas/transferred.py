"""``case.transferred`` (转送/转办) to another level or unit."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import division, integer, obj, one_of, text

TYPE = "case.transferred"
ROUTE_FIELD = "to_division"  # the envelope's route names the receiving division

PAYLOAD = obj({"to_division": division},
              {**AT, **NOTE, "kind": one_of("transfer", "send"), "to_unit": text,
               "deadline_days": integer(0, 366)})
