"""The content check: what an event's fields *say* (issue 7, A3).

The station's intake form and case actions validate what a clerk types
(:mod:`petition_core.validation`); an enrolled station that does not run this code (a
modified or forged one) could send anything.  So the county server runs the same checks on
every unsealed event at merge, and refuses with the *same* codes the form uses
(``id_checksum``, ``phone_invalid``, ``control_chars``, ``too_long``, ``invalid_choice``,
``date_future``…).  The station's own services run it too, on the exact event they are
about to store (``petition_core.gate``), so the two sides can never disagree.

Clocks.  Village PC clocks can be days (or a year) off.  Dates are judged against the clock
that wrote them — the event's ``occurred_at``, stamped by the same station clock the intake
form checked ``received_at`` against — never against the server's clock.  A registration
made on a PC whose clock runs a day (or 400 days) ahead is accepted, exactly as its form
accepted it; one whose ``received_at`` lies after its own ``occurred_at`` (+ the form's 2
minutes) is refused ``date_future`` as the form would have.  Which time a case *really*
arrived at the county is the server's own receipt time (``events.received_at``).  See
docs/decisions/0005-the-gate.md.

Divisions.  The server judges division codes with its own table, plus every well-formed
code inside the acting station's enrolled division: a station's table may be newer than
the county's (new village codes are published yearly), and the county enrolled that
station for that division.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .divisions import DivisionTree, jurisdiction_prefix
from .events import Event, EventType
from .served import validate_served
from .validation import (
    FieldError,
    ValidationErrors,
    clean_text,
    validate_field,
    validate_registration,
)

T = EventType
# Free-text fields of the other event types: (required, max characters), as the station's
# services (station_app/services/cases.py) write them.  Longer than 200 = multi-line.
TEXT_FIELDS: dict[str, dict[str, tuple[bool, int]]] = {
    T.ACCEPTED.value: {"note": (False, 500)},
    T.DECLINED.value: {"reason": (True, 500), "other_channel": (False, 200),
                       "note": (False, 500)},
    T.TRANSFERRED.value: {"to_unit": (False, 60), "note": (False, 500)},
    T.ASSIGNED.value: {"to_unit": (False, 60), "note": (False, 500)},
    T.URGED.value: {"note": (False, 1000)},
    T.EXTENDED.value: {"reason": (True, 500), "approved_by": (True, 30)},
    T.PROGRESS.value: {"note": (True, 1000)},
    T.CONCLUDED.value: {"result": (True, 100), "opinion": (True, 5000)},
    T.FOLLOWED_UP.value: {"method": (False, 30), "note": (False, 500)},
    T.REVIEW_REQUESTED.value: {"note": (False, 1000)},
    T.REVIEW_DECIDED.value: {"note": (False, 1000)},
    T.REDO_ORDERED.value: {"reason": (False, 500)},
    T.LINKED.value: {"note": (False, 500)},
    T.CONFLICT_RESOLVED.value: {"note": (True, 500)},
    T.AMENDED.value: {"reason": (True, 500)},
    # the handling chain (issue 9 item 3): the limits its services apply
    T.SIGNED.value: {"note": (False, 500)},
    T.TRANSFER_OBJECTED.value: {"reason": (True, 500)},
    T.EXTENSION_REQUESTED.value: {"reason": (True, 500)},
    T.EXTENSION_DECIDED.value: {"note": (False, 500)},
    T.REPORT_SUBMITTED.value: {"report": (True, 5000)},
    T.REPORT_ACCEPTED.value: {"note": (False, 500)},
    T.CLOSED.value: {"reason": (True, 500)},
}
_DIVISION_FIELDS = {T.TRANSFERRED.value: "to_division", T.ASSIGNED.value: "to_division"}
_REGISTERED, _AMENDED, _ATTACHMENT, _SERVED = (
    T.REGISTERED.value, T.AMENDED.value, T.ATTACHMENT_ADDED.value,
    T.SERVED.value)   # no enum look-up per event


class KnownDivisions:
    """The division table, plus well-formed codes inside ``also_within`` (see above)."""

    def __init__(self, tree: DivisionTree, also_within: str | None = None):
        self._tree = tree
        self._prefix = jurisdiction_prefix(also_within) if also_within else None

    def __contains__(self, code: object) -> bool:
        if code in self._tree:
            return True
        return (self._prefix is not None and isinstance(code, str) and len(code) == 12
                and code.isascii() and code.isdigit() and code.startswith(self._prefix))

    def is_within(self, code: str, ancestor: str) -> bool:
        return self._tree.is_within(code, ancestor)


def clock_of(event: Event) -> datetime:
    """The writing station's clock when it wrote ``event`` (see "Clocks" above)."""
    return datetime.fromisoformat(event.occurred_at)


def check_content(event: Event, data: dict[str, Any], *,
                  divisions: DivisionTree | KnownDivisions) -> None:
    """Judge the content of an unsealed, schema-checked event; raise ValidationErrors with
    the intake form's codes and field paths."""
    t = event.type
    now = clock_of(event)
    if t == _REGISTERED:
        validate_registration(data, divisions=divisions, now=now,
                              verdict_only=True)
        return
    if t == _SERVED:   # the 送达 form's own check, against the writing station's date
        validate_served(data, today=now.date())
        return
    errors: list[FieldError] = []
    if t == _AMENDED:
        try:
            validate_field(data["field"], data.get("new"), divisions=divisions,
                           now=now)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
    for name, (required, max_len) in TEXT_FIELDS.get(t, {}).items():
        try:
            clean_text(name, data.get(name), required=required, max_len=max_len,
                       multiline=max_len > 200)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
    div_field = _DIVISION_FIELDS.get(t)
    if div_field and data.get(div_field) not in divisions:
        errors.append(FieldError(div_field, "division_unknown"))
    if t == _ATTACHMENT:
        try:
            clean_text("attachment.name", data["attachment"].get("name"), required=True,
                       max_len=255)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationErrors(errors)
