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
* ``retryable`` — trying again later may succeed without a person doing anything;
* ``http`` — the HTTP status a server answers with (wire codes only).

Adding a code: define it here and give it a text in the UI table; the registry test
(``tests/test_codes.py``) fails for a code raised anywhere that is missing from either.
"""
from __future__ import annotations

from dataclasses import dataclass

KINDS = ("field", "service", "wire", "ack", "sync", "bundle")


@dataclass(frozen=True)
class CodeInfo:
    code: str
    kind: str
    retryable: bool = False
    http: int | None = None


CODES: dict[str, CodeInfo] = {}


def define(code: str, kind: str, *, retryable: bool = False, http: int | None = None) -> str:
    """Register ``code``; returns it so modules can keep a constant (``X = define(...)``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if not (code.isascii() and code.replace("_", "").isalnum() and code == code.lower()):
        raise ValueError(f"codes are lower-case ASCII words joined by _: {code!r}")
    old = CODES.get(code)
    info = CodeInfo(code, kind, retryable, http)
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
    ("enroll_station_unknown", 404, False),
    ("enroll_proof_invalid", 403, False),
    ("forbidden_jurisdiction", 403, False),
    ("upstream_not_enrolled", 400, False),
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

# ---- service: a station service refused an action (texts in station_app/ui/messages.py) --
define("permission_denied", "service")                  # the acting operator is no admin
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

# ---- trust (docs/decisions/0004-trust-model.md) -------------------------------------------
# register records / receipts refused (server ↔ server, and the county's upstream report)
for _c in ("register_malformed", "register_bad_signature", "register_foreign",
           "register_claimed", "receipt_invalid"):
    define(_c, "ack")
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

# a relayed or imported bundle of a station the county revoked (before: bundle_foreign)
define("bundle_station_revoked", "ack")

# ---- field: unit codes and the unit register (petition_core.units; issue 9) --------------
for _c in ("unit_code_invalid", "unit_suffix_invalid", "unit_under_village", "unit_unknown",
           "unit_row_malformed", "unit_kind_invalid", "unit_parent_unknown",
           "unit_parent_mismatch", "unit_duplicate", "unit_outside", "unit_row_limit"):
    define(_c, "field")

# ---- service: the permission matrix refuses an action (petition_core.permissions; issue 9) -
for _c in ("actor_invalid", "role_not_for_level", "action_unknown", "case_unknown",
           "case_not_visible", "action_not_for_relation", "action_not_for_role",
           "action_not_in_status", "extension_exhausted", "review_not_decided",
           "review_already_decided", "no_conflict", "case_sealed"):
    define(_c, "service")
