"""``case.attachment_added``: one more attachment (content-addressed blob)."""
from __future__ import annotations

from ._common import AT
from ._spec import ATTACHMENT, obj

TYPE = "case.attachment_added"
BLOB_FIELDS = ("attachment",)

PAYLOAD = obj({"attachment": ATTACHMENT}, AT)
