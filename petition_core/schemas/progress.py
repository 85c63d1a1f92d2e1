"""``case.progress`` (办理情况记录)."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import obj

TYPE = "case.progress"

PAYLOAD = obj(optional={**AT, **NOTE})
