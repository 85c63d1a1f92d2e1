"""``case.review_decided`` (复查/复核意见)."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import obj, one_of

TYPE = "case.review_decided"

PAYLOAD = obj(optional={**AT, **NOTE, "kind": one_of("review", "rereview"),
                        "outcome": one_of("upheld", "changed")})
