"""``case.transfer_objected`` (转办异议): the receiver of a 转办/交办 says it is not theirs,
within 5 working days (信访工作条例 Art. 23); the case goes back to the unit that sent it."""
from __future__ import annotations

from ._common import AT
from ._spec import obj, text

TYPE = "case.transfer_objected"

PAYLOAD = obj({"reason": text}, AT)
