"""``case.extension_requested`` (申请延期) by the handling unit: at most 30 days in all
(信访工作条例 Art. 34); the reason is what the petitioner is told."""
from __future__ import annotations

from ._common import AT
from ._spec import integer, obj, text

TYPE = "case.extension_requested"

PAYLOAD = obj({"days": integer(1, 30), "reason": text}, AT)
