"""The one registry of stable ASCII codes: every refusal, warning and error anywhere.

Services, the server, the sync client and the validators speak only in codes with
parameters; the words a person reads live in one UI table per program (the station's is
``station_app/ui/messages.py``, in Chinese with its English translation).  This module
holds no text, only what a program must know to *act* on a code:

* ``kind`` — where the code comes from and who reads it:
  ``field`` (input validation, shown beside a field), ``service`` (a station service
  refused an action), ``wire`` (an HTTP error body from a server), ``ack`` (one pushed or
  pulled record refused; shown on the sync page), ``sync`` (the station's sync client),
  ``bundle`` (a USB file);
* ``side`` — the direction: which program raises it and who must understand it:
  ``station`` (a station raises it and shows it), ``server`` (a server raises it and a
  station receives it in an answer or an ack, so the station shows it too), ``both`` (both
  raise it: the input checks and the per-record refusals, which a server applies to what is
  pushed and a station to what it pulls or imports), ``servers`` (between servers and in the
  server's CLI only: no station ever sees it);
* ``retryable`` — trying again later may succeed without a person doing anything;
* ``http`` — the HTTP status a server answers with (wire codes only).

Adding a code: define it here and give it a text in the UI table; the registry test
(``tests/test_codes.py``) fails for a code raised anywhere that is missing from either, and
for a text or a registered code that nothing raises.
"""
from __future__ import annotations

from dataclasses import dataclass

KINDS = ("field", "service", "wire", "ack", "sync", "bundle")
SIDES = ("station", "server", "both", "servers")
_SIDE_OF_KIND = {"field": "both", "service": "station", "wire": "server", "ack": "both",
                 "sync": "station", "bundle": "station"}


@dataclass(frozen=True)
class CodeInfo:
    code: str
    kind: str
    retryable: bool = False
    http: int | None = None
    side: str = "station"

    @property
    def station_shows(self) -> bool:
        """A station may have to put this code into words (ui/messages.py)."""
        return self.side != "servers"


CODES: dict[str, CodeInfo] = {}


def define(code: str, kind: str, *, retryable: bool = False, http: int | None = None,
           side: str | None = None) -> str:
    """Register ``code``; returns it so modules can keep a constant (``X = define(...)``).
    ``side`` defaults to the usual direction of its kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    side = side or _SIDE_OF_KIND[kind]
    if side not in SIDES:
        raise ValueError(f"unknown side {side!r}")
    if not (code.isascii() and code.replace("_", "").isalnum() and code == code.lower()):
        raise ValueError(f"codes are lower-case ASCII words joined by _: {code!r}")
    old = CODES.get(code)
    info = CodeInfo(code, kind, retryable, http, side)
    if old is not None and old != info:
        raise ValueError(f"code {code!r} defined twice differently: {old} / {info}")
    CODES[code] = info
    return code


def info(code: str) -> CodeInfo | None:
    return CODES.get(code)


def is_retryable(code: str) -> bool:
    c = CODES.get(code)
    return bool(c and c.retryable)


# ---- wire: HTTP error bodies of the sync server (docs/PROTOCOL.md, "Error codes") --------
for _c, _http, _retry in (
    ("protocol_unsupported", 426, False),
    ("body_too_large", 413, False),
    ("body_bad_encoding", 400, True),
    ("body_malformed", 400, False),
    ("auth_missing", 401, False),
    ("auth_unknown_station", 401, False),
    ("auth_bad_signature", 401, False),
    ("auth_replayed", 409, True),
    ("auth_revoked", 403, False),
    ("enroll_code_invalid", 403, False),
    ("enroll_code_used", 409, False),
    ("enroll_rate_limited", 429, True),
    ("enroll_station_conflict", 409, False),
    ("enroll_division_mismatch", 409, False),
    ("enroll_unit_mismatch", 409, False),        # the code names another unit (issue 9)
    ("enroll_station_unknown", 404, False),
    ("enroll_proof_invalid", 403, False),
    ("forbidden_jurisdiction", 403, False),
    ("blob_not_found", 404, False),
    ("blob_hash_mismatch", 422, True),
    ("blob_range_invalid", 416, True),
    ("blob_quota_exceeded", 507, True),
    ("server_disk_full", 507, True),
    ("not_found", 404, False),
    ("method_not_allowed", 405, False),
    ("internal_error", 500, True),
):
    define(_c, "wire", retryable=_retry, http=_http)
define("upstream_not_enrolled", "wire", http=400, side="servers")   # the county's own CLI
define("holidays_invalid", "field", side="servers")   # suqiu-server holidays load: a bad year

# ---- service: a station service refused an action (texts in station_app/ui/messages.py) --
define("login_backoff", "service", retryable=True)      # params: wait_seconds

# ---- sync: a client's reading of the other end's answer (station → county, county → city)
define("response_malformed", "sync", retryable=True)

# ---- ack: one record refused (per-event acks, quarantine reasons) -------------------------
for _c in ("event_malformed", "event_bad_id", "event_bad_seq", "event_bad_encoding",
           "event_unknown_type", "event_schema_unsupported", "event_too_large",
           "event_foreign_station", "seq_conflict", "event_id_conflict",
           "bundle_malformed", "bundle_too_large", "bundle_bad_signature", "bundle_foreign"):
    define(_c, "ack")
define("event_gap", "ack", retryable=True)
# the gate at merge (petition_core.gate, docs/PROTOCOL.md "Push and merge"): a payload that
# does not fit its schema, an event its station may not write
define("payload_invalid", "ack")
define("event_not_permitted", "ack")
# ---- sync: the station's sync client (sync.last_error) --------------------------------
define("internal", "sync", retryable=True)   # a failure that is not a protocol error
# public progress by query code (a citizen's browser, never a station: docs/PROTOCOL.md)
define("progress_not_found", "wire", http=404, side="servers")
define("progress_rate_limited", "wire", http=429, retryable=True, side="servers")

# ---- field: input validation (petition_core.textcheck.ERROR_CODES).  The content check at
# merge refuses a registration or amendment with these same codes, so they also arrive as
# ack codes and stand in a station's quarantine list.
from .textcheck import ERROR_CODES as _FIELD_CODES  # noqa: E402  (no cycle: a leaf module)

for _c in _FIELD_CODES:
    define(_c, "field")

# ---- trust (docs/decisions/0004-trust-model.md) -------------------------------------------
# register records / receipts refused (server ↔ server, and the county's upstream report)
for _c in ("register_malformed", "register_bad_signature", "register_foreign",
           "register_claimed", "receipt_invalid"):
    define(_c, "ack", side="servers")
# county-signed reference data (unit register rows, holiday years) a station refused
define("reference_malformed", "sync")
define("reference_bad_signature", "sync")
# a USB file whose signer is not in the county-signed register this station holds
define("bundle_unknown_signer", "bundle")
define("bundle_signer_revoked", "bundle")
define("bundle_unknown_station", "bundle")
define("bundle_not_for_us", "bundle")
define("bundle_own", "bundle")
# the station's own checks of an enrollment answer
define("enroll_answer_invalid", "sync")
define("not_enrolled", "sync")

# ---- field: the 送达 record (petition_core.served) ---------------------------------------
define("served_before_reply", "field")

# ---- field: input checks shown beside a field (petition_core.textcheck / validation) -------
define("phone_prefix", "field")        # 11 digits starting with 1, not a mobile prefix in use

# ---- service: station set-up (station_app.services.setup) --------------------------------
define("station_name_invalid", "service")   # empty, control characters or too long (max)

# ---- service: the station's services refuse an action (shown by the station UI) ----------
define("stale_state", "service")           # the case changed since the clerk looked
define("permission_denied", "service")     # the operator's role may not do this (admin only)
define("backup_other_station", "service")  # another station's backup cannot be restored here
# a database migration (station_app.store.db): backed up first, restored when it fails
define("migration_failed", "service")            # restored from the pre-migration backup
define("migration_failed_unrestored", "service")  # and restoring it failed too
define("migration_backup_failed", "service")     # no backup, so nothing was migrated
define("usb_copy_failed", "service")             # the daily backup could not go to the stick

# a relayed or imported bundle of a station the county revoked (before: bundle_foreign)
define("bundle_station_revoked", "ack")

# ---- service: what the station's services refuse (station_app/services) -----------------
for _c in (
    # accounts, set-up, the duty lock
    "auth_failed", "login_invalid", "login_taken", "operator_unknown", "last_admin",
    "password_too_short", "password_too_long", "role_invalid", "display_name_invalid",
    "already_initialised", "not_initialised", "division_level", "unit_division_mismatch",
    # cases and the case book
    "case_unknown", "action_not_allowed", "amend_no_change", "extension_too_long",
    "transfer_same", "link_self", "link_unknown", "link_exists", "conflict_unknown",
    "sealed", "not_accepted", "not_declined", "query_code_exhausted", "sort_invalid",
    "status_invalid", "name_query_invalid", "date_invalid",
    # attachments
    "attachment_missing", "attachment_type", "attachment_empty", "attachment_too_large",
    "attachment_unknown", "attachment_not_synced", "attachment_not_openable",
    # backup and restore
    "backup_failed", "backup_missing", "backup_corrupt", "backup_not_station",
):
    define(_c, "service")
# the workbench (station_app/services/queues.py): a queue name it does not know
define("queue_invalid", "service")
# made by the station UI itself from what it sees (not raised by a service)
for _c in ("password_mismatch", "password_wrong", "database_locked"):
    define(_c, "service")

# ---- sync: the station's sync client, its keys and its USB files ------------------------
for _c in ("network_unreachable", "network_stalled", "server_error", "server_url_invalid",
           "sync_busy", "station_not_set_up", "push_gap", "pull_event_invalid",
           "pull_conflict", "key_unreadable", "key_malformed", "counter_unreadable",
           "counter_exhausted"):
    define(_c, "sync", retryable=_c in ("network_unreachable", "network_stalled",
                                         "server_error", "sync_busy"))
for _c in ("bundle_empty", "bundle_conflict"):
    define(_c, "bundle")

# ---- field: case numbers and query codes typed into a search (petition_core.casenumber) --
for _c in ("case_no_seq", "case_no_series", "case_no_station", "case_no_year",
           "query_code_chars", "query_code_length"):
    define(_c, "field")
# ---- field: unit codes and the unit register (petition_core.units; issue 9) --------------
for _c in ("unit_code_invalid", "unit_suffix_invalid", "unit_under_village", "unit_unknown",
           "unit_row_malformed", "unit_kind_invalid", "unit_parent_unknown",
           "unit_parent_mismatch", "unit_duplicate", "unit_outside", "unit_row_limit",
           "unit_inactive", "route_category_invalid"):
    define(_c, "field")

# ---- service: the permission matrix refuses an action (petition_core.permissions; issue 9) -
for _c in ("actor_invalid", "role_not_for_level", "action_unknown",
           "case_not_visible", "action_not_for_relation", "action_not_for_role",
           "action_not_in_status", "extension_exhausted", "review_not_decided",
           "review_already_decided", "no_conflict", "case_sealed",
           # the handling chain (issue 9 item 3)
           "already_signed", "extension_pending", "extension_not_requested",
           "report_not_required", "report_already_submitted", "report_not_submitted",
           "objection_not_for_move", "objection_too_late", "due_invalid", "not_urged",
           "not_concluded"):
    # a station's services refuse with them, and the server's merge voids a pushed event
    # with them (an ack the station shows): both sides
    define(_c, "service", side="both")
