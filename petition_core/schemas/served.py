"""``case.served`` (送达): the petitioner received a written reply; opens the 复查/复核
window (petition_core.served; the content is judged by ``served.validate_served``)."""
from __future__ import annotations

from ..enums import ServeMethod
from ..served import SERVED_REPLIES
from ._common import AT, NOTE
from ._spec import obj, one_of, timestamp

TYPE = "case.served"

PAYLOAD = obj({"reply": one_of(*SERVED_REPLIES), "served_on": timestamp,
               "method": one_of(*(m.value for m in ServeMethod))},
              {**AT, **NOTE})
