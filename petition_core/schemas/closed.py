"""``case.closed`` (终结): the matter is closed for good; the same facts are not accepted
again (信访工作条例 Art. 36)."""
from __future__ import annotations

from ._common import AT
from ._spec import obj, text

TYPE = "case.closed"

PAYLOAD = obj({"reason": text}, AT)
