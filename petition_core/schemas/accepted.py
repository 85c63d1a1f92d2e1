"""``case.accepted`` (受理)."""
from __future__ import annotations

from ..enums import NotifyChannel
from ._common import AT, NOTE, SUPERSEDES
from ._spec import obj, one_of

TYPE = "case.accepted"

PAYLOAD = obj(optional={**AT, **NOTE, **SUPERSEDES,
                        "notify_channel": one_of(*(m.value for m in NotifyChannel))})
