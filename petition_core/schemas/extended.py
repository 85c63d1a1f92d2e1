"""``case.extended`` (延期): at most 30 days in all (信访工作条例 Art. 34)."""
from __future__ import annotations

from ._common import AT
from ._spec import integer, obj, text

TYPE = "case.extended"

PAYLOAD = obj({"days": integer(1, 30)}, {**AT, "reason": text, "approved_by": text})
