"""``case.signed`` (签收): the receiving unit signs for a transferred or assigned case."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import obj

TYPE = "case.signed"

PAYLOAD = obj(optional={**AT, **NOTE})
