"""``case.extension_decided`` (审批延期) by the supervising unit: approved (the due date
moves by ``days``, the requested days unless fewer are granted) or refused."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import integer, obj, one_of, uuid

TYPE = "case.extension_decided"

PAYLOAD = obj({"decision": one_of("approved", "refused"), "request_id": uuid},
              {**AT, **NOTE, "days": integer(1, 30)})
