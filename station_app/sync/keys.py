"""The station's identity: an Ed25519 key pair and the request counter.

Why a counter and not a timestamp: village PC clocks are off by days, so replay protection
must not depend on them.  Every signed request carries a number strictly larger than the
last one the server saw from this station.  The number is written to disk (fsync + atomic
rename) *before* the request leaves, so a crash after sending can never make the station
reuse a number the server already accepted; a crash before sending only skips numbers,
which the server allows.

The private key never leaves ``keys_dir`` and is written with owner-only permissions.
"""
from __future__ import annotations

import base64
import logging
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

log = logging.getLogger(__name__)

PRIVATE_KEY_FILE = "station_ed25519.pem"
COUNTER_FILE = "request_counter"
MAX_COUNTER = 2**62  # the server stores the counter in a signed 64-bit column


class StationKeyError(Exception):
    """The key files are unreadable or damaged.  ``code`` is a stable ASCII code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` so that a crash leaves either the old or the new content, never half."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    try:  # make the rename itself durable (best effort: not every OS allows it)
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def public_key_b64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """Parse a base64 raw Ed25519 public key; raise StationKeyError('key_malformed')."""
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError) as exc:
        raise StationKeyError("key_malformed", str(exc)) from None


def verify(public_key: Ed25519PublicKey, signature_b64: str, message: bytes) -> bool:
    """True when ``signature_b64`` is a valid signature of ``message``."""
    try:
        sig = base64.b64decode(signature_b64, validate=True)
        public_key.verify(sig, message)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


class StationKeys:
    """The station's key pair and request counter, kept in ``keys_dir``."""

    def __init__(self, keys_dir: Path, private_key: Ed25519PrivateKey):
        self.keys_dir = Path(keys_dir)
        self._key = private_key
        self._lock = threading.Lock()

    # ---- construction -----------------------------------------------------------
    @classmethod
    def load_or_create(cls, keys_dir: Path) -> StationKeys:
        """Load the station key, making a new one the first time (before enrollment)."""
        keys_dir = Path(keys_dir)
        keys_dir.mkdir(parents=True, exist_ok=True)
        path = keys_dir / PRIVATE_KEY_FILE
        if path.exists():
            return cls(keys_dir, cls._read_key(path))
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _atomic_write(path, pem)
        log.info("created a new station key in %s", keys_dir)
        return cls(keys_dir, key)

    @classmethod
    def exists(cls, keys_dir: Path) -> bool:
        return (Path(keys_dir) / PRIVATE_KEY_FILE).exists()

    @staticmethod
    def _read_key(path: Path) -> Ed25519PrivateKey:
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as exc:
            raise StationKeyError("key_unreadable", str(exc)) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise StationKeyError("key_unreadable", "not an Ed25519 key")
        return key

    # ---- identity -----------------------------------------------------------------
    @property
    def private_key(self) -> Ed25519PrivateKey:
        """For signing offline bundles (petition_core.protocol.write_bundle)."""
        return self._key

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    def public_key_b64(self) -> str:
        return public_key_b64(self.public_key)

    def sign(self, message: bytes) -> str:
        """Base64 Ed25519 signature of ``message``."""
        return base64.b64encode(self._key.sign(message)).decode("ascii")

    # ---- counter --------------------------------------------------------------------
    def current_counter(self) -> int:
        path = self.keys_dir / COUNTER_FILE
        if not path.exists():
            return 0
        text = path.read_text("ascii").strip()
        if not text.isdigit():
            raise StationKeyError("counter_unreadable", "counter file damaged")
        return int(text)

    def skip_ahead(self, step: int = 1000) -> int:
        """Move the counter ``step`` past its value (after ``auth_replayed``: the keys
        folder came back from an old backup, or a copy of a request arrived first);
        returns the new value.  The caller grows ``step`` only while refusals follow each
        other, so a lone duplicate costs 1000 numbers and the counter stays far below the
        server's 64-bit limit for the life of the station."""
        with self._lock:
            value = self.current_counter() + max(1, step)
            if value >= MAX_COUNTER:
                raise StationKeyError("counter_exhausted", "request counter at its limit")
            _atomic_write(self.keys_dir / COUNTER_FILE, str(value).encode("ascii"))
            log.warning("request counter refused as replayed; skipped ahead by %d", step)
            return value

    def next_counter(self) -> int:
        """Reserve and durably persist the next counter value, then return it."""
        with self._lock:
            value = self.current_counter() + 1
            _atomic_write(self.keys_dir / COUNTER_FILE, str(value).encode("ascii"))
            return value
