"""The gate: every check an event passes before anybody stores it, in one fixed order
(docs/PROTOCOL.md, "Push and merge"; docs/decisions/0005-the-gate.md).

1. **schema** (:mod:`petition_core.schemas`): does the payload fit its type? →
   ``payload_invalid`` (field path in detail);
2. **authorization** (:mod:`petition_core.authz`): may this station write this event on
   this case, naming these attachments? → ``event_not_permitted``;
3. **content** (:mod:`petition_core.content`): does it say what the intake form accepts?
   → the form's own codes (``id_checksum``, ``phone_invalid``, ``control_chars``…), every
   refused field as ``field:code`` in detail.

Sealed payloads skip 1's payload part and 3 (they cannot be read); their envelope and
route are still checked.  The county server calls :func:`judge` for every pushed event at
merge; a station's services call it on the exact event they are about to store, so a
station can never write what its county will refuse.
"""
from __future__ import annotations

from collections.abc import Container
from functools import lru_cache
from typing import Any

from .authz import Actor, CaseView, Refusal, check_event
from .content import KnownDivisions, check_content
from .divisions import DivisionTree
from .enums import Level
from .events import Event, EventFormatError
from .schemas import check_payload, safe_detail
from .validation import ValidationErrors

__all__ = ["judge", "Refusal", "Actor", "CaseView"]


def _area(actor: Actor) -> str:
    """The county of the actor (or its own division above county): division codes inside it
    that the server's table lacks are still known (see petition_core.content)."""
    if actor.level >= Level.COUNTY:
        return actor.division[:6].ljust(12, "0")
    return actor.division


@lru_cache(maxsize=64)
def _known(divisions: DivisionTree, actor: Actor) -> KnownDivisions:
    return KnownDivisions(divisions, _area(actor))


def judge(event: Event, *, actor: Actor, case: CaseView, divisions: DivisionTree,
          referable: Container[str] | None = None, decoded: Any = None) -> Refusal | None:
    """Schema, then authorization, then content; the first refusal, or None.  ``decoded``:
    the wire item's payload object the event was read from, if at hand (check_payload)."""
    try:
        data: Any = check_payload(event, decoded)
    except EventFormatError as exc:
        return Refusal(exc.code, exc.detail)
    refusal = check_event(actor, event, case, data=data, referable=referable)
    if refusal is not None or data is None:
        return refusal
    try:
        check_content(event, data, divisions=_known(divisions, actor))
    except ValidationErrors as exc:
        detail = safe_detail(",".join(f"{e.field}:{e.code}" for e in exc.errors))
        return Refusal(exc.errors[0].code, detail, tuple(exc.errors))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # never a 500
        return Refusal("payload_invalid", type(exc).__name__)
    return None
