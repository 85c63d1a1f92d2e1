"""``case.amended`` (更正登记事项): one field of the registration, old value kept."""
from __future__ import annotations

from ..fold import AMENDABLE_FIELDS
from ._common import AT
from ._spec import json_value, obj, one_of, text

TYPE = "case.amended"

PAYLOAD = obj({"field": one_of(*sorted(AMENDABLE_FIELDS))},
              {"old": json_value, "new": json_value, "reason": text, **AT})
