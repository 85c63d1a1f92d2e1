"""Plain frozen dataclasses the services hand to the UI (never ORM objects or sessions).

Dates are ISO strings (``YYYY-MM-DD``) and timestamps ISO 8601 with offset, so the UI can
format them without importing anything from the store.  Labels are Chinese source text;
the UI passes them through its own tr() where needed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from petition_core.enums import Role


@dataclass(frozen=True)
class Changes:
    """What one operation changed, so open screens refresh only what concerns them.

    The same idea as Anki's ``OpChanges``: a service that writes returns (or carries in its
    result's ``changes``) what it touched; the UI's runner broadcasts it after the caller's
    own callback; each screen looks at the flags and refreshes itself, or not.  A change made
    by the sync (pulled events) travels the same way, so an open case is refreshed when
    another station acted on it."""

    cases: frozenset[str] = frozenset()   # case ids that got new events
    all_cases: bool = False               # any case may differ (restore, bundle import)
    operators: bool = False               # accounts added, disabled, renamed
    station: bool = False                 # station identity or settings
    outbox: bool = False                  # events waiting for the server changed
    backups: bool = False                 # the list of backup files

    def __bool__(self) -> bool:
        return bool(self.cases) or self.all_cases or self.operators or self.station \
            or self.outbox or self.backups

    @property
    def any_case(self) -> bool:
        return self.all_cases or bool(self.cases)

    def touches(self, case_id: str) -> bool:
        """True when the case ``case_id`` may have changed."""
        return bool(case_id) and (self.all_cases or case_id in self.cases)

    def __or__(self, other: Changes) -> Changes:
        return Changes(cases=self.cases | other.cases, all_cases=self.all_cases or other.all_cases,
                       operators=self.operators or other.operators,
                       station=self.station or other.station,
                       outbox=self.outbox or other.outbox, backups=self.backups or other.backups)

    @classmethod
    def of_cases(cls, case_ids: Any, *, outbox: bool = False) -> Changes:
        return cls(cases=frozenset(str(c) for c in case_ids), outbox=outbox)

    @classmethod
    def everything(cls) -> Changes:
        return cls(all_cases=True, operators=True, station=True, outbox=True, backups=True)


NO_CHANGES = Changes()


class ServiceError(Exception):
    """A refusal the user can act on.  ``code`` is a stable ASCII code the UI maps to a
    translated Chinese message; ``params`` fills it; ``message`` is a Chinese default."""

    def __init__(self, code: str, message: str = "", **params: Any):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.params = params


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    station_code: str      # the station's division code (12 digits)
    division: str          # same as station_code (kept for readability)
    division_name: str     # full Chinese name, e.g. 云南省临沧市凤庆县凤山镇…村委会
    level: int             # petition_core.enums.Level value (5 village, 4 township)
    name: str
    created_at: str
    # what the call that returned this changed (a rename: the station); not part of its
    # identity, so two StationInfo of the same station compare equal
    changes: Changes = field(default=NO_CHANGES, compare=False)


@dataclass(frozen=True)
class Operator:
    login: str
    display_name: str
    role: Role
    disabled: bool = False

    @property
    def role_label(self) -> str:
        return self.role.label


@dataclass(frozen=True)
class AttachmentRef:
    sha256: str
    name: str
    size: int
    mime: str

    def to_payload(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "name": self.name, "size": self.size, "mime": self.mime}


@dataclass(frozen=True)
class RepeatMatch:
    case_id: str
    case_no: str
    reason: str            # 'id_number' | 'name_village' | 'content'
    score: float           # 1.0 for exact id/name matches, similarity for content
    summary: str
    received_at: str
    status_label: str
    # 终结 (Art. 36): the same facts are not accepted again; the intake warns
    closed: bool = False


@dataclass(frozen=True)
class Registered:
    case_id: str
    case_no: str
    query_code: str
    due_date: str | None   # next statutory deadline (ISO date) or None
    # years whose official holiday calendar the due date needed but is not loaded yet
    due_missing_years: tuple[int, ...] = ()
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class AmendmentView:
    field: str             # dotted path; its name is the UI's (ui/messages.py field_label)
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class TimelineEntry:
    event_id: str
    at: str
    actor: str
    type: str              # EventType value; its name is the UI's (ui/messages.py event_label)
    summary: str           # one line
    amendment: AmendmentView | None = None
    actor_name: str = ""   # the person's name when the login is one of this station's
    actor_local: bool = True   # False: the event came from another station


@dataclass(frozen=True)
class ClockView:
    key: str
    label: str
    article: str
    start: str | None
    due: str | None
    days_left: int | None
    state: str             # done | done_late | ok | near | overdue
    # years whose official holiday calendar is not loaded yet: the due date is counted from
    # the statutory holidays and Monday–Friday and may still move (the screen says so)
    missing_years: tuple[int, ...] = ()
    served_missing: bool = False   # a 复查/复核 window counted from the reply's date: 送达 unknown


@dataclass(frozen=True)
class ConflictOption:
    event_id: str
    actor: str
    at: str
    summary: str
    actor_name: str = ""
    actor_local: bool = True


@dataclass(frozen=True)
class ConflictView:
    group: str             # decision / conclusion / satisfaction / amend:<field> (UI words)
    options: tuple[ConflictOption, ...]


@dataclass(frozen=True)
class LinkView:
    case_id: str
    case_no: str           # "" when the linked case is not stored here


@dataclass(frozen=True)
class CaseDetail:
    case_id: str
    case_no: str
    query_code: str
    sealed: bool           # content withheld from this station
    status: str
    status_label: str
    division: str
    division_name: str
    owner_division: str
    owner_unit: str
    channel: str
    channel_label: str
    category: str
    category_label: str
    statute_type: str
    statute_label: str
    received_at: str
    petitioner_display: str
    petitioner: dict[str, Any]          # name, id_number, phone, address_*, anonymous
    group: dict[str, Any]
    subject: dict[str, Any]
    summary: str
    account: str
    demands: str
    conclusion: dict[str, Any] | None
    declined: dict[str, Any] | None
    satisfaction: str | None
    satisfaction_label: str
    timeline: tuple[TimelineEntry, ...]
    clocks: tuple[ClockView, ...]
    conflicts: tuple[ConflictView, ...]
    links: tuple[LinkView, ...]
    attachments: tuple[AttachmentRef, ...]
    allowed_actions: tuple[str, ...]    # see services.cases.ACTIONS
    needs_decision: bool
    escalate: bool
    # what the clerk is looking at: actions pass it back as ``expected_version`` and are
    # refused with ServiceError('stale_state') when the case changed in between
    version: str = ""
    changes: Changes = NO_CHANGES       # set on the detail an action returns
    owner_unit_name: str = ""           # owner_unit's name when it is a unit code
    # the county server's findings (store/repeats.py): possible repeats of earlier cases
    repeats: tuple[RepeatView, ...] = ()


@dataclass(frozen=True)
class RepeatView:
    """The county found that this case may repeat ``matched_case_no``: ``reasons`` among
    id_number / name_village / content; ``in_progress_below``: that case is already being
    handled below and in time (已在办理，不再受理)."""

    matched_case_id: str
    matched_case_no: str
    reasons: tuple[str, ...]
    in_progress_below: bool


@dataclass(frozen=True)
class CaseQuery:
    text: str = ""                      # FTS over content, case number; also query code
    name_query: str = ""                # petitioner name: characters, pinyin or initials
    statuses: tuple[str, ...] = ()      # Status values; empty = all
    category: str | None = None
    channel: str | None = None
    overdue_only: bool = False
    near_due_only: bool = False
    date_from: str | None = None        # received_at >= (ISO date)
    date_to: str | None = None          # received_at <= (ISO date, inclusive)
    sort_key: str = "received_at"       # received_at | due_date | case_no | status | updated
    descending: bool = True
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    case_no: str
    received_at: str
    petitioner_display: str             # “匿名” when anonymous
    category_label: str
    channel_label: str
    status: str
    status_label: str
    due_date: str | None
    days_left: int | None
    urgency: str                        # overdue | near | ok | done
    summary: str
    needs_decision: bool
    # the due date lies in a year whose official holiday calendar is not loaded yet
    due_missing_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Page:
    rows: tuple[CaseRow, ...]
    total: int
    total_capped: bool = False          # True when total is a lower bound (count capped)


@dataclass(frozen=True)
class QueueCounts:
    """The workbench: how many cases each queue of this station's unit holds
    (``petition_core.queues.Queue`` value → count), and the navigation badges."""

    unit: str
    counts: tuple[tuple[str, int], ...]
    new_arrivals: int = 0               # 待签收
    urges_received: int = 0             # open cases this unit handles that were urged

    def count(self, queue: str) -> int:
        return dict(self.counts).get(queue, 0)


@dataclass(frozen=True)
class BatchFailure:
    case_id: str
    case_no: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchResult:
    """批量督办: the cases done, and each one refused with its code (the others are done)."""

    done: tuple[str, ...]
    failed: tuple[BatchFailure, ...] = ()
    changes: Changes = field(default=NO_CHANGES, compare=False)


@dataclass(frozen=True)
class Counts:
    open: int
    overdue: int
    near_due: int
    this_month: int
    needs_decision: int = 0
    outbox: int = 0                     # events not yet acknowledged by the server
    # years from today to the latest stored deadline whose official holiday calendar is not
    # loaded yet: the overdue / near-due counts are computed from the statutory holidays
    calendar_missing: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReceiptData:
    """登记回执: what the petitioner takes home."""

    case_no: str
    query_code: str
    station_name: str
    station_division_name: str
    received_at: str
    petitioner_display: str
    channel_label: str
    category_label: str
    summary: str
    clerk: str
    next_steps: str                     # what happens next, in Chinese
    reply_by: str | None                # date by which the petitioner is told (ISO)
    contact: str                        # station contact line (setting 'station.contact')
    printed_at: str
    calendar_missing: tuple[int, ...] = ()  # years the printed date needed, not loaded yet


@dataclass(frozen=True)
class AcceptanceNoticeData:
    """受理告知书."""

    case_no: str
    query_code: str
    station_name: str
    petitioner_display: str
    received_at: str
    accepted_at: str
    summary: str
    handling_unit: str
    conclude_by: str | None             # 60 days (+ extension) from acceptance
    next_steps: str
    contact: str
    printed_at: str
    calendar_missing: tuple[int, ...] = ()  # years the printed date needed, not loaded yet


@dataclass(frozen=True)
class NonAcceptanceNoticeData:
    """不予受理告知书."""

    case_no: str
    query_code: str
    station_name: str
    petitioner_display: str
    received_at: str
    declined_at: str
    reason: str
    other_channel: str
    summary: str
    next_steps: str
    contact: str
    printed_at: str


@dataclass(frozen=True)
class BackupInfo:
    path: str
    created_at: str
    size: int
    kind: str = "auto"                  # auto | manual | pre-restore | pre-migrate | file
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class Restored:
    """A restore from inside the app: the backup now in use, the copy of the data as it was
    just before (kept among the backups), and how many later records were merged back."""

    restored_from: BackupInfo
    pre_restore: BackupInfo
    merged_back: int
    changes: Changes = field(default_factory=Changes.everything)


@dataclass(frozen=True)
class ImportResult:
    """Convenience for demo/bulk fills."""

    cases: int
    events: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UrgeSheetData:
    """督办单: the latest 督办 of a case, for the handling unit."""

    case_no: str
    station_name: str                   # the unit that urges (this station)
    handling_unit: str                  # who must act
    received_at: str
    summary: str
    urged_at: str
    due: str | None                     # the date by which to act (ISO) or None
    note: str
    urge_count: int                     # the how-manieth 督办 this is
    conclude_by: str | None             # the statutory 办结 deadline (ISO) or None
    contact: str
    printed_at: str


@dataclass(frozen=True)
class ReplyData:
    """处理意见书: the written reply to the petitioner after 办结 (信访工作条例 Art. 34)."""

    case_no: str
    query_code: str
    station_name: str
    petitioner_display: str
    received_at: str
    summary: str
    demands: str
    handling_unit: str
    concluded_at: str
    result: str
    opinion: str
    unresolved: bool                    # 办结未解决
    next_steps: str
    contact: str
    printed_at: str
