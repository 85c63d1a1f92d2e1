"""``case.report_submitted`` (办结报告) by the handling unit to the unit that assigned it."""
from __future__ import annotations

from ._common import AT
from ._spec import obj, text

TYPE = "case.report_submitted"

PAYLOAD = obj({"report": text}, AT)
