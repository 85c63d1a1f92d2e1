"""Station keys (Ed25519) and request signatures."""
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


def signing_message(method: str, path: str, counter: int, body: bytes) -> bytes:
    """``METHOD\\npath\\ncounter\\nsha256hex(body)``; body = the exact bytes sent (compressed)."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{counter}\n{digest}".encode("ascii")


def sign_request(
    key: Ed25519PrivateKey, station_id: str, counter: int, method: str, path: str, body: bytes
) -> dict[str, str]:
    """The headers of a signed request (protocol version included)."""
    sig = key.sign(signing_message(method, path, counter, body))
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
