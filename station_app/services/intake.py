"""Intake: validate a registration form, warn about repeats, register in one transaction.

Validation runs before the write transaction opens, so an invalid form writes nothing (not
even a case-number counter bump).  The case number comes from a per-year counter updated in
the same transaction as the registered event, so numbers are gap-free and never reused.
Its series is the station number the county assigned at enrollment (none written for
number 1), or before enrollment a provisional tag from the station's key, so two stations
of one division never make the same number (petition_core/casenumber.py).
"""
from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text

from petition_core.casenumber import (
    format_case_no,
    new_query_code,
    provisional_tag,
    query_code_hash,
)
from petition_core.divisions import DivisionTree, level_of_code
from petition_core.enums import Level, Status
from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7

from ..paths import AppPaths
from ..store import Store, append_events, get_setting
from ..store.eventlog import next_counter, station_row
from ..store.models import AttachmentRow, CaseIndex, LocalQueryCode
from ..store.projection import missing_years_of
from . import attachments
from .gatecheck import station_gate
from .types import AttachmentRef, Changes, Operator, Registered, RepeatMatch, ServiceError

if TYPE_CHECKING:
    from petition_core.validation import FieldError

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = attachments.MAX_ATTACHMENT_BYTES
REPEAT_WINDOW_DAYS = 365
CONTENT_CANDIDATES = 1500
CONTENT_THRESHOLD = 0.55


def case_series(session: Any, paths: AppPaths) -> int | str:
    """The case-number series of this station: its station number once enrolled, else a
    provisional tag derived from its public key (made now if it has none yet)."""
    from ..sync.keys import StationKeyError, StationKeys
    from ..sync.trust import K_STATION_NO

    no = get_setting(session, K_STATION_NO) or ""
    if no.isdigit() and int(no) >= 1:
        return int(no)
    try:
        keys = StationKeys.load_or_create(paths.keys_dir)
    except StationKeyError as exc:
        raise ServiceError(exc.code) from None
    return provisional_tag(base64.b64decode(keys.public_key_b64()))


def _township_prefix(code: str) -> str:
    """The first 9 digits name the township (2+2+2+3)."""
    return code[:9] if code and len(code) == 12 else ""


class IntakeService:
    """``form`` is the dict petition_core.validation.validate_registration accepts: keys
    division, channel, category, statute_type, discipline, received_at,
    petitioner{name, id_number, phone, address_division, address_detail, anonymous},
    group{size, representatives}, subject{level, name, unit}, summary, account, demands,
    attachments (list of AttachmentRef or dicts from import_attachment)."""

    def __init__(self, store: Store, paths: AppPaths) -> None:
        self._store = store
        self._paths = paths

    # ---- validation ----------------------------------------------------------------
    def _station_division(self) -> str:
        with self._store.read() as s:
            return station_row(s).division

    def _validate(self, form: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
        from petition_core import validation

        data = dict(form)
        data["attachments"] = [a.to_payload() if isinstance(a, AttachmentRef) else a
                               for a in data.get("attachments") or []]
        own = self._station_division()
        if not data.get("division"):
            data["division"] = own
        return validation.validate_registration(
            data, divisions=DivisionTree.load_default(), now=datetime.now().astimezone(),
            within=own)

    def validate(self, form: Mapping[str, Any]) -> list[FieldError]:
        """Every error followed by every warning; an empty list means the form is fine.
        (Errors make register() refuse; warnings such as ``id_area_unknown`` do not.)"""
        from petition_core.validation import ValidationErrors

        try:
            _clean, warnings = self._validate(form)
        except ValidationErrors as exc:
            return list(exc.errors)
        return list(warnings)

    # ---- repeat check --------------------------------------------------------------
    def find_repeats(self, form: Mapping[str, Any], *, limit: int = 10) -> list[RepeatMatch]:
        """Possible earlier cases of the same matter (多次反映): same ID number, same name in
        the same village, or similar content among recent cases of the same township.
        Works on an unvalidated form (it runs while the clerk types)."""
        pet = form.get("petitioner") or {}
        id_number = str(pet.get("id_number") or "").strip().upper()
        name = str(pet.get("name") or "").strip()
        anonymous = bool(pet.get("anonymous"))
        division = str(form.get("division") or "") or self._station_division()
        village = str(pet.get("address_division") or "") or division
        content = " ".join(str(form.get(k) or "") for k in ("summary", "account")).strip()
        found: dict[str, tuple[str, float, CaseIndex]] = {}
        with self._store.read() as s:
            if id_number and not anonymous:
                for r in s.scalars(select(CaseIndex).where(CaseIndex.id_number == id_number)
                                   .limit(limit)):
                    found.setdefault(r.case_id, ("id_number", 1.0, r))
            if name and not anonymous:
                for r in s.scalars(select(CaseIndex).where(
                        CaseIndex.petitioner_name == name,
                        CaseIndex.petitioner_division == village).limit(limit)):
                    found.setdefault(r.case_id, ("name_village", 1.0, r))
            if len(content) >= 4:
                for case_id, score, r in self._content_matches(s, content, division, limit):
                    found.setdefault(case_id, ("content", score, r))
        order = {"id_number": 0, "name_village": 1, "content": 2}
        closed = Status.CLOSED.value
        # a closed matter first: it is not accepted again (Art. 36)
        ranked = sorted(found.items(), key=lambda kv: (kv[1][2].status != closed,
                                                       order[kv[1][0]], -kv[1][1]))
        return [RepeatMatch(case_id=cid, case_no=r.case_no, reason=reason,
                            score=round(score, 3), summary=r.summary,
                            received_at=r.received_at, status_label=Status(r.status).label,
                            closed=r.status == closed)
                for cid, (reason, score, r) in ranked[:limit]]

    def _content_matches(self, s, content: str, division: str,
                         limit: int) -> list[tuple[str, float, CaseIndex]]:
        """Similarity over a bounded candidate set: same township, last year, newest first
        (an index range scan), so the check stays fast with 100,000 cases."""
        from petition_core.similarity import best_matches

        prefix = _township_prefix(division)
        if not prefix:
            return []
        since = (date.today() - timedelta(days=REPEAT_WINDOW_DAYS)).isoformat()
        rows = s.execute(text(
            "SELECT ci.case_id, ci.summary, f.account FROM case_index ci"
            " CROSS JOIN case_fts f ON f.rowid = ci.doc_id"  # ci first: SQLite would scan the FTS
            " WHERE ci.division >= :lo AND ci.division < :hi AND ci.received_at >= :since"
            " AND ci.sealed = 0 ORDER BY ci.received_at DESC LIMIT :n"),
            {"lo": prefix, "hi": prefix + ":", "since": since, "n": CONTENT_CANDIDATES}).all()
        if not rows:
            return []
        cands = [(r[0], f"{r[1]} {r[2] or ''}".strip()) for r in rows]
        hits = best_matches(content, cands, threshold=CONTENT_THRESHOLD, limit=limit)
        out = []
        for case_id, score in hits:
            row = s.get(CaseIndex, case_id)
            if row is not None:
                out.append((case_id, float(score), row))
        return out

    # ---- registration ----------------------------------------------------------------
    def register(self, form: Mapping[str, Any], operator: Operator, *,
                 link_to: Iterable[str] = ()) -> Registered:
        """Validate and register in one transaction: case number, query code, the
        registered event (+ outbox + projection).  Raises ValidationErrors and writes
        nothing when the form is invalid; ServiceError('attachment_unknown') for an
        attachment not imported here, ('link_unknown') for an unknown linked case."""
        clean, _warnings = self._validate(form)
        links = list(dict.fromkeys(str(x) for x in link_to))
        with self._store.session() as s:
            st = station_row(s)
            for att in clean.get("attachments") or []:
                if s.get(AttachmentRow, att.get("sha256")) is None:
                    raise ServiceError("attachment_unknown")
            for rel in links:
                if s.get(CaseIndex, rel) is None:
                    raise ServiceError("link_unknown")
            year = datetime.now().year
            seq = next_counter(s, f"case_no:{year}")
            case_no = format_case_no(st.station_code, year, seq, case_series(s, self._paths))
            query_code = self._unique_query_code(s)
            case_id = uuid7()
            division = clean.get("division") or st.division
            # the clear code stays here (receipt, reprints, search by code); the event, and
            # so every outbox, bundle and server, carries only its hash (decision 0011)
            s.add(LocalQueryCode(case_id=case_id, code=query_code))
            s.flush()   # before append_events: its projection reads the code back
            code_hash = query_code_hash(case_id, query_code)
            payload = {**{k: v for k, v in clean.items() if k != "query_code"},
                       "case_no": case_no, "query_code_hash": code_hash,
                       "division": division, "clerk": operator.login, "links": links}
            append_events(s, [EventDraft(case_id=case_id, type=EventType.REGISTERED,
                                         data=payload, route=division)], operator.login,
                          gate=station_gate(s, None))
            row = s.get(CaseIndex, case_id)   # the projection row append_events just wrote
            due = row.due_date if row is not None else None
        log.info("case registered")
        return Registered(case_id=case_id, case_no=case_no, query_code=query_code,
                          due_date=due, due_missing_years=missing_years_of(due),
                          changes=Changes.of_cases([case_id, *links], outbox=True))

    @staticmethod
    def _unique_query_code(s) -> str:
        for _ in range(20):
            code = new_query_code()
            if s.scalar(select(CaseIndex.case_id).where(CaseIndex.query_code == code)) is None:
                return code
        raise ServiceError("query_code_exhausted")

    def import_attachment(self, path: str | Path) -> AttachmentRef:
        """Copy a file into attachments_dir/<aa>/<sha256> (content-addressed, dedup).
        ServiceError codes: attachment_missing, attachment_too_large, attachment_type,
        attachment_empty."""
        return attachments.import_file(self._store, self._paths, path)


def station_level(division: str) -> Level:
    return level_of_code(division)
