"""This server's identity: its ``server_id`` and its signing key (the "county key").

Why outside the database: the county key signs the register of stations and the receipts
every station trusts (docs/decisions/0004-trust-model.md); a copy of the database (a
backup handed to a technician, a PostgreSQL dump) must not carry it.  It lives in a keys
folder (``--keys`` / ``SUQIU_SERVER_KEYS``; by default ``keys/`` beside a SQLite file), as
PEM with owner-only permissions, next to the key this server uses as a client of the level
above (``upstream_ed25519.pem``).

The database remembers which identity it belongs to (``server_state``): a server whose
keys folder went missing refuses to start instead of silently making a new identity that
every enrolled station would then refuse.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select

from petition_core.ids import is_uuid, uuid7
from petition_core.protocol import public_key_b64

from ..store.models import server_state
from .state import set_state

log = logging.getLogger(__name__)

SERVER_KEY_FILE = "server_ed25519.pem"
SERVER_ID_FILE = "server_id"
UPSTREAM_KEY_FILE = "upstream_ed25519.pem"
# the secret of the repeat index's HMACs (services/repeats.py): ID numbers and names are
# stored only as HMACs under it, so a copy of the database cannot be searched for a person
REPEAT_KEY_FILE = "repeat_hmac.key"
K_ID = "server.id"
K_PUBLIC = "server.public_key"


class IdentityError(RuntimeError):
    """The keys folder and the database disagree, or a key file is damaged."""


@dataclass(frozen=True)
class ServerIdentity:
    server_id: str
    key: Ed25519PrivateKey
    repeat_key: bytes = b""    # empty: no repeat detection (tools that only sign)

    @property
    def public_key(self) -> str:
        return public_key_b64(self.key)


def write_private(path: Path, data: bytes) -> None:
    """Write a secret atomically with mode 0600 (a crash leaves the old file or the new)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def read_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise IdentityError(f"key file {path} unreadable: {type(exc).__name__}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise IdentityError(f"key file {path} is not an Ed25519 key")
    return key


def _state(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {r.key: r.value for r in conn.execute(
            select(server_state).where(server_state.c.key.in_([K_ID, K_PUBLIC])))}


def load_or_create(keys_dir: Path, engine: Engine) -> ServerIdentity:
    """The identity in ``keys_dir``, made the first time; checked against the database."""
    keys_dir = Path(keys_dir)
    key_path, id_path = keys_dir / SERVER_KEY_FILE, keys_dir / SERVER_ID_FILE
    known = _state(engine)
    if key_path.exists() and id_path.exists():
        key = read_key(key_path)
        server_id = id_path.read_text("ascii").strip()
        if not is_uuid(server_id):
            raise IdentityError(f"{id_path} does not hold a server id")
    elif known.get(K_ID):
        raise IdentityError(
            f"this database belongs to server {known[K_ID]} but {keys_dir} holds no key: "
            "restore the keys folder from its backup (a new key would be refused by every "
            "enrolled station)")
    else:
        key, server_id = Ed25519PrivateKey.generate(), uuid7()
        write_private(key_path, pem(key))
        write_private(id_path, server_id.encode("ascii"))
        log.info("created the server identity %s in %s", server_id, keys_dir)
    ident = ServerIdentity(server_id, key, repeat_key(keys_dir))
    if known.get(K_ID) and (known[K_ID] != server_id or known.get(K_PUBLIC) != ident.public_key):
        raise IdentityError(f"{keys_dir} holds the key of server {server_id}, but this "
                            f"database belongs to server {known[K_ID]}")
    if not known.get(K_ID):
        with engine.begin() as conn:
            set_state(conn, **{K_ID: server_id, K_PUBLIC: ident.public_key})
    return ident


def existing_repeat_key(keys_dir: Path) -> bytes:
    """The repeat key if ``keys_dir`` holds one, else b"" (never made here: a tool pointed
    at another folder must not start a second key)."""
    try:
        data = (Path(keys_dir) / REPEAT_KEY_FILE).read_bytes()
    except OSError:
        return b""
    return data if len(data) == 32 else b""


def repeat_key(keys_dir: Path) -> bytes:
    """The repeat index's HMAC secret (32 random bytes), made the first time.  Losing it
    only means earlier registrations are no longer found as repeats (new ones still are)."""
    path = Path(keys_dir) / REPEAT_KEY_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        raise IdentityError(f"key file {path} unreadable: {type(exc).__name__}") from None
    if len(data) != 32:
        if data:
            raise IdentityError(f"key file {path} is not a repeat key")
        data = os.urandom(32)
        write_private(path, data)
    return data
