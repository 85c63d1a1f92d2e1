"""SQLAlchemy 2 models of the county server (one schema for SQLite and PostgreSQL).

``events.server_pos`` is the change log: an identity primary key, so the order in which
events were committed (merges are serialised) is the order stations pull them.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# SQLite only makes INTEGER PRIMARY KEY an auto-increment rowid; BigInteger elsewhere.
PosType = BigInteger().with_variant(Integer(), "sqlite")

stations = Table(
    "stations",
    metadata,
    Column("station_id", String(64), primary_key=True),
    Column("station_code", String(32), nullable=False),
    Column("division", String(12), nullable=False),
    Column("level", Integer, nullable=False),
    Column("name", String(128), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("enrolled_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
    Column("last_counter", BigInteger, nullable=False, default=0),
    Column("last_sync_at", String(40)),
    Column("relay_of", String(16)),  # null; "upstream" for a county syncing to a city
    # trust model (docs/decisions/0004): re-enrollment moves the epoch on (signatures cover
    # it); the station number within the division (case numbers); an upstream server's own
    # id and signing key (it signs the register records it pushes up)
    Column("epoch", BigInteger, nullable=False, server_default="1"),
    Column("station_no", Integer),
    Column("server_id", String(64)),
    Column("server_key", String(64)),
    # the unit the station acts as (issue 9; decisions/0006, 0009): its division's centre,
    # or a department ``<division>.<suffix>``; null on rows from before 0010 = the division
    Column("unit", String(25)),
)

enrollment_codes = Table(
    "enrollment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("division", String(12), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
    Column("used_by", String(64)),
    # "station", or "upstream": a lower-level server (county → city) that relays its subtree
    Column("kind", String(16), nullable=False, server_default="station"),
    # a code issued for one existing station (``suqiu-server enroll --station ID``): it
    # re-enrolls that station (a reinstalled PC) and nothing else
    Column("station_id", String(64)),
    # the unit the code enrolls (a department ``530921000000.mz``); null = the division
    Column("unit", String(25)),
)

# Who held which station number of a division (numbers are never reused): a case number
# ``<division>-<year>-<n>-<seq>`` leads back to its station.
station_numbers = Table(
    "station_numbers",
    metadata,
    Column("division", String(12), primary_key=True),
    Column("station_no", Integer, primary_key=True),
    Column("station_id", String(64), nullable=False),
    Column("assigned_at", String(40), nullable=False),
)

# The signed register (petition_core/protocol/register.py): one record per station, signed
# by its ``issuer`` — this server for the stations it enrolled, a lower server for the
# stations it registered upward.  ``pos`` orders changes for the pull/push cursors.
register = Table(
    "register",
    metadata,
    Column("station_id", String(64), primary_key=True),
    Column("issuer", String(64), nullable=False),
    Column("division", String(12), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("server_id", String(64), index=True),   # upstream kind: the lower server's id
    Column("rev", BigInteger, nullable=False),
    Column("pos", PosType, nullable=False),
    Column("record", LargeBinary, nullable=False),    # canonical JSON as signed
    Column("signature", String(100), nullable=False),
    Index("ix_register_pos", "pos", unique=True),
)

# County-kept reference data (issue 9; decisions/0009): one row per unit register row
# (kind "unit", key the unit code) and per holiday year (kind "holidays", key "2027").
# ``data`` is the row as the county keeps it (canonical JSON); ``record``/``signature``
# the signed ReferenceRecord stations pull after their ``reference_cursor`` (``pos``).
reference_data = Table(
    "reference_data",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(32), primary_key=True),
    Column("pos", PosType, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("record", LargeBinary, nullable=False),
    Column("signature", String(100), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_reference_data_pos", "pos", unique=True),
)

events = Table(
    "events",
    metadata,
    Column("server_pos", PosType, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("station_id", String(64), nullable=False),
    Column("station_seq", BigInteger, nullable=False),
    Column("type", String(40), nullable=False),
    Column("lamport", BigInteger, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("occurred_at", String(40), nullable=False),
    Column("payload_enc", String(40), nullable=False),
    Column("route", String(12), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("received_from", String(64), nullable=False),
    UniqueConstraint("event_id", name="uq_events_event_id"),
    UniqueConstraint("station_id", "station_seq", name="uq_events_station_seq"),
    Index("ix_events_case_pos", "case_id", "server_pos"),
)

case_routes = Table(
    "case_routes",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("division", String(12), primary_key=True),
    Column("added_pos", PosType, nullable=False),  # server_pos of the event that added it
    Index("ix_case_routes_division", "division"),
    Index("ix_case_routes_added_pos", "added_pos"),
)

# Each case's folded state as the server judges it (issue 9; decisions/0007), kept up to
# date inside the merge transaction (sync_server.services.cases): the fold's status and
# the parties of petition_core.ownership (units: 12-digit divisions or "<division>.<suffix>").
cases = Table(
    "cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("division", String(12), nullable=False),            # where it was registered
    Column("status", String(20), nullable=False),
    Column("registering", String(25), nullable=False),
    Column("registering_station", String(64), nullable=False),
    Column("handling", String(25), nullable=False),
    Column("supervising", String(25)),
    Column("reviewing", String(25)),
    Column("events", Integer, nullable=False),                 # events folded
    Column("last_pos", PosType, nullable=False),               # server_pos of the last one
    Index("ix_cases_handling", "handling"),
)

# Who may pull a case: one row per unit with any relation (ownership.visibility_units),
# ``relation`` the strongest (ownership.relation), ``view`` what it pulls.  ``since_pos``:
# the server_pos from which the row gives its present view (added, or widened from
# "followup" to "full"): a pull whose window holds it delivers the case's earlier events
# too (docs/PROTOCOL.md "Pull").
case_units = Table(
    "case_units",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("unit", String(25), primary_key=True),
    Column("relation", String(16), nullable=False),
    Column("view", String(8), nullable=False),      # "full" | "followup" (services/cases.py)
    Column("since_pos", PosType, nullable=False),
    Index("ix_case_units_unit", "unit", "since_pos"),
)

station_progress = Table(
    "station_progress",
    metadata,
    Column("station_id", String(64), primary_key=True),
    Column("high_seq", BigInteger, nullable=False),  # highest contiguous station_seq stored
)

# Events refused for their content (malformed, unknown type, too large, id reused) at the
# seq the server expected next.  The seq is "voided" so the station's later events still
# apply (one bad event must not block a village for good); the raw item is kept for the
# county to inspect, and the same event_id may still be applied later (after an upgrade).
voided_events = Table(
    "voided_events",
    metadata,
    Column("station_id", String(64), primary_key=True),
    Column("station_seq", BigInteger, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("code", String(40), nullable=False),
    Column("item", LargeBinary, nullable=False),   # the pushed wire item, canonical JSON
    Column("received_at", String(40), nullable=False),
    Column("received_from", String(64), nullable=False),
    # the refused field path(s) or the authorization reason (ASCII, never a value)
    Column("detail", String(200), nullable=False, server_default=""),
)

# Complete, verified blobs (since migration 0006 every row is complete; the columns stay).
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),     # bytes stored
    Column("total", BigInteger, nullable=False),    # = size
    Column("complete", Boolean, nullable=False, default=False),
    Column("uploaded_by", String(64), nullable=False),   # the station that completed it
    Column("created_at", String(40), nullable=False),    # when it was completed
    Index("ix_blobs_uploaded_by", "uploaded_by", "created_at"),
)

# Unfinished uploads: each belongs to the station sending it, with its own part file
# (blob_dir/ab/<part_name>), until its last byte arrives and the sha256 verifies.
blob_uploads = Table(
    "blob_uploads",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("station_id", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),     # bytes stored so far
    Column("total", BigInteger, nullable=False),    # declared by this station's first PUT
    Column("part_name", String(100), nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_blob_uploads_station_id", "station_id"),
)

blob_refs = Table(
    "blob_refs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("case_id", String(36), primary_key=True),
)

# A station that uploaded its own copy of a blob another station uploaded first (in its own
# upload slot, sha256 verified): it may then name and read the blob.  Until it has, the
# server answers it as if the blob were not here (HEAD/PUT leak nothing).  Progress of that
# copy lives in blob_uploads like any upload.
blob_holders = Table(
    "blob_holders",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("station_id", String(64), primary_key=True),
    Column("proved_at", String(40), nullable=False),
)

# Attachments still to move on the upward link: direction "up" (named by an event we pushed,
# not complete here yet) or "down" (named by an event that came down, not fetched yet).
upstream_blobs = Table(
    "upstream_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("direction", String(4), primary_key=True),
)

# Key-value state of this server as a client of the level above (upstream sync): url,
# station id, key, counter, push and pull cursors.
# Public progress (issue 9 item 10, revision 0011): case number → case id, caught up from
# the case.registered events by services/public.py before each lookup
public_cases = Table(
    "public_cases",
    metadata,
    Column("case_no", String(40), primary_key=True),
    Column("case_id", String(36), primary_key=True),
)

server_state = Table(
    "server_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# County-wide repeat detection (Art. 19; services/repeats.py, issue 9 item 6).  One row per
# key of a plainly registered case: kind "id" (an ID number), "name" (a name in a village),
# both as HMAC-SHA256 under the server's repeat key (keys folder), never the clear value;
# kind "case" (key "") carries the case's division and received date for the text window.
repeat_index = Table(
    "repeat_index",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("key_hash", String(64), primary_key=True),
    Column("division", String(12), nullable=False),
    Column("received_on", String(10), nullable=False),   # YYYY-MM-DD
    Index("ix_repeat_index_key", "kind", "key_hash"),
    Index("ix_repeat_index_division", "kind", "division", "received_on"),
)

# A registration found to match an earlier case: reason "id_number" | "name_village" |
# "content" (the station's own check's words); flag "in_progress_below" (越级: the earlier
# case is accepted by a lower unit and in time); found_pos: the server_pos of the
# registration, so a pull carries it in the same window.
repeat_matches = Table(
    "repeat_matches",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("matched_case_id", String(36), primary_key=True),
    Column("reason", String(16), primary_key=True),
    Column("score", Float, nullable=False),
    Column("flag", String(20)),
    Column("matched_case_no", String(40), nullable=False),
    Column("found_pos", PosType, nullable=False),
    Index("ix_repeat_matches_pos", "found_pos"),
)
