"""The sync wire protocol shared by the station and the county server (docs/PROTOCOL.md).

Why this lives in petition_core: the station writes what the server reads (request bodies,
signatures, offline bundles), so both sides must use the *same* bytes-level code.  Pure
Python plus ``zstandard`` and ``cryptography``; no HTTP library, no database.

One module per concern; this package re-exports the public names, so callers write
``from petition_core import protocol as P`` and ``P.read_bundle(...)``:

* ``constants``    — version, header names, size limits;
* ``errors``       — ``ProtocolError`` (stable code, HTTP status, detail);
* ``bodies``       — capped zstd (de)compression of JSON bodies;
* ``signing``      — Ed25519 keys and request signatures;
* ``jurisdiction`` — which division lies within which;
* ``messages``     — ``SyncRequest`` / ``SyncResponse`` / ``Ack`` and the enrollment body;
* ``bundles``      — the signed offline bundle file;
* ``register``     — county-signed register records and receipts.
"""
from __future__ import annotations

from ..events import canonical_json
from .bodies import (
    ZSTD_MAGIC,
    compress,
    decode_body,
    decode_response,
    decompress_capped,
    encode_body,
    parse_json,
)
from .bundles import (
    BUNDLE_MAGIC,
    Bundle,
    bundle_from_parts,
    read_bundle,
    read_bundle_file,
    verify_bundle,
    write_bundle,
)
from .constants import (
    CONTENT_ENCODING,
    CONTENT_TYPE,
    DEFAULT_PULL_LIMIT,
    H_COUNTER,
    H_PROTOCOL,
    H_SIGNATURE,
    H_STATION,
    MAX_BLOB_BYTES,
    MAX_BUNDLE_BYTES,
    MAX_BUNDLE_DECOMPRESSED,
    MAX_COMPRESSED_BYTES,
    MAX_DECOMPRESSED_BYTES,
    MAX_ENROLL_BYTES,
    MAX_ENROLL_DECOMPRESSED,
    MAX_JSON_DEPTH,
    MAX_PROTOCOL,
    MAX_PULL_HELD,
    MAX_PULL_LIMIT,
    MAX_PUSH_BUNDLES,
    MAX_PUSH_EVENTS,
    MAX_PUSH_RECORDS,
    MAX_PUSH_RELAYED,
    MAX_RESPONSE_BYTES,
    MIN_PROTOCOL,
    PROTOCOL_VERSION,
)
from .errors import ERROR_MESSAGES, ProtocolError
from .jurisdiction import division_prefix, level_of, within
from .messages import (
    ACK_APPLIED,
    ACK_DUPLICATE,
    ACK_REJECTED,
    ENROLL_FIELDS,
    Ack,
    RelayResult,
    SyncRequest,
    SyncResponse,
    enroll_body,
    normalize_enroll_code,
)
from .register import (
    ACTIVE,
    KIND_STATION,
    KIND_UPSTREAM,
    REVOKED,
    Receipt,
    RegisterRecord,
    on_chain_or_below,
    sign_receipt,
    sign_record,
    verify_receipt,
    verify_record,
)
from .signing import (
    load_private_key,
    load_public_key,
    new_private_key,
    private_key_bytes,
    public_key_b64,
    reenroll_message,
    server_identity_message,
    sign_request,
    signing_message,
    verify_signature,
)

__all__ = [
    "ACK_APPLIED",
    "ACK_DUPLICATE",
    "ACK_REJECTED",
    "ACTIVE",
    "Ack",
    "BUNDLE_MAGIC",
    "Bundle",
    "CONTENT_ENCODING",
    "CONTENT_TYPE",
    "DEFAULT_PULL_LIMIT",
    "ENROLL_FIELDS",
    "ERROR_MESSAGES",
    "H_COUNTER",
    "H_PROTOCOL",
    "H_SIGNATURE",
    "H_STATION",
    "KIND_STATION",
    "KIND_UPSTREAM",
    "MAX_BLOB_BYTES",
    "MAX_BUNDLE_BYTES",
    "MAX_BUNDLE_DECOMPRESSED",
    "MAX_COMPRESSED_BYTES",
    "MAX_DECOMPRESSED_BYTES",
    "MAX_ENROLL_BYTES",
    "MAX_ENROLL_DECOMPRESSED",
    "MAX_JSON_DEPTH",
    "MAX_PROTOCOL",
    "MAX_PULL_HELD",
    "MAX_PULL_LIMIT",
    "MAX_PUSH_BUNDLES",
    "MAX_PUSH_EVENTS",
    "MAX_PUSH_RECORDS",
    "MAX_PUSH_RELAYED",
    "MAX_RESPONSE_BYTES",
    "MIN_PROTOCOL",
    "PROTOCOL_VERSION",
    "ProtocolError",
    "REVOKED",
    "Receipt",
    "RegisterRecord",
    "RelayResult",
    "SyncRequest",
    "SyncResponse",
    "ZSTD_MAGIC",
    "bundle_from_parts",
    "canonical_json",
    "compress",
    "decode_body",
    "decode_response",
    "decompress_capped",
    "division_prefix",
    "encode_body",
    "enroll_body",
    "level_of",
    "load_private_key",
    "load_public_key",
    "new_private_key",
    "normalize_enroll_code",
    "on_chain_or_below",
    "parse_json",
    "private_key_bytes",
    "public_key_b64",
    "read_bundle",
    "read_bundle_file",
    "reenroll_message",
    "server_identity_message",
    "sign_receipt",
    "sign_record",
    "sign_request",
    "signing_message",
    "verify_bundle",
    "verify_receipt",
    "verify_record",
    "verify_signature",
    "within",
    "write_bundle",
]
