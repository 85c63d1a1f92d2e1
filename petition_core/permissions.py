"""May this actor take this action on this case now?  (issue 9 items 0 and 2)

``allowed(state, actor, action) -> Decision`` is the one rule, pure, for the station's
services (before they write) and the server's merge (before it stores): an action is
allowed when

1. the actor is sound: a well-formed unit code of the actor's level, and a role that belongs
   to that level (:data:`LEVEL_ROLES`; a station's administrator acts as the level's staff,
   :data:`LEVEL_STAFF`);
2. the actor's unit has a relation to the case (:mod:`petition_core.ownership`) that may take
   the action (:data:`RELATION_ACTIONS`);
3. the actor's role may take it (:data:`ROLE_ACTIONS`);
4. the case's status allows it (:data:`STATUS_ACTIONS`), plus a few preconditions that are
   not a status (at most 30 days of extension in all, a 复核 only after a 复查 decision, a
   conflict to resolve).

Everything is a table so that docs/WORKFLOW.md and the tests enumerate the same data
(:func:`matrix_markdown`; tests/core/test_workflow_doc.py fails when they disagree).
Refusals are stable codes with parameters (registered in petition_core/codes.py).
The server cannot verify an operator's role (stations sign, operators do not): it judges
with the level's staff role (:func:`server_actor`); stations enforce the role as well.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .enums import Labelled, Level, Role, Status
from .events import EventType
from .fold import CaseState
from .ownership import RELATION_ORDER, Parties, Relation, parties_of, relations
from .units import UnitError, level_of

# ---- refusal codes (petition_core/codes.py, kind "service") ------------------------------
ACTOR_INVALID = "actor_invalid"                  # params: unit, level
ROLE_NOT_FOR_LEVEL = "role_not_for_level"        # params: role, level
ACTION_UNKNOWN = "action_unknown"                # params: action
CASE_UNKNOWN = "case_unknown"                    # not registered (here)
CASE_NOT_VISIBLE = "case_not_visible"            # the unit has no relation to the case
ACTION_NOT_FOR_RELATION = "action_not_for_relation"  # params: action, relation
ACTION_NOT_FOR_ROLE = "action_not_for_role"      # params: action, role
ACTION_NOT_IN_STATUS = "action_not_in_status"    # params: action, status
EXTENSION_EXHAUSTED = "extension_exhausted"      # params: max_days
REVIEW_NOT_DECIDED = "review_not_decided"        # 复核 asked before a 复查 decision
REVIEW_ALREADY_DECIDED = "review_already_decided"  # 复查 asked again: ask 复核
NO_CONFLICT = "no_conflict"
CASE_SEALED = "case_sealed"                      # content withheld from this station
ALREADY_SIGNED = "already_signed"                # 签收 twice
EXTENSION_PENDING = "extension_pending"          # asked again before the decision
EXTENSION_NOT_REQUESTED = "extension_not_requested"  # nothing to decide
REPORT_NOT_REQUIRED = "report_not_required"      # no 交办 asked for a 办结报告
REPORT_ALREADY_SUBMITTED = "report_already_submitted"
REPORT_NOT_SUBMITTED = "report_not_submitted"    # nothing to sign off (or already done)
OBJECTION_NOT_FOR_MOVE = "objection_not_for_move"  # signed already, or nothing was sent

MAX_EXTENSION_DAYS = 30


class Action(Labelled):
    VIEW = ("view", "查看")
    SIGN = ("sign", "签收")
    ACCEPT = ("accept", "受理")
    DECLINE = ("decline", "不予受理")
    TRANSFER = ("transfer", "转办")
    OBJECT_TRANSFER = ("object_transfer", "对转办提出异议")
    ASSIGN = ("assign", "交办")
    PROGRESS = ("progress", "记录办理情况")
    REQUEST_EXTENSION = ("request_extension", "申请延期")
    DECIDE_EXTENSION = ("decide_extension", "审批延期")
    CONCLUDE = ("conclude", "办结")
    SUBMIT_REPORT = ("submit_report", "提交办结报告")
    ACCEPT_REPORT = ("accept_report", "审核办结报告")
    SEND_BACK = ("send_back", "发回重办")
    URGE = ("urge", "督办")
    SERVE = ("serve", "送达")
    FOLLOW_UP = ("follow_up", "回访")
    REQUEST_REVIEW = ("request_review", "申请复查")
    REQUEST_REREVIEW = ("request_rereview", "申请复核")
    DECIDE_REVIEW = ("decide_review", "复查/复核决定")
    CLOSE = ("close", "终结")
    PRINT = ("print", "打印文书")
    LINK = ("link", "关联")
    AMEND = ("amend", "更正登记")
    RESOLVE_CONFLICT = ("resolve_conflict", "处理冲突")


A = Action
R = Relation
S = Status

# ---- 1. roles belong to levels ------------------------------------------------------------
# Role has no city/province member yet: staff above the county act in the county role.
LEVEL_STAFF: dict[Level, Role] = {
    Level.VILLAGE: Role.VILLAGE, Level.TOWNSHIP: Role.TOWNSHIP, Level.COUNTY: Role.COUNTY,
    Level.CITY: Role.COUNTY, Level.PROVINCE: Role.COUNTY,
}
LEVEL_ROLES: dict[Level, frozenset[Role]] = {
    lv: frozenset({staff, Role.ADMIN} | ({Role.SUPERVISOR} if lv != Level.VILLAGE else set()))
    for lv, staff in LEVEL_STAFF.items()
}

# ---- 2. what each relation to the case may do (the matrix) ------------------------
RELATION_ACTIONS: dict[Relation, frozenset[Action]] = {
    # only the handling unit signs, accepts, handles, asks for an extension and concludes
    R.HANDLING: frozenset({A.VIEW, A.SIGN, A.ACCEPT, A.DECLINE, A.TRANSFER, A.OBJECT_TRANSFER,
                           A.ASSIGN, A.PROGRESS, A.REQUEST_EXTENSION, A.CONCLUDE,
                           A.SUBMIT_REPORT, A.SERVE,
                           A.REQUEST_REVIEW, A.REQUEST_REREVIEW, A.CLOSE, A.PRINT, A.LINK,
                           A.AMEND, A.RESOLVE_CONFLICT}),
    # the unit that transferred/assigned it approves extensions, urges, sends back, signs
    # off the report it asked for
    R.SUPERVISING: frozenset({A.VIEW, A.DECIDE_EXTENSION, A.URGE, A.SEND_BACK,
                              A.ACCEPT_REPORT, A.PROGRESS, A.LINK}),
    # the registering station met the petitioner: documents, 送达, 回访, their requests
    R.REGISTERING: frozenset({A.VIEW, A.PRINT, A.SERVE, A.FOLLOW_UP, A.REQUEST_REVIEW,
                              A.REQUEST_REREVIEW, A.PROGRESS, A.LINK, A.AMEND}),
    # the level above the reviewed reply decides the 复查 (复核: the level above that)
    R.REVIEWING: frozenset({A.VIEW, A.DECIDE_REVIEW, A.CLOSE, A.PROGRESS, A.PRINT}),
    # every level above sees and urges the cases in its subtree, and may assign them; it
    # decides the extension of a case nobody transferred to its handler (the level above
    # approves, Art. 34) and arbitrates a conflict a village clerk may not
    R.ABOVE: frozenset({A.VIEW, A.URGE, A.ASSIGN, A.DECIDE_EXTENSION, A.RESOLVE_CONFLICT}),
    # a unit that handled the case or passed it on, and holds nothing else now, still sees it
    # (item 5: a station pulls the cases its unit has handled)
    R.FORMER: frozenset({A.VIEW}),
    R.NONE: frozenset(),
}

# ---- 3. what each role may do at all -------------------------------------------------------
_ALL = frozenset(Action)
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    # a village duty clerk handles what reaches it; it does not supervise or decide reviews
    Role.VILLAGE: _ALL - {A.ASSIGN, A.CLOSE, A.URGE, A.SEND_BACK, A.DECIDE_EXTENSION,
                          A.ACCEPT_REPORT, A.DECIDE_REVIEW, A.RESOLVE_CONFLICT},
    Role.TOWNSHIP: _ALL,
    Role.COUNTY: _ALL,
    # 监察人员 watch and supervise; they do not handle cases
    Role.SUPERVISOR: frozenset({A.VIEW, A.URGE, A.SEND_BACK, A.ACCEPT_REPORT, A.PROGRESS,
                                A.PRINT, A.LINK}),
}

# ---- 4. in which statuses (fold's Status) each action makes sense -------------------------
_INCOMING = frozenset({S.REGISTERED, S.TRANSFERRED, S.ASSIGNED})   # not accepted by its holder
_IN_HAND = _INCOMING | {S.ACCEPTED}
_DONE = frozenset({S.CONCLUDED, S.CONCLUDED_UNRESOLVED, S.FOLLOWED_UP})
_OPEN = frozenset(Status) - {S.CLOSED}                            # after 终结: only view
STATUS_ACTIONS: dict[Action, frozenset[Status]] = {
    A.VIEW: frozenset(Status),
    A.SIGN: frozenset({S.TRANSFERRED, S.ASSIGNED}),
    A.SUBMIT_REPORT: _DONE,
    A.ACCEPT: _INCOMING,
    A.DECLINE: _INCOMING,
    A.TRANSFER: _IN_HAND,
    A.OBJECT_TRANSFER: frozenset({S.TRANSFERRED, S.ASSIGNED}),
    A.ASSIGN: _IN_HAND,
    A.PROGRESS: _IN_HAND | {S.CONCLUDED, S.REVIEWING},
    A.REQUEST_EXTENSION: frozenset({S.ACCEPTED}),
    A.DECIDE_EXTENSION: frozenset({S.ACCEPTED}),
    A.CONCLUDE: frozenset({S.ACCEPTED}),                 # never before 受理
    A.ACCEPT_REPORT: _DONE,
    A.SEND_BACK: _DONE,
    A.URGE: _IN_HAND | {S.REVIEWING},
    A.SERVE: _DONE,
    A.FOLLOW_UP: frozenset({S.CONCLUDED, S.CONCLUDED_UNRESOLVED}),
    A.REQUEST_REVIEW: _DONE,
    A.REQUEST_REREVIEW: _DONE,
    A.DECIDE_REVIEW: frozenset({S.REVIEWING}),
    A.CLOSE: _DONE | {S.DECLINED},
    A.PRINT: _OPEN,
    A.LINK: _OPEN,
    A.AMEND: _IN_HAND | {S.DECLINED},
    A.RESOLVE_CONFLICT: _OPEN,
}
_NEEDS_CONTENT = frozenset({A.PRINT, A.AMEND, A.FOLLOW_UP, A.SERVE})

# ---- which action an event is (for the server's merge and the station's gate) -------------
T = EventType
EVENT_ACTIONS: dict[str, Action] = {
    T.AMENDED.value: A.AMEND, T.LINKED.value: A.LINK, T.ACCEPTED.value: A.ACCEPT,
    T.DECLINED.value: A.DECLINE, T.TRANSFERRED.value: A.TRANSFER, T.ASSIGNED.value: A.ASSIGN,
    T.URGED.value: A.URGE, T.EXTENDED.value: A.DECIDE_EXTENSION,
    T.PROGRESS.value: A.PROGRESS, T.CONCLUDED.value: A.CONCLUDE, T.SERVED.value: A.SERVE,
    T.FOLLOWED_UP.value: A.FOLLOW_UP, T.REVIEW_REQUESTED.value: A.REQUEST_REVIEW,
    T.REVIEW_DECIDED.value: A.DECIDE_REVIEW, T.REDO_ORDERED.value: A.SEND_BACK,
    T.ATTACHMENT_ADDED.value: A.PROGRESS, T.CONFLICT_RESOLVED.value: A.RESOLVE_CONFLICT,
    T.SIGNED.value: A.SIGN, T.TRANSFER_OBJECTED.value: A.OBJECT_TRANSFER,
    T.EXTENSION_REQUESTED.value: A.REQUEST_EXTENSION,
    T.EXTENSION_DECIDED.value: A.DECIDE_EXTENSION,
    T.REPORT_SUBMITTED.value: A.SUBMIT_REPORT, T.REPORT_ACCEPTED.value: A.ACCEPT_REPORT,
    T.CLOSED.value: A.CLOSE,
}


def action_for_event(event_type: str, data: Mapping[str, Any] | None = None) -> Action | None:
    """The action an event records (None for ``case.registered``, judged by subtree, and for
    types this table does not know).  A ``case.review_requested`` of kind ``rereview`` is
    a 复核 request."""
    action = EVENT_ACTIONS.get(event_type)
    if action is A.REQUEST_REVIEW and data and data.get("kind") == "rereview":
        return A.REQUEST_REREVIEW
    return action


@dataclass(frozen=True)
class Actor:
    """Who acts: the station's unit, its level and the operator's role."""

    unit: str
    level: Level
    role: Role


def server_actor(unit: str) -> Actor:
    """The actor the server judges a station's event as: its unit, with the level's staff
    role (the server cannot tell operators apart).  UnitError for a bad unit code."""
    level = level_of(unit)
    return Actor(unit, level, LEVEL_STAFF[level])


@dataclass(frozen=True)
class Decision:
    """Allowed (``code == ""``), or refused with a stable code and its parameters."""

    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.code

    def __bool__(self) -> bool:
        return self.ok


OK = Decision()


def _no(code: str, **params: Any) -> Decision:
    return Decision(code, params)


def effective_role(actor: Actor) -> Role:
    """The role whose actions apply: an administrator acts as the level's staff."""
    return LEVEL_STAFF[actor.level] if actor.role == Role.ADMIN else actor.role


def check_actor(actor: Actor) -> Decision:
    try:
        if level_of(actor.unit) != actor.level:
            return _no(ACTOR_INVALID, unit=actor.unit, level=int(actor.level))
    except UnitError:
        return _no(ACTOR_INVALID, unit=str(actor.unit)[:40], level=int(actor.level))
    if actor.role not in LEVEL_ROLES[actor.level]:
        return _no(ROLE_NOT_FOR_LEVEL, role=str(actor.role.value), level=int(actor.level))
    return OK


def allowed(state: CaseState, actor: Actor, action: Action | str, *,
            parties: Parties | None = None) -> Decision:
    """Judge ``action`` by ``actor`` on the case ``state``.  ``parties``: the case's parties
    when the caller derived them with its register and station units (default: derived
    from ``state.events`` without them)."""
    verdict = check_actor(actor)
    if not verdict:
        return verdict
    try:
        act = Action(action)
    except ValueError:
        return _no(ACTION_UNKNOWN, action=str(action)[:40])
    if not state.registered:
        return _no(CASE_UNKNOWN)
    held = relations(parties if parties is not None else parties_of(state), actor.unit)
    if not held:
        return _no(CASE_NOT_VISIBLE)
    if not any(act in RELATION_ACTIONS[r] for r in held):
        strongest = next(r for r in RELATION_ORDER if r in held)
        return _no(ACTION_NOT_FOR_RELATION, action=act.value, relation=strongest.value)
    role = effective_role(actor)
    if act not in ROLE_ACTIONS[role]:
        return _no(ACTION_NOT_FOR_ROLE, action=act.value, role=actor.role.value)
    if state.status not in STATUS_ACTIONS[act]:
        return _no(ACTION_NOT_IN_STATUS, action=act.value, status=state.status.value)
    return _preconditions(state, act)


def _preconditions(state: CaseState, act: Action) -> Decision:
    if state.sealed and act in _NEEDS_CONTENT:
        return _no(CASE_SEALED)
    if act in (A.REQUEST_EXTENSION, A.DECIDE_EXTENSION) \
            and state.extension_days >= MAX_EXTENSION_DAYS:
        return _no(EXTENSION_EXHAUSTED, max_days=MAX_EXTENSION_DAYS)
    decided = [r.get("kind") for r in state.reviews if "decided_at" in r]
    if act is A.REQUEST_REREVIEW and "review" not in decided:
        return _no(REVIEW_NOT_DECIDED)
    if act is A.REQUEST_REVIEW and decided:
        return _no(REVIEW_ALREADY_DECIDED)
    if act is A.RESOLVE_CONFLICT and not state.needs_decision:
        return _no(NO_CONFLICT)
    return _chain_preconditions(state, act)


def _chain_preconditions(state: CaseState, act: Action) -> Decision:
    """签收, 转办异议, 延期 and 办结报告 (issue 9 item 3)."""
    if act is A.SIGN and state.signed_at:
        return _no(ALREADY_SIGNED)
    if act is A.OBJECT_TRANSFER and (state.signed_at or not state.moves):
        return _no(OBJECTION_NOT_FOR_MOVE)
    if act is A.REQUEST_EXTENSION and state.extension_request is not None:
        return _no(EXTENSION_PENDING)
    if act is A.DECIDE_EXTENSION and state.extension_request is None:
        return _no(EXTENSION_NOT_REQUESTED)
    if act is A.SUBMIT_REPORT:
        if not state.report_required:
            return _no(REPORT_NOT_REQUIRED)
        if state.report is not None:
            return _no(REPORT_ALREADY_SUBMITTED)
    if act is A.ACCEPT_REPORT and (state.report is None or state.report["accepted_at"]):
        return _no(REPORT_NOT_SUBMITTED)
    return OK


def available_actions(state: CaseState, actor: Actor, *,
                      parties: Parties | None = None) -> tuple[Action, ...]:
    """Every action ``allowed`` now, in :class:`Action` order (for the UI's buttons)."""
    if parties is None:
        parties = parties_of(state)
    return tuple(a for a in Action if allowed(state, actor, a, parties=parties))


def cell(action: Action, relation: Relation, role: Role) -> bool:
    """One cell of the permission matrix (action × relation × role), status aside."""
    return action in RELATION_ACTIONS[relation] and action in ROLE_ACTIONS[role]
