"""``case.registered`` (登记): the intake form's payload (petition_core.validation)."""
from __future__ import annotations

from ._spec import ATTACHMENT, boolean, integer, list_of, obj, text, uuid

TYPE = "case.registered"
ROUTE_FIELD = "division"     # the envelope's route names the same division
BLOB_FIELDS = ("attachments",)

_PERSON = {"name": text, "id_number": text, "phone": text}

PAYLOAD = obj(
    {"division": text},
    {
        # query_code: clear, only in events registered before query codes were hashed
        "case_no": text, "query_code": text, "query_code_hash": text, "channel": text,
        "category": text,
        "statute_type": text, "discipline": boolean, "received_at": text, "clerk": text,
        "petitioner": obj(optional={**_PERSON, "address_division": text,
                                    "address_detail": text, "anonymous": boolean}),
        "group": obj(optional={"size": integer(),
                               "representatives": list_of(obj(optional=_PERSON))}),
        "subject": obj(optional={"level": text, "name": text, "unit": text}),
        "summary": text, "account": text, "demands": text,
        "attachments": list_of(ATTACHMENT),
        "links": list_of(uuid),
    },
)
