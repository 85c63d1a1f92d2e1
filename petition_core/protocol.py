"""The sync wire protocol shared by the station and the county server (docs/PROTOCOL.md).

Why this lives in petition_core: the station writes what the server reads (request bodies,
signatures, offline bundles), so both sides must use the *same* bytes-level code.  Pure
Python plus ``zstandard`` and ``cryptography``; no HTTP library, no database.

Contents: version and header names, size limits, stable error codes with Chinese messages,
capped zstd (de)compression, Ed25519 request signing, the /v1/sync and /v1/enroll message
shapes, jurisdiction prefixes, and the signed offline bundle file format.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import zstandard
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .divisions import jurisdiction_prefix, level_of_code
from .events import canonical_json

PROTOCOL_VERSION = 1
MIN_PROTOCOL = 1
MAX_PROTOCOL = 1

H_PROTOCOL = "X-Suqiu-Protocol"
H_STATION = "X-Suqiu-Station"
H_COUNTER = "X-Suqiu-Counter"
H_SIGNATURE = "X-Suqiu-Signature"
CONTENT_TYPE = "application/json"
CONTENT_ENCODING = "zstd"

MAX_COMPRESSED_BYTES = 4 * 1024 * 1024       # one request/response body on the wire
MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024    # after streaming decompression (zip-bomb cap)
MAX_PUSH_EVENTS = 2000                       # events in one push
MAX_PULL_LIMIT = 2000                        # events asked for in one pull
DEFAULT_PULL_LIMIT = 500
MAX_PUSH_BUNDLES = 8                         # forwarded bundles in one relay push
MAX_BUNDLE_BYTES = 64 * 1024 * 1024          # a bundle file (compressed)
MAX_BUNDLE_DECOMPRESSED = 256 * 1024 * 1024
MAX_BLOB_BYTES = 512 * 1024 * 1024

# ---- stable error codes (ASCII on the wire) and their Chinese text ----------------------
ERROR_MESSAGES: dict[str, str] = {
    "protocol_unsupported": "请升级诉求通",
    "body_too_large": "数据太大，请分批同步",
    "body_bad_encoding": "数据压缩格式错误，请重试",
    "body_malformed": "数据格式错误",
    "auth_missing": "缺少站点签名，请先完成注册",
    "auth_unknown_station": "本站点未在县服务器注册，请联系县纪委信访室",
    "auth_bad_signature": "站点签名无效，请联系县纪委信访室",
    "auth_replayed": "重复的请求已被拒绝，请重新同步",
    "auth_revoked": "本站点已被停用，请联系县纪委信访室；本机数据不会丢失",
    "enroll_code_invalid": "注册码无效或已过期，请向县纪委信访室索取新的注册码",
    "enroll_code_used": "注册码已被使用，请向县纪委信访室索取新的注册码",
    "enroll_rate_limited": "注册码输错次数太多，请过十分钟再试",
    "enroll_station_conflict": "该站点已在其他区划注册",
    "forbidden_jurisdiction": "无权查看辖区以外的数据",
    "upstream_not_enrolled": "本服务器尚未在上级服务器注册，请先运行 upstream-enroll",
    "blob_not_found": "附件不存在",
    "blob_hash_mismatch": "附件校验失败，请重新上传",
    "blob_range_invalid": "附件续传位置不正确",
    "blob_quota_exceeded": "本站上传了太多尚未登记使用的附件，请先同步记录",
    "server_disk_full": "县服务器磁盘将满，暂不能接收附件，请联系县里技术人员",
    "not_found": "地址不存在",
    "method_not_allowed": "请求方法不正确",
    "internal_error": "服务器内部错误，请稍后重试",
    # per-event ack codes (acks[].code), besides petition_core.events' event_* codes
    "event_foreign_station": "不能上传其他站点的事项记录",
    "event_gap": "事项记录不连续，缺少前面的记录",
    "seq_conflict": "站点序号已被另一条记录使用",
    "event_id_conflict": "同一编号的记录内容不一致",
    "bundle_malformed": "离线数据包已损坏",
    "bundle_too_large": "离线数据包太大，请分成几个文件再导入",
    "bundle_bad_signature": "离线数据包签名无效，可能被篡改",
    "bundle_foreign": "离线数据包来自未注册或不属于本辖区的站点",
}


class ProtocolError(Exception):
    """A refusal with a stable ``code``, the HTTP ``status`` and a Chinese ``message``."""

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


# ---- bodies -------------------------------------------------------------------------------
def compress(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=3).compress(data)


def decompress_capped(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Stream-decompress a zstd body, refusing more than ``limit`` output bytes.

    Never trusts the frame's declared size (a zip bomb can lie or omit it); reads in
    chunks and stops as soon as the cap is passed.  Truncated or garbage input →
    ``body_bad_encoding``; too much output → ``body_too_large``.
    """
    # 1. Measure the output with bounded reads: one decompress() call on a 64 KiB piece of
    #    a bomb can yield hundreds of MiB before any check runs, so never make that call
    #    until the total is known to fit.
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
        total = 0
        while chunk := reader.read(1 << 16):
            total += len(chunk)
            if total > limit:
                raise ProtocolError("body_too_large", 413, {"limit": limit})
    except zstandard.ZstdError:
        raise ProtocolError("body_bad_encoding", 400, "zstd") from None
    # 2. Now bounded: decompress for real, checking the frame ends exactly at the end.
    dobj = zstandard.ZstdDecompressor().decompressobj()
    out = bytearray()
    try:
        out += dobj.decompress(data)
    except zstandard.ZstdError:
        raise ProtocolError("body_bad_encoding", 400, "zstd") from None
    if len(out) > limit:
        raise ProtocolError("body_too_large", 413, {"limit": limit})
    if not dobj.eof:
        raise ProtocolError("body_bad_encoding", 400, "truncated")
    if dobj.unused_data:
        raise ProtocolError("body_bad_encoding", 400, "trailing data")
    return bytes(out)


def encode_body(obj: Any) -> bytes:
    """JSON → zstd: what goes on the wire in both directions."""
    return compress(canonical_json(obj))


def decode_body(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> Any:
    raw = decompress_capped(data, limit)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("body_malformed", 400, "json") from None


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def decode_response(content: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> Any:
    """A response body from the server, whichever HTTP client read it.

    httpx decodes ``Content-Encoding: zstd`` itself; requests/urllib3 2.8 does not (it
    needs ``backports.zstd``), so ``response.content`` may be either JSON or a zstd frame.
    """
    if content.startswith(ZSTD_MAGIC):
        return decode_body(content, limit)
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("body_malformed", 400, "response") from None


# ---- keys and request signatures ----------------------------------------------------------
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


# ---- jurisdiction -------------------------------------------------------------------------
def level_of(code: str) -> int:
    """Level 1 (province) … 5 (village) of a 12-digit statistical division code."""
    return int(level_of_code(code))


def division_prefix(code: str) -> str:
    """The leading digits every division within ``code`` shares (e.g. township → 9)."""
    return jurisdiction_prefix(code)


def within(route: str, division: str) -> bool:
    """True when division code ``route`` lies in (or is) ``division``."""
    return bool(route) and route.startswith(division_prefix(division))


# ---- messages -----------------------------------------------------------------------------
ACK_APPLIED = "applied"
ACK_DUPLICATE = "duplicate"
ACK_REJECTED = "rejected"


@dataclass
class Ack:
    event_id: str
    status: str
    code: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "status": self.status, "code": self.code}


@dataclass
class SyncRequest:
    """``POST /v1/sync`` body: ``{push: {events, bundles}, pull: {cursor, limit}}``.

    ``events`` are the pusher's own ``Event.to_wire()`` dicts, contiguous in station_seq;
    ``bundles`` (relays only) are whole bundle files, base64, as written by the village.
    ``pull`` may be null for a push-only request.  ``pull.own_through`` (optional): the
    pusher already holds its own events with station_seq ≤ this number, so the server
    leaves them out of the pull (they would only come back as duplicates).
    ``push.compact_acks`` (optional): acknowledge the pusher's own applied/duplicate events
    as station_seq runs (``SyncResponse.own_runs``) instead of one ack per event id.
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    bundles: list[bytes] = field(default_factory=list)
    cursor: int | None = 0
    limit: int = DEFAULT_PULL_LIMIT
    own_through: int = 0
    compact_acks: bool = False

    def to_wire(self) -> dict[str, Any]:
        pull = None if self.cursor is None else {"cursor": self.cursor, "limit": self.limit}
        if pull is not None and self.own_through:
            pull["own_through"] = self.own_through
        push: dict[str, Any] = {
            "events": self.events,
            "bundles": [base64.b64encode(b).decode("ascii") for b in self.bundles],
        }
        if self.compact_acks:
            push["compact_acks"] = True
        return {"push": push, "pull": pull}

    @classmethod
    def from_wire(cls, d: Any) -> "SyncRequest":
        if not isinstance(d, Mapping):
            raise ProtocolError("body_malformed", 400, "not an object")
        push = d.get("push") or {}
        pull = d.get("pull")
        if not isinstance(push, Mapping) or (pull is not None and not isinstance(pull, Mapping)):
            raise ProtocolError("body_malformed", 400, "push/pull")
        events = push.get("events") or []
        bundles = push.get("bundles") or []
        compact = push.get("compact_acks", False)
        if not isinstance(events, list) or not isinstance(bundles, list):
            raise ProtocolError("body_malformed", 400, "push.events")
        if not isinstance(compact, bool):
            raise ProtocolError("body_malformed", 400, "push.compact_acks")
        if len(events) > MAX_PUSH_EVENTS:
            raise ProtocolError("body_too_large", 413, {"max_events": MAX_PUSH_EVENTS})
        if len(bundles) > MAX_PUSH_BUNDLES:
            raise ProtocolError("body_too_large", 413, {"max_bundles": MAX_PUSH_BUNDLES})
        try:
            blobs = [base64.b64decode(b, validate=True) for b in bundles]
        except (ValueError, TypeError):
            raise ProtocolError("body_malformed", 400, "push.bundles") from None
        cursor: int | None = None
        limit = DEFAULT_PULL_LIMIT
        own_through = 0
        if pull is not None:
            cursor, limit = pull.get("cursor", 0), pull.get("limit", DEFAULT_PULL_LIMIT)
            own_through = pull.get("own_through", 0)
            for v in (cursor, limit, own_through):
                if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**63:
                    raise ProtocolError("body_malformed", 400, "pull.cursor/limit/own_through")
            limit = min(limit, MAX_PULL_LIMIT)
        return cls(events=list(events), bundles=blobs, cursor=cursor, limit=limit,
                   own_through=own_through, compact_acks=compact)


@dataclass
class SyncResponse:
    """``own_runs`` (when the request asked for ``compact_acks``): ``(first_seq, last_seq,
    status)`` for runs of the pusher's own events acknowledged applied/duplicate; ``acks``
    then holds only the rest (rejected own events, relayed bundles' events).
    ``next_seq`` (when the request pushed own events): the station_seq the server
    expects next from the pusher.  A station whose events come back ``event_gap`` re-sends
    its own events from there (the server was restored from an older backup, or lost them)."""

    acks: list[Ack]
    events: list[dict[str, Any]]
    cursor: int
    more: bool
    next_seq: int | None = None
    own_runs: list[tuple[int, int, str]] = field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "acks": [a.to_wire() for a in self.acks],
            "pull": {"events": self.events, "cursor": self.cursor, "more": self.more},
        }
        if self.next_seq is not None:
            d["next_seq"] = self.next_seq
        if self.own_runs:
            d["own_acks"] = [list(r) for r in self.own_runs]
        return d

    def acks_for(self, batch: Sequence[Any]) -> list[Ack]:
        """Every ack, with ``own_runs`` expanded to the pushed ``batch``'s event ids."""
        out = []
        for ev in batch:
            for lo, hi, status in self.own_runs:
                if lo <= ev.station_seq <= hi:
                    out.append(Ack(ev.event_id, status))
                    break
        return out + self.acks

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> "SyncResponse":
        pull = d.get("pull") or {}
        nxt = d.get("next_seq")
        if nxt is not None and (isinstance(nxt, bool) or not isinstance(nxt, int) or nxt < 1):
            raise ValueError("next_seq")
        runs = []
        for r in d.get("own_acks") or []:
            if not (isinstance(r, list) and len(r) == 3 and all(
                    isinstance(x, int) and not isinstance(x, bool) for x in r[:2])
                    and r[2] in (ACK_APPLIED, ACK_DUPLICATE) and 1 <= r[0] <= r[1]):
                raise ValueError("own_acks")
            runs.append((r[0], r[1], r[2]))
        return cls(
            acks=[Ack(a["event_id"], a["status"], a.get("code")) for a in d.get("acks", [])],
            events=list(pull.get("events", [])),
            cursor=int(pull.get("cursor", 0)),
            more=bool(pull.get("more", False)),
            next_seq=nxt,
            own_runs=runs,
        )


ENROLL_FIELDS = ("code", "public_key", "station_id", "station_code", "name")


def enroll_body(
    *, code: str, key: Ed25519PrivateKey, station_id: str, station_code: str, name: str
) -> dict[str, Any]:
    """The ``POST /v1/enroll`` body.  The request is also signed (counter 0) with ``key`` to
    prove the station holds the private half of the key it enrolls."""
    return {
        "code": code, "public_key": public_key_b64(key), "station_id": station_id,
        "station_code": station_code, "name": name,
    }


def normalize_enroll_code(text: str) -> str:
    """Codes are shown grouped ("K7QH-3MXP"); accept any case, spaces and dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


# ---- offline bundles ----------------------------------------------------------------------
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
    missing = {"station_id", "station_code", "from_seq", "to_seq", "created", "kind"} - set(manifest)
    if missing:
        raise ValueError(f"manifest lacks {sorted(missing)}")
    body = canonical_json({"manifest": dict(manifest), "events": events})
    sig = key.sign(_bundle_signed_message(body))
    return BUNDLE_MAGIC + sig + compress(body)


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
        doc = json.loads(body.decode("utf-8"))
    except ProtocolError as exc:
        if exc.code == "body_too_large":
            raise
        raise ProtocolError("bundle_malformed", 422, "zstd") from None
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("bundle_malformed", 422, "json") from None
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("manifest"), dict)
        or not isinstance(doc.get("events"), list)
        or not isinstance(doc["manifest"].get("station_id"), str)
    ):
        raise ProtocolError("bundle_malformed", 422, "shape")
    return Bundle(manifest=doc["manifest"], events=doc["events"], signature=sig, body=body)


def verify_bundle(bundle: Bundle, public_key_b64_: str) -> None:
    """Raise ``bundle_bad_signature`` unless the station's key signed this bundle."""
    if not verify_signature(
        public_key_b64_, base64.b64encode(bundle.signature).decode("ascii"),
        _bundle_signed_message(bundle.body),
    ):
        raise ProtocolError("bundle_bad_signature", 422)

