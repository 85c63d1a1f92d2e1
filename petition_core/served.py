"""送达: the day the petitioner received a written reply.

Why it is recorded: the petitioner may ask for 复查 "自收到书面答复之日起30日内" (信访工作条例
Art. 35), and for 复核 within 30 days of receiving the 复查意见书 (Art. 36).  A reply sent by
post may arrive a week after it was written, so the window runs from the recorded 送达 date;
where none is recorded the clocks fall back to the reply's own date and say so
(``petition_core.clocks``).

The ``case.served`` payload (also listed in ``petition_core.fold``), kept small::

    {"reply": "conclusion" | "review" | "rereview",   # 处理意见书 / 复查意见书 / 复核意见书
     "served_on": "2026-04-03",                       # the day the petitioner received it
     "method": "post",                                # enums.ServeMethod
     "note": "挂号信回执编号…",                          # optional, ≤ 500 characters
     "at": "2026-04-05T10:00:00+08:00"}                # when it was recorded (set by the service)

``validate_served`` is the check for this event type, in the style of
``petition_core.validation``: every problem at once as ``ValidationErrors`` with stable codes.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .enums import ServeMethod
from .fold import SERVED_REPLIES, CaseState
from .textcheck import FieldError, ValidationErrors, clean_text

NOTE_MAX = 500
_KEYS = frozenset({"reply", "served_on", "method", "note", "at"})


def _date_of(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def latest_reply(state: CaseState) -> tuple[str, date] | None:
    """The written reply a 送达 recorded now is about, and its date: the newest of the
    conclusion (处理意见书) and the 复查/复核 decisions; None when there is none yet."""
    found: tuple[str, date] | None = None
    concluded = _date_of((state.conclusion or {}).get("at"))
    if concluded is not None:
        found = ("conclusion", concluded)
    for r in state.reviews:
        on = _date_of(r.get("decided_at"))
        if on is not None and r.get("kind") in ("review", "rereview") and (
                found is None or on >= found[1]):
            found = (str(r["kind"]), on)
    return found


def validate_served(data: Any, *, today: date, reply_date: date | None = None) -> dict[str, Any]:
    """Check and clean a ``case.served`` payload; raise ValidationErrors listing every error.

    ``today`` is the latest acceptable 送达 date (the station's date; a server checking a
    station's event may pass tomorrow, for clocks a day apart); ``reply_date``, when known,
    the date of the reply being served (a reply cannot be received before it was written:
    ``served_before_reply``).  Codes: ``unknown_field``, ``required``, ``invalid_choice``,
    ``date_format``, ``date_future``, ``served_before_reply`` (params: reply_date) and the
    text codes of ``clean_text`` for ``note``."""
    if not isinstance(data, dict):
        raise ValidationErrors([FieldError("", "invalid_type")])
    errors: list[FieldError] = [FieldError(k, "unknown_field")
                                for k in sorted(set(data) - _KEYS, key=str)]
    out: dict[str, Any] = {}
    reply = data.get("reply")
    if reply in (None, ""):
        errors.append(FieldError("reply", "required"))
    elif reply not in SERVED_REPLIES:
        errors.append(FieldError("reply", "invalid_choice", {"allowed": list(SERVED_REPLIES)}))
    else:
        out["reply"] = reply
    raw = data.get("served_on")
    if raw in (None, ""):
        errors.append(FieldError("served_on", "required"))
    else:
        on = None
        if isinstance(raw, str) and len(raw) == 10:
            try:
                on = date.fromisoformat(raw)
            except ValueError:
                on = None
        if on is None:
            errors.append(FieldError("served_on", "date_format"))
        elif on > today:
            errors.append(FieldError("served_on", "date_future"))
        elif reply_date is not None and on < reply_date:
            errors.append(FieldError("served_on", "served_before_reply",
                                     {"reply_date": reply_date.isoformat()}))
        else:
            out["served_on"] = on.isoformat()
    method = data.get("method")
    allowed = [m.value for m in ServeMethod]
    if method in (None, ""):
        errors.append(FieldError("method", "required"))
    elif method not in allowed:
        errors.append(FieldError("method", "invalid_choice", {"allowed": allowed}))
    else:
        out["method"] = method
    try:
        note = clean_text("note", data.get("note"), required=False, max_len=NOTE_MAX,
                          multiline=True)
        if note:
            out["note"] = note
    except ValidationErrors as exc:
        errors.extend(exc.errors)
    at = data.get("at")
    if at is not None:
        if _date_of(at) is None:
            errors.append(FieldError("at", "date_format"))
        else:
            out["at"] = at
    if errors:
        raise ValidationErrors(errors)
    return out
