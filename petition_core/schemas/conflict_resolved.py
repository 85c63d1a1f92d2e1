"""``case.conflict_resolved``: a person chose among incompatible events."""
from __future__ import annotations

import re

from ..fold import AMENDABLE_FIELDS
from ._common import AT, NOTE
from ._spec import obj, pattern, uuid

TYPE = "case.conflict_resolved"

_GROUP = re.compile("^(decision|conclusion|satisfaction|amend:("
                    + "|".join(re.escape(f) for f in sorted(AMENDABLE_FIELDS)) + "))$")

PAYLOAD = obj({"group": pattern(_GROUP), "chosen_event_id": uuid}, {**AT, **NOTE})
