"""Data for printed documents (登记回执, 受理告知书, 不予受理告知书, 督办单, 处理意见书); no Qt
here.

Deadlines printed for the petitioner come from the same statutory clocks the case list
uses, so paper and screen can never disagree.
"""
from __future__ import annotations

from petition_core.events import EventType
from petition_core.fold import CaseState

from ..store import Store, get_setting
from ..store.eventlog import now_iso, station_row
from ..store.models import OperatorRow
from .case_detail import clock_views, division_name, unit_name
from .common import category_label, channel_label, load_state, petitioner_display
from .types import (
    AcceptanceNoticeData,
    NonAcceptanceNoticeData,
    ReceiptData,
    ReplyData,
    ServiceError,
    UrgeSheetData,
)

CONTACT_SETTING = "station.contact"


def _due(state: CaseState, key: str) -> tuple[str | None, tuple[int, ...]]:
    """The due date of one clock and the years it needed whose calendar is not loaded."""
    for c in clock_views(state):
        if c.key == key:
            return c.due, c.missing_years
    return None, ()


class DocumentService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def _load(self, case_id: str):
        with self._store.read() as s:
            state = load_state(s, case_id)
            st = station_row(s)
            contact = get_setting(s, CONTACT_SETTING, "") or ""
            # the petitioner reads the clerk's name, not a login ("demo", "admin")
            login = str(state.fact("clerk") or "")
            op = s.get(OperatorRow, login) if login else None
            clerk = op.display_name if op is not None else login
        if state.sealed:
            raise ServiceError("sealed")
        pet = state.facts.get("petitioner") or {}
        who = petitioner_display(str(pet.get("name") or ""), bool(pet.get("anonymous")))
        return state, st, contact, who, clerk

    def receipt_data(self, case_id: str) -> ReceiptData:
        state, st, contact, who, clerk = self._load(case_id)
        reply_by, missing = _due(state, "decide")
        steps = (f"本站将在{reply_by}前告知您是否受理；受理后60日内办结，办理结果会告知您。"
                  if reply_by else "本站将尽快告知您是否受理。")
        if (state.facts.get("petitioner") or {}).get("anonymous"):
            steps = "您是匿名反映，可凭查询码查询办理进度。"
            missing = ()   # no date is printed
        return ReceiptData(
            case_no=state.case_no, query_code=state.query_code, station_name=st.name,
            station_division_name=division_name(st.division),
            received_at=str(state.fact("received_at") or ""), petitioner_display=who,
            channel_label=channel_label(state.fact("channel")),
            category_label=category_label(state.fact("category")),
            summary=str(state.fact("summary") or ""), clerk=clerk,
            next_steps=steps, reply_by=reply_by, contact=contact, printed_at=now_iso(),
            calendar_missing=missing if reply_by else ())

    def acceptance_notice_data(self, case_id: str) -> AcceptanceNoticeData:
        """ServiceError('not_accepted') unless the case was accepted."""
        state, st, contact, who, clerk = self._load(case_id)
        if not state.accepted_at:
            raise ServiceError("not_accepted")
        conclude_by, missing = _due(state, "conclude")
        unit = self._handling_unit(state, st)
        return AcceptanceNoticeData(
            case_no=state.case_no, query_code=state.query_code, station_name=st.name,
            petitioner_display=who, received_at=str(state.fact("received_at") or ""),
            accepted_at=state.accepted_at, summary=str(state.fact("summary") or ""),
            handling_unit=unit, conclude_by=conclude_by,
            next_steps=(f"您反映的事项已受理，将在{conclude_by}前办结并书面答复您；"
                        "情况复杂的，经批准可延长，延长期限会告知您。") if conclude_by
            else "您反映的事项已受理，办结后将书面答复您。",
            contact=contact, printed_at=now_iso(), calendar_missing=missing)

    def non_acceptance_notice_data(self, case_id: str) -> NonAcceptanceNoticeData:
        """ServiceError('not_declined') unless the case was declined."""
        state, st, contact, who, clerk = self._load(case_id)
        if not state.declined:
            raise ServiceError("not_declined")
        d = state.declined
        other = str(d.get("other_channel") or "")
        return NonAcceptanceNoticeData(
            case_no=state.case_no, query_code=state.query_code, station_name=st.name,
            petitioner_display=who, received_at=str(state.fact("received_at") or ""),
            declined_at=str(d.get("at") or ""), reason=str(d.get("reason") or ""),
            other_channel=other, summary=str(state.fact("summary") or ""),
            next_steps=(f"请向{other}反映。" if other else
                        "如对本决定有异议，可向上一级机关反映。"),
            contact=contact, printed_at=now_iso())

    def _handling_unit(self, state: CaseState, st) -> str:  # noqa: ANN001
        """The unit's name (a unit code since issue 9 item 4; free text before)."""
        return unit_name(state.owner_unit) or division_name(state.owner_division) or st.name

    def urge_sheet_data(self, case_id: str) -> UrgeSheetData:
        """督办单 of the latest 督办.  ServiceError('not_urged') when there was none."""
        state, st, contact, _who, _clerk = self._load(case_id)
        urges = [e for e in state.events if e.type == EventType.URGED.value and not e.sealed]
        if not urges:
            raise ServiceError("not_urged")
        d = urges[-1].data()
        conclude_by, _missing = _due(state, "conclude")
        return UrgeSheetData(
            case_no=state.case_no, station_name=st.name,
            handling_unit=self._handling_unit(state, st),
            received_at=str(state.fact("received_at") or ""),
            summary=str(state.fact("summary") or ""),
            urged_at=str(d.get("at") or urges[-1].occurred_at),
            due=str(d["due"])[:10] if isinstance(d.get("due"), str) else None,
            note=str(d.get("note") or ""), urge_count=len(urges), conclude_by=conclude_by,
            contact=contact, printed_at=now_iso())

    def reply_data(self, case_id: str) -> ReplyData:
        """处理意见书 of the current conclusion.  ServiceError('not_concluded') without one."""
        state, st, contact, who, _clerk = self._load(case_id)
        c = state.conclusion
        if not c:
            raise ServiceError("not_concluded")
        unresolved = c.get("outcome") == "unresolved"
        return ReplyData(
            case_no=state.case_no, query_code=state.query_code, station_name=st.name,
            petitioner_display=who, received_at=str(state.fact("received_at") or ""),
            summary=str(state.fact("summary") or ""),
            demands=str(state.fact("demands") or ""),
            handling_unit=self._handling_unit(state, st),
            concluded_at=str(c.get("at") or ""), result=str(c.get("result") or ""),
            opinion=str(c.get("opinion") or ""), unresolved=unresolved,
            next_steps=("如对本处理意见不服，可以自收到本意见书之日起30日内，向原办理机关的"
                        "上一级机关请求复查（《信访工作条例》第三十五条）。"),
            contact=contact, printed_at=now_iso())
