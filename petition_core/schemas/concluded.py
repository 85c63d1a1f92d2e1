"""``case.concluded`` (办结) with the written result."""
from __future__ import annotations

from ._common import AT, SUPERSEDES
from ._spec import obj, one_of, text

TYPE = "case.concluded"

PAYLOAD = obj(optional={**AT, **SUPERSEDES, "result": text, "opinion": text,
                        "outcome": one_of("resolved", "unresolved")})
