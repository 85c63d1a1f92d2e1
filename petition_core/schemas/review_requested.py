"""``case.review_requested`` (申请复查/复核)."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import obj, one_of

TYPE = "case.review_requested"

PAYLOAD = obj(optional={**AT, **NOTE, "kind": one_of("review", "rereview")})
