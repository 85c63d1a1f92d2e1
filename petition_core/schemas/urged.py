"""``case.urged`` (督办)."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import obj, timestamp

TYPE = "case.urged"

PAYLOAD = obj(optional={**AT, **NOTE, "due": timestamp})
