"""The county server's repeat findings about this station's cases (table ``repeat_notice``,
revision 0013; sync_server/services/repeats.py makes them, docs/PROTOCOL.md ``repeats``).

Only findings about a case this station holds are kept: the server never makes a station
store rows about cases it does not have."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from petition_core.protocol import RepeatFinding

from .models import CaseIndex, RepeatNotice


def store_findings(s: Session, findings: Iterable[RepeatFinding]) -> set[str]:
    """Keep (or update) each finding about a held case; returns the cases it touched."""
    findings = list(findings)
    held = set(s.scalars(select(CaseIndex.case_id).where(
        CaseIndex.case_id.in_(sorted({f.case_id for f in findings}))))) if findings else set()
    touched = set()
    for f in findings:
        if f.case_id not in held:
            continue
        stmt = insert(RepeatNotice).values(
            case_id=f.case_id, matched_case_id=f.matched_case_id, reason=f.reason,
            matched_case_no=f.matched_case_no, score=f.score, flag=f.flag)
        s.execute(stmt.on_conflict_do_update(
            index_elements=["case_id", "matched_case_id", "reason"],
            set_={"matched_case_no": f.matched_case_no, "score": f.score, "flag": f.flag}))
        touched.add(f.case_id)
    return touched


def notices_for(s: Session, case_id: str) -> list[RepeatNotice]:
    return list(s.scalars(select(RepeatNotice).where(RepeatNotice.case_id == case_id)
                          .order_by(RepeatNotice.matched_case_no, RepeatNotice.reason)))
