"""Station keys (Ed25519) and request signatures (protocol 2).

A request signature covers the server it is meant for (``server_id``), the station that
sends it and its enrollment ``epoch``, so a captured request cannot be replayed to another
server where the same key is enrolled, nor after the station was re-enrolled (the server
resets the counter at re-enrollment, the epoch moves on).  docs/decisions/0004.
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .constants import (
    CONTENT_ENCODING,
    CONTENT_TYPE,
    H_COUNTER,
    H_PROTOCOL,
    H_SIGNATURE,
    H_STATION,
    PROTOCOL_VERSION,
)


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """Raw 32-byte seed (the station stores it in keys_dir with 0600 permissions)."""
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def load_private_key(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(b64: str) -> Ed25519PublicKey:
    """Parse a base64 raw Ed25519 public key; ValueError if it is not one."""
    try:
        raw = base64.b64decode(b64, validate=True)
    except (ValueError, TypeError):
        raise ValueError("public key is not base64") from None
    if len(raw) != 32:
        raise ValueError("public key must be 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


SIGN_PREFIX = "SUQIU/2"


def _ascii_field(value: str) -> str:
    if not isinstance(value, str) or "\n" in value:
        raise ValueError("signed fields are single-line text")
    return value


def signing_message(method: str, path: str, counter: int, body: bytes, *, server_id: str,
                    station_id: str, epoch: int) -> bytes:
    """``SUQIU/2\\nMETHOD\\npath\\nserver_id\\nstation_id\\nepoch\\ncounter\\nsha256hex(body)``;
    body = the exact bytes sent (compressed).  Enrollment (counter 0) signs with
    ``server_id=""``, ``station_id=""`` and ``epoch=0``: its body carries the claims."""
    digest = hashlib.sha256(body).hexdigest()
    parts = (SIGN_PREFIX, method.upper(), path, _ascii_field(server_id),
             _ascii_field(station_id), str(int(epoch)), str(int(counter)), digest)
    return "\n".join(parts).encode("utf-8")


def reenroll_message(*, server_id: str, station_id: str, epoch: int, new_public_key: str) -> bytes:
    """What a station's OLD key signs to re-enroll the same station id with a new key (or
    the same one): bound to the server, the station, its current epoch (so the request
    cannot be replayed once the epoch moved on) and the key being enrolled."""
    parts = ("SUQIU-REENROLL/2", _ascii_field(server_id), _ascii_field(station_id),
             str(int(epoch)), _ascii_field(new_public_key))
    return "\n".join(parts).encode("utf-8")


def server_identity_message(*, server_id: str, client_public_key: str) -> bytes:
    """What a lower-level server's own signing key (the "county key") signs when it enrolls
    upstream: the client key it will sign requests with belongs to this server."""
    parts = ("SUQIU-UPSTREAM/2", _ascii_field(server_id), _ascii_field(client_public_key))
    return "\n".join(parts).encode("utf-8")


def sign_request(
    key: Ed25519PrivateKey, station_id: str, counter: int, method: str, path: str,
    body: bytes, *, server_id: str, epoch: int,
) -> dict[str, str]:
    """The headers of a signed request (protocol version included)."""
    sig = key.sign(signing_message(method, path, counter, body, server_id=server_id,
                                   station_id=station_id, epoch=epoch))
    return {
        H_PROTOCOL: str(PROTOCOL_VERSION),
        H_STATION: station_id,
        H_COUNTER: str(counter),
        H_SIGNATURE: base64.b64encode(sig).decode("ascii"),
        "Content-Type": CONTENT_TYPE,
        "Content-Encoding": CONTENT_ENCODING,
    }


def verify_signature(public_key_b64_: str, signature_b64: str, message: bytes) -> bool:
    try:
        pub = load_public_key(public_key_b64_)
        sig = base64.b64decode(signature_b64, validate=True)
        pub.verify(sig, message)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False
