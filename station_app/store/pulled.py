"""Pulled records this station cannot take: quarantined raw, never blocking a sync.

Why: a county server that stored a malformed record (an older server, a compromised one,
or a newer record type this version does not know) used to stop every station that pulled
it, on every sync, for good: the whole answer was refused, the cursor never moved.  Now
each pulled item passes the same gate the server applies (``Event.from_wire`` then
``petition_core.schemas.check_payload``); one that fails is kept here with its reason
(table ``pulled_quarantine``: the wire item, code, detail, time) inside the same
transaction that applies the rest of the answer and moves the cursor.

Every sync first tries the quarantined items again (:func:`retry_pulled`): after an
upgrade that reads them they apply with no one doing anything; the others stay, with a
fresh reason.  Nothing here is ever deleted except by being applied.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from petition_core.events import Event, EventFormatError, canonical_json
from petition_core.schemas import check_payload, safe_detail

from .eventlog import StoreError, apply_remote_events, now_iso
from .models import PulledQuarantineRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unreadable:
    item: Any
    code: str
    detail: str


def screen(items: list[Any]) -> tuple[list[Event], list[Unreadable]]:
    """Split pulled wire items into events this version can store and fold, and the rest
    (with the gate's code)."""
    good: list[Event] = []
    bad: list[Unreadable] = []
    for d in items:
        try:
            ev = Event.from_wire(d)
            check_payload(ev)
        except EventFormatError as exc:
            bad.append(Unreadable(d, exc.code, safe_detail(exc.detail)))
            continue
        good.append(ev)
    return good, bad


def _raw(item: Any) -> bytes:
    try:
        return canonical_json(item)
    except (TypeError, ValueError):
        return b"null"


def quarantine_pulled(session: Session, bad: list[Unreadable]) -> int:
    """Keep unreadable pulled items (the same item twice is kept once, with the newest
    reason).  Returns how many are new."""
    new = 0
    for u in bad:
        raw = _raw(u.item)
        digest = hashlib.sha256(raw).hexdigest()
        row = session.scalars(select(PulledQuarantineRow)
                              .where(PulledQuarantineRow.item_hash == digest)).first()
        eid = u.item.get("event_id") if isinstance(u.item, dict) else ""
        etype = u.item.get("type") if isinstance(u.item, dict) else ""
        if row is None:
            session.add(PulledQuarantineRow(
                event_id=safe_detail(eid if isinstance(eid, str) else "", 64),
                event_type=safe_detail(etype if isinstance(etype, str) else "", 40),
                code=u.code[:60], detail=u.detail, item=raw, item_hash=digest, at=now_iso()))
            new += 1
        else:
            row.code, row.detail = u.code[:60], u.detail
    if bad:
        log.warning("%d pulled record(s) quarantined: %s", len(bad),
                    sorted({u.code for u in bad}))
    return new


def list_pulled(session: Session) -> list[PulledQuarantineRow]:
    return list(session.scalars(select(PulledQuarantineRow).order_by(PulledQuarantineRow.id)))


def retry_pulled(session: Session) -> int:
    """Try every quarantined pulled item again (inside the caller's transaction); apply the
    ones this version can now take.  Returns how many were applied."""
    applied = 0
    for row in list_pulled(session):
        try:
            item = json.loads(row.item)
        except ValueError:
            continue
        good, bad = screen([item])
        if bad:
            row.code, row.detail = bad[0].code[:60], bad[0].detail
            continue
        try:   # one event: a conflict is raised before anything is written
            apply_remote_events(session, good)
        except StoreError as exc:
            row.code, row.detail = exc.code[:60], ""
            continue
        session.execute(delete(PulledQuarantineRow).where(PulledQuarantineRow.id == row.id))
        applied += 1
    if applied:
        log.info("%d quarantined pulled record(s) applied after all", applied)
    return applied
