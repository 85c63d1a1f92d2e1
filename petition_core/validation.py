"""Validation of what a clerk types: the whole ``case.registered`` payload at once.

Why collect every error: a village clerk fixing one field per round trip gives up.  The
function walks the entire form, records every problem with a dotted field path (the form
maps paths to widgets), and raises once.  Warnings (things a person should look at but may
accept, e.g. an ID area code that stdnum does not know) are returned with the cleaned form.

The payload shape is the one documented in ``petition_core.fold``.  Limits follow the
brief: summary ≤ 100 characters, account ≤ 5000, demands ≤ 1000, names ≤ 30, address
detail ≤ 100, subject unit ≤ 60; a group visit elects at most 5 representatives
(信访工作条例 Art. 18).

Field-level checks live in :mod:`petition_core.textcheck` and are re-exported here.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from .casenumber import (
    CaseNumberError,
    is_query_code_hash,
    normalize_query_code,
    parse_case_no,
)
from .enums import Category, Channel, StatuteType, SubjectLevel
from .ids import is_uuid
from .textcheck import (
    ERROR_CODES,
    FieldError,
    IdCheck,
    ValidationErrors,
    check_id_number,
    check_phone,
    clean_text,
)

__all__ = [
    "ERROR_CODES", "FieldError", "IdCheck", "ValidationErrors", "check_id_number",
    "check_phone", "clean_text", "validate_registration", "MAX_REPRESENTATIVES",
    "FUTURE_TOLERANCE", "LIMITS",
]

log = logging.getLogger(__name__)

MAX_REPRESENTATIVES = 5          # 信访工作条例 Art. 18
GROUP_VISIT_SIZE = 5             # 走访 by this many people or more should elect representatives
MAX_GROUP_SIZE = 100_000
FUTURE_TOLERANCE = timedelta(minutes=2)   # village PC clocks drift
EARLIEST = datetime(2000, 1, 1)
LIMITS = {
    "summary": 100, "account": 5000, "demands": 1000, "name": 30, "address_detail": 100,
    "subject.name": 30, "subject.unit": 60, "clerk": 30, "attachment.name": 255,
}

_TOP_KEYS = frozenset({
    "case_no", "query_code", "query_code_hash", "division", "channel", "category",
    "statute_type", "discipline", "received_at", "clerk", "petitioner", "group", "subject",
    "summary", "account", "demands", "attachments", "links",
})
_PETITIONER_KEYS = frozenset({"name", "id_number", "phone", "address_division",
                              "address_detail", "anonymous"})
_REP_KEYS = frozenset({"name", "id_number", "phone"})
_SUBJECT_KEYS = frozenset({"level", "name", "unit"})
_GROUP_KEYS = frozenset({"size", "representatives"})


class _Collector:
    """Accumulates errors and warnings while the form is walked."""

    def __init__(self, verdict_only: bool = False) -> None:
        self.errors: list[FieldError] = []
        self.warnings: list[FieldError] = []
        # True: only the verdict is wanted (the server at merge), so skip the checks that
        # can only warn and the formatting of cleaned values; the errors are the same
        self.verdict_only = verdict_only

    def add(self, fld: str, code: str, **params: Any) -> None:
        self.errors.append(FieldError(fld, code, params))

    def run(self, fld: str, fn: Callable[[], Any]) -> Any:
        """Call a field checker; on ValidationErrors record its errors under the dotted
        path ``fld`` (checkers only know their own short field name) and return None."""
        try:
            return fn()
        except ValidationErrors as exc:
            for e in exc.errors:
                self.errors.append(FieldError(fld, e.code, dict(e.params)))
            return None

    def text(self, fld: str, value: Any, *, required: bool, max_len: int,
             multiline: bool = False) -> str | None:
        return self.run(fld, lambda: clean_text(fld, value, required=required,
                                                max_len=max_len, multiline=multiline))

    def unknown_keys(self, prefix: str, d: dict[str, Any], allowed: frozenset[str]) -> None:
        for key in sorted(set(d) - allowed, key=str):
            self.add(f"{prefix}{key}", "unknown_field")


_VALUES: dict[type, tuple[str, ...]] = {}   # enum → its values (the server judges many)


def _choice(c: _Collector, fld: str, value: Any, enum: type[Enum], *,
            required: bool = True) -> str | None:
    if value in (None, ""):
        if required:
            c.add(fld, "required")
        return None
    allowed = _VALUES.get(enum)
    if allowed is None:
        allowed = _VALUES[enum] = tuple(m.value for m in enum)
    if not isinstance(value, str) or value not in allowed:
        c.add(fld, "invalid_choice", allowed=list(allowed))
        return None
    return value


class DivisionLookup(Protocol):
    """What validation asks of a division table: a DivisionTree, or the server's
    KnownDivisions (petition_core.content)."""

    def __contains__(self, code: object) -> bool: ...

    def is_within(self, code: str, ancestor: str) -> bool: ...


def _division(c: _Collector, fld: str, value: Any, divisions: DivisionLookup, *,
              required: bool, within: str | None = None) -> str | None:
    if value in (None, ""):
        if required:
            c.add(fld, "required")
        return None
    if not isinstance(value, str) or value not in divisions:
        c.add(fld, "division_unknown")
        return None
    if within and not divisions.is_within(value, within):
        c.add(fld, "division_outside", within=within)
        return None
    return value


def _bool(c: _Collector, fld: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        c.add(fld, "invalid_type")
        return False
    return value


def _dict(c: _Collector, fld: str, value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        c.add(fld, "invalid_type")
        return None
    return value


def _received_at(c: _Collector, value: Any, now: datetime) -> str | None:
    fld = "received_at"
    if value in (None, ""):
        c.add(fld, "required")
        return None
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None:
        c.add(fld, "date_format")
        return None
    # a naive time is read in the clock's own zone (both come from the same station)
    if (when.tzinfo is None) != (now.tzinfo is None):
        when = when.replace(tzinfo=now.tzinfo) if when.tzinfo is None else when.replace(tzinfo=None)
    if when > now + FUTURE_TOLERANCE:
        c.add(fld, "date_future")
        return None
    earliest = EARLIEST.replace(tzinfo=when.tzinfo)
    if when < earliest:
        c.add(fld, "date_too_old")
        return None
    return when.isoformat()


def _person(c: _Collector, prefix: str, d: dict[str, Any], *, name_required: bool,
            today: Any) -> dict[str, Any]:
    """name / id_number / phone, shared by the petitioner and group representatives."""
    out: dict[str, Any] = {}
    name = c.text(f"{prefix}.name", d.get("name"), required=name_required,
                  max_len=LIMITS["name"])
    if name:
        out["name"] = name
    raw_id = d.get("id_number")
    if raw_id not in (None, ""):
        fld = f"{prefix}.id_number"
        chk = c.run(fld, lambda: check_id_number(raw_id, today=today,
                                                 area=not c.verdict_only))
        if chk is not None:
            out["id_number"] = chk.normalized
            c.warnings.extend(FieldError(fld, w.code, dict(w.params)) for w in chk.warnings)
    raw_phone = d.get("phone")
    if raw_phone not in (None, ""):
        phone = c.run(f"{prefix}.phone",
                      lambda: check_phone(raw_phone, formatted=not c.verdict_only))
        if phone is not None:
            out["phone"] = phone
    return out


def _petitioner(c: _Collector, value: Any, divisions: DivisionLookup, today: Any) -> dict[str, Any]:
    p = _dict(c, "petitioner", value)
    if p is None:
        if value is None:
            c.add("petitioner.name", "required")
        return {}
    c.unknown_keys("petitioner.", p, _PETITIONER_KEYS)
    anonymous = _bool(c, "petitioner.anonymous", p.get("anonymous"))
    if anonymous:
        for key in ("name", "id_number"):
            if p.get(key) not in (None, ""):
                c.add(f"petitioner.{key}", "anonymous_identity")
    out = _person(c, "petitioner", {k: v for k, v in p.items() if not anonymous
                                    or k == "phone"}, name_required=not anonymous, today=today)
    out["anonymous"] = anonymous
    addr = _division(c, "petitioner.address_division", p.get("address_division"), divisions,
                     required=False)
    if addr:
        out["address_division"] = addr
    detail = c.text("petitioner.address_detail", p.get("address_detail"), required=False,
                    max_len=LIMITS["address_detail"])
    if detail:
        out["address_detail"] = detail
    return out


def _group(c: _Collector, value: Any, channel: str | None, today: Any) -> dict[str, Any] | None:
    g = _dict(c, "group", value)
    if g is None:
        return None
    c.unknown_keys("group.", g, _GROUP_KEYS)
    size = g.get("size")
    if isinstance(size, bool) or not isinstance(size, int):
        c.add("group.size", "required" if size is None else "invalid_type")
        size = None
    elif not 1 <= size <= MAX_GROUP_SIZE:
        c.add("group.size", "out_of_range", min=1, max=MAX_GROUP_SIZE)
        size = None
    reps_in = g.get("representatives") or []
    reps: list[dict[str, Any]] = []
    if not isinstance(reps_in, list):
        c.add("group.representatives", "invalid_type")
        reps_in = []
    if len(reps_in) > MAX_REPRESENTATIVES:
        c.add("group.representatives", "too_many_representatives", max=MAX_REPRESENTATIVES)
    elif size is not None and len(reps_in) > size:
        c.add("group.representatives", "out_of_range", max=size)
    for i, rep in enumerate(reps_in):
        prefix = f"group.representatives.{i}"
        r = _dict(c, prefix, rep)
        if r is None:
            if rep is None:
                c.add(f"{prefix}.name", "required")
            continue
        c.unknown_keys(prefix + ".", r, _REP_KEYS)
        reps.append(_person(c, prefix, r, name_required=True, today=today))
    if size is not None and size >= GROUP_VISIT_SIZE and channel == Channel.VISIT.value \
            and not reps_in:
        c.warnings.append(FieldError("group.representatives", "group_needs_representatives",
                                     {"size": size}))
    return {"size": size, "representatives": reps}


def _subject(c: _Collector, value: Any) -> dict[str, Any] | None:
    s = _dict(c, "subject", value)
    if s is None:
        return None
    c.unknown_keys("subject.", s, _SUBJECT_KEYS)
    out: dict[str, Any] = {"level": _choice(c, "subject.level", s.get("level") or "none",
                                            SubjectLevel)}
    name = c.text("subject.name", s.get("name"), required=False, max_len=LIMITS["subject.name"])
    unit = c.text("subject.unit", s.get("unit"), required=False, max_len=LIMITS["subject.unit"])
    if name:
        out["name"] = name
    if unit:
        out["unit"] = unit
    return out


def _attachments(c: _Collector, value: Any) -> list[dict[str, Any]]:
    if value in (None, []):
        return []
    if not isinstance(value, list):
        c.add("attachments", "invalid_type")
        return []
    out = []
    for i, att in enumerate(value):
        ok = (isinstance(att, dict)
              and isinstance(att.get("sha256"), str) and len(att["sha256"]) == 64
              and all(ch in "0123456789abcdef" for ch in att["sha256"])
              and isinstance(att.get("size"), int) and not isinstance(att.get("size"), bool)
              and att["size"] >= 0)
        name = c.text(f"attachments.{i}.name", att.get("name") if isinstance(att, dict) else None,
                      required=True, max_len=LIMITS["attachment.name"])
        if not ok:
            c.add(f"attachments.{i}", "attachment_invalid")
        elif name is not None:
            mime = att.get("mime") if isinstance(att.get("mime"), str) else ""
            out.append({"sha256": att["sha256"], "name": name, "size": att["size"],
                        "mime": mime[:100]})
    return out


def validate_registration(form: dict[str, Any], *, divisions: DivisionLookup, now: datetime,
                          within: str | None = None, require_account: bool = True,
                          verdict_only: bool = False,
                          ) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate and clean a ``case.registered`` payload.

    ``now`` is the station clock (received_at may not be later than it + 2 minutes);
    ``within`` optionally restricts ``division`` to a jurisdiction (the station's own
    division code).  ``account`` (反映内容, what happened) is required of a new
    registration; ``require_account=False`` re-validates a case registered before it was
    (an amendment of another field must not fail on it).  Returns ``(clean, warnings)``;
    raises ValidationErrors listing every error.  Unknown keys are errors
    (``unknown_field``) so a misspelt field never silently disappears.
    ``verdict_only=True`` (the server's content check at merge) gives the same errors,
    cheaper: no warnings, cleaned values not reformatted.
    """
    c = _Collector(verdict_only)
    if not isinstance(form, dict):
        raise ValidationErrors([FieldError("", "invalid_type")])
    c.unknown_keys("", form, _TOP_KEYS)
    today = now.date()
    clean: dict[str, Any] = {}
    if form.get("case_no") not in (None, ""):
        try:
            clean["case_no"] = str(parse_case_no(form["case_no"]))
        except CaseNumberError:
            c.add("case_no", "case_no_format")
    if form.get("query_code") not in (None, ""):
        try:
            clean["query_code"] = normalize_query_code(form["query_code"])
        except CaseNumberError:
            c.add("query_code", "query_code_format")
    if form.get("query_code_hash") not in (None, ""):
        if is_query_code_hash(form["query_code_hash"]):
            clean["query_code_hash"] = form["query_code_hash"]
        else:     # another scheme, or a work factor meant to make every lookup expensive
            c.add("query_code_hash", "query_code_format")
    clean["division"] = _division(c, "division", form.get("division"), divisions,
                                  required=True, within=within)
    clean["channel"] = _choice(c, "channel", form.get("channel"), Channel)
    clean["category"] = _choice(c, "category", form.get("category"), Category)
    clean["statute_type"] = _choice(c, "statute_type", form.get("statute_type"), StatuteType)
    clean["discipline"] = _bool(c, "discipline", form.get("discipline"))
    clean["received_at"] = _received_at(c, form.get("received_at"), now)
    clerk = c.text("clerk", form.get("clerk"), required=False, max_len=LIMITS["clerk"])
    if clerk:
        clean["clerk"] = clerk
    clean["petitioner"] = _petitioner(c, form.get("petitioner"), divisions, today)
    group = _group(c, form.get("group"), clean["channel"], today)
    if group is not None:
        clean["group"] = group
    subject = _subject(c, form.get("subject"))
    if subject is not None:
        clean["subject"] = subject
    clean["summary"] = c.text("summary", form.get("summary"), required=True,
                              max_len=LIMITS["summary"])
    for key, required in (("account", require_account), ("demands", False)):
        val = c.text(key, form.get(key), required=required, max_len=LIMITS[key],
                     multiline=True)
        if val:
            clean[key] = val
    atts = _attachments(c, form.get("attachments"))
    if atts:
        clean["attachments"] = atts
    links = form.get("links")
    if links not in (None, []):
        if not isinstance(links, list):
            c.add("links", "invalid_type")
        else:
            for i, link in enumerate(links):
                if not isinstance(link, str) or not is_uuid(link):
                    c.add(f"links.{i}", "invalid_id")
            clean["links"] = [x for x in links if isinstance(x, str) and is_uuid(x)]
    if c.errors:
        raise ValidationErrors(c.errors)
    return clean, c.warnings


def validate_field(field: str, value: Any, *, divisions: DivisionLookup,
                   now: datetime) -> None:
    """Validate one registration field on its own (an amendment's new value, judged where
    the rest of the form is not at hand, e.g. by the server at merge).  Same checks and
    codes as :func:`validate_registration`; rules that need other fields (a name is
    required unless anonymous) are left to the station, which has the whole form.
    Raises ValidationErrors; unknown ``field`` → ``invalid_choice``."""
    c = _Collector(verdict_only=True)
    today = now.date()
    enums = {"channel": Channel, "category": Category, "statute_type": StatuteType}
    texts = {"petitioner.name": LIMITS["name"], "petitioner.address_detail":
             LIMITS["address_detail"], "subject.name": LIMITS["subject.name"],
             "subject.unit": LIMITS["subject.unit"]}
    if field in enums:
        _choice(c, field, value, enums[field])
    elif field == "subject.level":
        _choice(c, field, value or "none", SubjectLevel)
    elif field in ("discipline", "petitioner.anonymous"):
        _bool(c, field, value)
    elif field == "received_at":
        _received_at(c, value, now)
    elif field in texts:
        c.text(field, value, required=False, max_len=texts[field])
    elif field == "summary":
        c.text(field, value, required=True, max_len=LIMITS["summary"])
    elif field in ("account", "demands"):
        c.text(field, value, required=False, max_len=LIMITS[field], multiline=True)
    elif field in ("petitioner.id_number", "petitioner.phone"):
        _person(c, "petitioner", {field.split(".")[1]: value}, name_required=False,
                today=today)
    elif field == "petitioner.address_division":
        _division(c, field, value, divisions, required=False)
    elif field == "group.size":
        _group(c, {"size": value}, None, today)
    elif field == "group.representatives":
        size = max(1, len(value)) if isinstance(value, list) else 1
        _group(c, {"size": size, "representatives": value}, None, today)
    else:
        c.add("field", "invalid_choice")
    if c.errors:
        raise ValidationErrors(c.errors)
