"""Fields several event types share."""
from __future__ import annotations

from ._spec import nullable, text, timestamp, uuid

AT = {"at": timestamp}                       # when it happened (the station's clock)
NOTE = {"note": text}
SUPERSEDES = {"supersedes": nullable(uuid)}  # the decision of the same kind the actor saw
