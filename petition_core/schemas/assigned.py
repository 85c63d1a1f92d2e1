"""``case.assigned`` (交办) with a deadline and a required report."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import boolean, division, obj, text, timestamp

TYPE = "case.assigned"
ROUTE_FIELD = "to_division"

PAYLOAD = obj({"to_division": division},
              {**AT, **NOTE, "to_unit": text, "due": timestamp,
               "report_required": boolean})
