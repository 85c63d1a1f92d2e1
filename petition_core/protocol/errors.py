"""The protocol's refusal: a stable ASCII code, an HTTP status and a detail."""
from __future__ import annotations

from typing import Any

from .constants import MAX_PROTOCOL, MIN_PROTOCOL

# English one-liners for logs, the server's CLI and the "message" of an error body.  The
# station shows its own words for each code (station_app/ui/messages.py, Chinese and English):
# no text here is meant for a clerk.
ERROR_MESSAGES: dict[str, str] = {
    "protocol_unsupported": "protocol version not supported: upgrade the program",
    "body_too_large": "request body too large: sync in smaller batches",
    "body_bad_encoding": "request body compression is wrong",
    "body_malformed": "request body malformed",
    "auth_missing": "request not signed: enroll the station first",
    "auth_unknown_station": "station not enrolled on this server",
    "auth_bad_signature": "station signature invalid",
    "auth_replayed": "request counter reused: request refused",
    "auth_revoked": "station revoked",
    "enroll_code_invalid": "enrollment code invalid or expired",
    "enroll_code_used": "enrollment code already used",
    "enroll_rate_limited": "too many wrong enrollment codes: wait ten minutes",
    "enroll_station_conflict": "station already enrolled for another division",
    "enroll_division_mismatch": "enrollment code issued for another division",
    "enroll_unit_mismatch": "enrollment code issued for another unit",
    "enroll_station_unknown": "station to re-enroll is not known here",
    "enroll_proof_invalid":
        "station already enrolled: re-enrolling needs its old key or a code issued for it",
    "forbidden_jurisdiction": "outside this station's jurisdiction",
    "upstream_not_enrolled": "this server is not enrolled upstream: run upstream-enroll first",
    "blob_not_found": "attachment not found",
    "blob_hash_mismatch": "attachment checksum mismatch: upload again",
    "blob_range_invalid": "attachment upload offset wrong",
    "blob_quota_exceeded": "attachment quota of this station exceeded: try later",
    "server_disk_full": "server disk nearly full: attachments refused for now",
    "not_found": "no such address",
    "method_not_allowed": "method not allowed",
    "internal_error": "internal server error: try again later",
    "response_malformed": "the other server's answer is unreadable or too large",
    # per-event ack codes (acks[].code), besides petition_core.events' event_* codes
    "event_foreign_station": "event belongs to another station",
    "event_gap": "events missing before this one",
    "seq_conflict": "station sequence number already used by another event",
    "event_id_conflict": "event id already used with other content",
    "bundle_malformed": "bundle damaged",
    "bundle_too_large": "bundle too large: split it",
    "bundle_bad_signature": "bundle signature invalid",
    "bundle_foreign": "bundle from a station not enrolled or outside this jurisdiction",
    # the gate at merge (petition_core.gate)
    "payload_invalid": "record payload does not fit its schema",
    "event_not_permitted": "the station may not write this record (outside its jurisdiction or "
                           "not its level's action)",
    "bundle_station_revoked":
        "the station was revoked (suqiu-server revoke): its bundles are refused; give it a new "
        "enrollment code to restore it",
    # petition_core.events' envelope codes, as acks and in `suqiu-server rejected`
    "event_malformed": "record malformed",
    "event_bad_id": "record id malformed",
    "event_bad_seq": "record sequence number malformed",
    "event_bad_encoding": "record payload encoding malformed",
    "event_unknown_type":
        "record type unknown to this server (the station is newer: upgrade the server)",
    "event_schema_unsupported": "record schema unknown to this server (upgrade the server)",
    "event_too_large": "record too large",
    # county-signed register records and receipts (protocol/register.py)
    "register_malformed": "register record malformed",
    "register_bad_signature": "register record signature invalid",
    "register_foreign": "register record outside the lower server's jurisdiction",
    "register_claimed": "station already registered by another server",
    "receipt_invalid": "receipt signature invalid",
}


class ProtocolError(Exception):
    """A refusal with a stable ``code``, the HTTP ``status`` and an English ``message``
    (logs and the server CLI; a station shows its own words for the code)."""

    def __init__(self, code: str, status: int = 400, detail: Any = None):
        super().__init__(code)
        self.code = code
        self.status = status
        self.detail = detail
        self.message = ERROR_MESSAGES.get(code, code)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "message": self.message, "detail": self.detail}
        if self.code == "protocol_unsupported":
            out.update(min=MIN_PROTOCOL, max=MAX_PROTOCOL)
        return out
