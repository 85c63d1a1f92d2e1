"""``case.report_accepted``: the assigning unit signs off the 办结报告 it asked for."""
from __future__ import annotations

from ._common import AT, NOTE
from ._spec import obj, uuid

TYPE = "case.report_accepted"

PAYLOAD = obj({"report_id": uuid}, {**AT, **NOTE})
