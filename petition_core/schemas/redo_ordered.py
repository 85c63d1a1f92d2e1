"""``case.redo_ordered`` (发回重办)."""
from __future__ import annotations

from ._common import AT
from ._spec import obj, text

TYPE = "case.redo_ordered"

PAYLOAD = obj(optional={**AT, "reason": text})
