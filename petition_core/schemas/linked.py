"""``case.linked`` (关联多次反映): other cases of the same matter."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import list_of, obj, uuid

TYPE = "case.linked"

PAYLOAD = obj({"related": list_of(uuid)}, {**NOTE, **AT})
