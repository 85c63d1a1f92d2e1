"""SQLAlchemy 2.x typed models of the station database.

The event table is the truth; ``case_index`` (+ the FTS5 tables ``case_fts``, created by
migration 0002, and ``case_gram``, by 0003, because SQLAlchemy metadata cannot describe
virtual tables) is a projection
that can always be rebuilt from the events.

``event.local_pos`` is the SQLite rowid (INTEGER PRIMARY KEY AUTOINCREMENT): it gives the
local arrival order for free and never reuses a number, so ``event_id`` is a UNIQUE key
instead of the primary key (foreign keys point at it all the same).
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Station(Base):
    """Exactly one row (id = 1): who this station is."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36), unique=True)
    station_code: Mapped[str] = mapped_column(String(12))
    division: Mapped[str] = mapped_column(String(12))
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(40))


class OperatorRow(Base):
    __tablename__ = "operator"
    login: Mapped[str] = mapped_column(String(20), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    pw_hash: Mapped[bytes] = mapped_column(LargeBinary)
    pw_salt: Mapped[bytes] = mapped_column(LargeBinary)
    pw_params: Mapped[str] = mapped_column(String(60))   # "scrypt:n=131072,r=8,p=1,dklen=32"
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(40))


class LoginAttemptRow(Base):
    """Consecutive failed logins per typed login, for the back-off
    (services/login_guard.py).  ``login_key`` is the sha256 of the typed login, never its
    text (a clerk sometimes types the password into the name field)."""

    __tablename__ = "login_attempt"
    login_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[str] = mapped_column(String(40))
    blocked_until: Mapped[str | None] = mapped_column(String(40), nullable=True)


class EventRow(Base):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("station_id", "station_seq"),
        Index("ix_event_case_id", "case_id"),
        {"sqlite_autoincrement": True},
    )
    local_pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[str] = mapped_column(String(36))
    station_id: Mapped[str] = mapped_column(String(64))
    station_seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    lamport: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    payload_enc: Mapped[str] = mapped_column(String(40), default="json")
    route: Mapped[str] = mapped_column(String(12), default="")
    schema_version: Mapped[int] = mapped_column(Integer, default=1)


class OutboxRow(Base):
    """Events written here and not yet acknowledged by the server."""

    __tablename__ = "outbox"
    event_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("event.event_id", ondelete="CASCADE"), primary_key=True)
    queued_at: Mapped[str] = mapped_column(String(40))


class QuarantineRow(Base):
    """Events the server rejected: shown to a person, never dropped."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[str] = mapped_column(String(40))


class PulledQuarantineRow(Base):
    """Pulled records this version cannot take (schema, unknown type): kept raw with the
    reason, retried at the start of every sync (revision 0007)."""

    __tablename__ = "pulled_quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text)
    item: Mapped[bytes] = mapped_column(LargeBinary)
    item_hash: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[str] = mapped_column(String(40))


class CounterRow(Base):
    """Gap-free counters: 'station_seq' and 'case_no:<year>'.  Updated in the same
    transaction as the rows that use the number, so a rollback returns the number."""

    __tablename__ = "counter"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class LocalQueryCode(Base):
    """The clear query code of a case registered HERE (revision 0011): its events carry only
    the hash; written with the registration, never synced (docs/decisions/0011)."""

    __tablename__ = "local_query_code"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(10))


class RepeatNotice(Base):
    """What the county server found about a case registered or held here (revision 0013):
    it may repeat ``matched_case_no`` (reason id_number / name_village / content); flag
    ``in_progress_below``: that case is already being handled below (已在办理，不再受理).
    From the pull answer's ``repeats``, checked item by item (petition_core.protocol
    .parse_repeat); never pushed."""

    __tablename__ = "repeat_notice"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    matched_case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reason: Mapped[str] = mapped_column(String(16), primary_key=True)
    matched_case_no: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    flag: Mapped[str | None] = mapped_column(String(20), nullable=True)


class SettingRow(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AttachmentRow(Base):
    __tablename__ = "attachment"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(300))   # relative to attachments_dir
    added_at: Mapped[str] = mapped_column(String(40))


class RegisterRow(Base):
    """One county-signed register record (revision 0006), stored only once its signature
    checked out with the county key: who the stations of this station's chain and
    subtree are, with their keys (station_app/sync/trust.py)."""

    __tablename__ = "register"
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(64))
    division: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    station_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    public_key: Mapped[str] = mapped_column(String(64))
    epoch: Mapped[int] = mapped_column(Integer)
    rev: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(128))
    record: Mapped[str] = mapped_column(Text)      # canonical JSON as the county signed it
    sig: Mapped[str] = mapped_column(String(100))


class CaseIndex(Base):
    """The projection (added by revision 0002): one row per case, rebuilt from its events."""

    __tablename__ = "case_index"
    __table_args__ = (
        # sort indexes end in the case_id tiebreak (revision 0003): no temporary sort
        Index("ix_case_index_status_received_at_case_id", "status", "received_at", "case_id"),
        Index("ix_case_index_status_due_key_case_id", "status", "due_key", "case_id"),
        Index("ix_case_index_status_case_id", "status", "case_id"),
        Index("ix_case_index_open", "is_open"),
        Index("ix_case_index_needs_decision", "needs_decision"),
        Index("ix_case_index_received_at_case_id", "received_at", "case_id"),
        Index("ix_case_index_due_key_case_id_received_at", "due_key", "case_id", "received_at"),
        Index("ix_case_index_case_no_case_id", "case_no", "case_id"),
        Index("ix_case_index_query_code", "query_code"),
        Index("ix_case_index_id_number", "id_number"),
        Index("ix_case_index_name_div", "petitioner_name", "petitioner_division"),
        Index("ix_case_index_petitioner_division", "petitioner_division"),
        Index("ix_case_index_category_received_at_case_id", "category", "received_at",
              "case_id"),
        Index("ix_case_index_channel_received_at_case_id", "channel", "received_at", "case_id"),
        Index("ix_case_index_category_channel_received_at_case_id", "category", "channel",
              "received_at", "case_id"),
        Index("ix_case_index_updated_pos_case_id", "updated_pos", "case_id"),
        # the workbench queues (revision 0012, petition_core/queues.py)
        Index("ix_case_index_handling_unit_stage_due_key_case_id", "handling_unit", "stage",
              "due_key", "case_id"),
        Index("ix_case_index_supervising_unit_stage_due_key_case_id_handling_unit",
              "supervising_unit", "stage", "due_key", "case_id", "handling_unit"),
        Index("ix_case_index_supervising_unit_report_pending_due_key_case_id",
              "supervising_unit", "report_pending", "due_key", "case_id"),
        Index("ix_case_index_reviewing_unit_stage_due_key_case_id", "reviewing_unit", "stage",
              "due_key", "case_id"),
        Index("ix_case_index_urged_handling_unit_due_key_case_id", "urged", "handling_unit",
              "due_key", "case_id"),
        Index("ix_case_index_urged_supervising_unit_due_key_case_id_handling_unit", "urged",
              "supervising_unit", "due_key", "case_id", "handling_unit"),
    )
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # rowid of the case in case_fts: the local_pos of the case's first stored event (stable
    # across VACUUM, unlike the implicit rowid of a table with a text primary key)
    doc_id: Mapped[int] = mapped_column(Integer, unique=True)
    case_no: Mapped[str] = mapped_column(String(30), default="")
    query_code: Mapped[str] = mapped_column(String(10), default="")
    division: Mapped[str] = mapped_column(String(12), default="")
    owner_division: Mapped[str] = mapped_column(String(12), default="")
    status: Mapped[str] = mapped_column(String(20), default="registered")
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    category: Mapped[str] = mapped_column(String(30), default="")
    channel: Mapped[str] = mapped_column(String(30), default="")
    statute_type: Mapped[str] = mapped_column(String(20), default="")
    received_at: Mapped[str] = mapped_column(String(40), default="")
    petitioner_name: Mapped[str] = mapped_column(String(50), default="")
    petitioner_division: Mapped[str] = mapped_column(String(12), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    id_number: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    name_keys: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    due_key: Mapped[str] = mapped_column(String(10), default="9999-12-31")
    concluded_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    satisfaction: Mapped[str | None] = mapped_column(String(20), nullable=True)
    needs_decision: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_pos: Mapped[int] = mapped_column(Integer, default=0)
    # the workbench queues' facts (revision 0012): petition_core.queues.QueueFacts
    handling_unit: Mapped[str] = mapped_column(String(40), default="", server_default="")
    supervising_unit: Mapped[str] = mapped_column(String(40), default="", server_default="")
    reviewing_unit: Mapped[str] = mapped_column(String(40), default="", server_default="")
    stage: Mapped[str] = mapped_column(String(10), default="", server_default="")
    report_pending: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=false())
    urged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
