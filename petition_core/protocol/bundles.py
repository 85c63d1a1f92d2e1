"""The signed offline bundle file (docs/PROTOCOL.md, "Relays and offline bundles")."""
from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..events import canonical_json
from .bodies import compress, decompress_capped, parse_json
from .constants import MAX_BUNDLE_BYTES, MAX_BUNDLE_DECOMPRESSED
from .errors import ProtocolError
from .signing import verify_signature

BUNDLE_MAGIC = b"SUQIU-BUNDLE/1\n"
_SIG_LEN = 64


@dataclass
class Bundle:
    manifest: dict[str, Any]
    events: list[dict[str, Any]]
    signature: bytes
    body: bytes  # the signed canonical JSON, kept to re-verify or forward

    @property
    def station_id(self) -> str:
        return str(self.manifest.get("station_id", ""))


def _bundle_signed_message(body: bytes) -> bytes:
    return BUNDLE_MAGIC + hashlib.sha256(body).hexdigest().encode("ascii")


def write_bundle(
    key: Ed25519PrivateKey, manifest: Mapping[str, Any], events: list[dict[str, Any]]
) -> bytes:
    """File = MAGIC + 64-byte Ed25519 signature + zstd(canonical JSON {manifest, events}).

    The signature covers MAGIC + sha256 of the uncompressed canonical JSON, so a reader
    verifies exactly the bytes it parses and no re-serialisation is involved.
    """
    required = {"station_id", "station_code", "from_seq", "to_seq", "created", "kind"}
    missing = required - set(manifest)
    if missing:
        raise ValueError(f"manifest lacks {sorted(missing)}")
    body = canonical_json({"manifest": dict(manifest), "events": events})
    sig = key.sign(_bundle_signed_message(body))
    return BUNDLE_MAGIC + sig + compress(body)


def read_bundle_file(path: str | os.PathLike[str], limit: int = MAX_BUNDLE_BYTES) -> bytes:
    """A bundle file's bytes, its size judged before anything is read: a file over
    ``limit`` raises ``bundle_too_large`` (413) at once (a USB stick can hold 4 GiB), and
    the read stops one byte past the size judged (a file still growing is refused)."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise ProtocolError("bundle_too_large", 413, {"limit": limit, "size": size})
        data = fh.read(size + 1)
    if len(data) != size:
        raise ProtocolError("bundle_malformed", 422, "file changed while read")
    return data


def read_bundle(data: bytes, limit: int = MAX_BUNDLE_DECOMPRESSED) -> Bundle:
    """Parse a bundle file WITHOUT trusting it; call :func:`verify_bundle` next.
    Raises ProtocolError ``bundle_malformed`` (or ``body_too_large``)."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise ProtocolError("body_too_large", 413, {"limit": MAX_BUNDLE_BYTES})
    if not data.startswith(BUNDLE_MAGIC) or len(data) < len(BUNDLE_MAGIC) + _SIG_LEN:
        raise ProtocolError("bundle_malformed", 422, "magic")
    sig = data[len(BUNDLE_MAGIC): len(BUNDLE_MAGIC) + _SIG_LEN]
    try:
        body = decompress_capped(data[len(BUNDLE_MAGIC) + _SIG_LEN:], limit)
    except ProtocolError as exc:
        if exc.code == "body_too_large":
            raise
        raise ProtocolError("bundle_malformed", 422, "zstd") from None
    return bundle_from_parts(sig, body)


def bundle_from_parts(signature: bytes, body: bytes) -> Bundle:
    """A bundle from its signature and its signed canonical JSON body, as a relay forwards
    it (``push.relayed``: no per-bundle compression, so the request's one zstd frame
    compresses across villages).  Parsed WITHOUT trusting it; raises ``bundle_malformed``."""
    if len(signature) != _SIG_LEN:
        raise ProtocolError("bundle_malformed", 422, "signature")
    try:
        doc = parse_json(body)
    except ProtocolError as exc:
        raise ProtocolError("bundle_malformed", 422, exc.detail) from None
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("manifest"), dict)
        or not isinstance(doc.get("events"), list)
        or not isinstance(doc["manifest"].get("station_id"), str)
    ):
        raise ProtocolError("bundle_malformed", 422, "shape")
    return Bundle(manifest=doc["manifest"], events=doc["events"], signature=signature, body=body)


def verify_bundle(bundle: Bundle, public_key_b64_: str) -> None:
    """Raise ``bundle_bad_signature`` unless the station's key signed this bundle."""
    if not verify_signature(
        public_key_b64_, base64.b64encode(bundle.signature).decode("ascii"),
        _bundle_signed_message(bundle.body),
    ):
        raise ProtocolError("bundle_bad_signature", 422)
