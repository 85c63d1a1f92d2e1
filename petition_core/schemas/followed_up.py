"""``case.followed_up`` (回访评价)."""
from __future__ import annotations

from ..enums import Satisfaction
from ._common import AT, NOTE, SUPERSEDES
from ._spec import obj, one_of, text

TYPE = "case.followed_up"

PAYLOAD = obj({"satisfaction": one_of(*(m.value for m in Satisfaction))},
              {**AT, **NOTE, **SUPERSEDES, "method": text})
