"""``case.declined`` (不予受理 / 告知其他渠道)."""
from __future__ import annotations

from ..enums import NotifyChannel
from ._common import AT, NOTE, SUPERSEDES
from ._spec import obj, one_of, text

TYPE = "case.declined"

PAYLOAD = obj(optional={**AT, **NOTE, **SUPERSEDES, "reason": text, "other_channel": text,
                        "notify_channel": one_of(*(m.value for m in NotifyChannel))})
