"""Signed, compressed HTTP requests to the county server (PROTOCOL.md), on ``requests``.

Why a separate module: the engine (what to send) and bundles stay readable, while every
rule of the wire lives here once: zstd bodies both ways with a decompression cap (a hostile
or broken server cannot exhaust a village PC's memory), the protocol header, the Ed25519
signature over the exact bytes sent, a *stall* timeout (connect 10 s, then 30 s without a
byte) instead of a total timeout so that a slow 64 kbit/s line still finishes, and the
mapping of wire error codes to :class:`SyncError` with a Chinese message.

Nothing here logs a body: bodies carry petitioners' data and sealed payloads.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from petition_core import protocol as P

from .keys import StationKeyError, StationKeys

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0          # per socket read: a stall timeout, not a total one
# Requests are capped at 4 MiB compressed, but a pull answer may carry up to 8 MiB of
# sealed (incompressible) payloads, base64-encoded: accept 16 MiB on the way down (the
# same cap the county applies to its city's answers).
MAX_RESPONSE_BYTES = P.MAX_RESPONSE_BYTES
REPLAY_RETRIES = 8   # 1000·(2⁸−1) ≈ 255,000 numbers skipped at most per request

# codes after which retrying automatically cannot help: a person must act
FATAL_CODES = frozenset({
    "auth_unknown_station", "auth_revoked", "auth_bad_signature", "protocol_unsupported",
    "enroll_code_invalid", "enroll_code_used", "enroll_station_conflict", "not_enrolled",
    "enroll_division_mismatch", "enroll_unit_mismatch", "enroll_station_unknown",
    "enroll_proof_invalid",
    "enroll_answer_invalid",
    "pull_event_invalid", "pull_conflict", "station_not_set_up", "key_unreadable",
    "counter_unreadable", "counter_exhausted", "push_gap",
    "server_url_invalid", "body_too_large",
})


class SyncError(Exception):
    """A sync step failed.  ``code`` is the stable wire/ASCII code; the words for it are the
    UI's (station_app/ui/messages.py).  ``message`` is an English line for the log."""

    def __init__(self, code: str, message: str | None = None, *, status: int = 0,
                 detail: Any = None):
        self.code = code
        self.message = message or P.ERROR_MESSAGES.get(code, code)
        self.status = status
        self.detail = detail
        super().__init__(f"{code} (HTTP {status})" if status else code)

    @property
    def retryable(self) -> bool:
        return self.code not in FATAL_CODES


def decompress_capped(data: bytes) -> bytes:
    """Streaming decompression with the protocol's cap (zip-bomb guard)."""
    try:
        return P.decompress_capped(data, P.MAX_DECOMPRESSED_BYTES)
    except P.ProtocolError:
        raise SyncError("response_malformed", detail="bad or oversized zstd body") from None


@dataclass
class Exchange:
    """One finished HTTP exchange: parsed JSON (or raw bytes) and the wire sizes."""

    status: int
    data: Any
    raw: bytes
    headers: dict[str, str]
    bytes_up: int
    bytes_down: int


class Transport:
    """Sends signed requests for one station; counts round trips and wire bytes."""

    def __init__(self, base_url: str, keys: StationKeys, station_id: str | None,
                 session: requests.Session | None = None,
                 timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)):
        self.base_url = base_url.rstrip("/")
        self.keys = keys
        self.station_id = station_id
        # signatures cover the county's id and our enrollment epoch (protocol 2)
        self.server_id = ""
        self.epoch = 0
        self.session = session or requests.Session()
        # every header byte costs on a 64 kbit/s line: drop requests' defaults
        # (User-Agent with versions, Accept, gzip Accept-Encoding)
        self.session.headers.clear()
        self.session.headers["User-Agent"] = "suqiu-station/1"
        self.timeout = timeout
        self.round_trips = 0
        self.bytes_up = 0
        self.bytes_down = 0
        self.on_bytes: Callable[[int, int], None] | None = None

    def post_json(self, path: str, message: dict[str, Any], *, signed: bool = True,
                  counter_zero: bool = False) -> Exchange:
        """POST a zstd-compressed canonical JSON message; return the decoded JSON answer."""
        return self.post_compressed(path, P.encode_body(message), signed=signed,
                                    counter_zero=counter_zero)

    def post_compressed(self, path: str, body: bytes, *, signed: bool = True,
                        counter_zero: bool = False) -> Exchange:
        """POST a body already encoded with ``P.encode_body`` (the engine checks its size
        against the protocol's caps before sending)."""
        headers = {"Content-Type": P.CONTENT_TYPE, "Content-Encoding": P.CONTENT_ENCODING}
        return self.request("POST", path, body, headers, signed=signed, parse_json=True,
                            counter_zero=counter_zero)

    def open(self, method: str, path: str, body: bytes = b"",
             headers: dict[str, str] | None = None, *, signed: bool = True,
             counter_zero: bool = False) -> tuple[requests.Response, dict[str, str]]:
        """Send a request and return the *streaming* response (caller reads and closes).
        ``counter_zero`` signs with counter 0 (enrollment only)."""
        hdrs = {P.H_PROTOCOL: str(P.PROTOCOL_VERSION), "Accept-Encoding": "zstd"}
        hdrs.update(headers or {})
        if signed and counter_zero:   # enrollment: the body carries every claim
            sig = self.keys.sign(P.signing_message(method, path, 0, body, server_id="",
                                                   station_id="", epoch=0))
            hdrs.update({P.H_COUNTER: "0", P.H_SIGNATURE: sig})
        elif signed:
            if not self.station_id:
                raise SyncError("not_enrolled")
            try:
                counter = self.keys.next_counter()
            except StationKeyError as exc:
                raise SyncError(exc.code) from None
            sig = self.keys.sign(P.signing_message(
                method, path, counter, body, server_id=self.server_id,
                station_id=self.station_id, epoch=self.epoch))
            hdrs.update({P.H_STATION: self.station_id, P.H_COUNTER: str(counter),
                         P.H_SIGNATURE: sig})
        self.round_trips += 1
        try:
            resp = self.session.request(method, self.base_url + path, data=body or None,
                                        headers=hdrs, timeout=self.timeout, stream=True)
        except requests.exceptions.RequestException as exc:
            raise _network_error(exc) from None
        up = len(body) + sum(len(k) + len(v) + 4 for k, v in hdrs.items()) + len(path) + 40
        self._count(up, sum(len(k) + len(v) + 4 for k, v in resp.headers.items()) + 20)
        return resp, hdrs

    def read_raw(self, resp: requests.Response, cap: int = MAX_RESPONSE_BYTES,
                 sink: Callable[[bytes], object] | None = None) -> bytes:
        """Read a streaming body without decoding, counting bytes; with ``sink`` each
        chunk is handed over as it arrives (resumable downloads) and b"" is returned."""
        out = bytearray()
        total = 0
        try:
            while True:
                chunk = resp.raw.read(65536, decode_content=False)
                if not chunk:
                    break
                total += len(chunk)
                self._count(0, len(chunk))
                if sink is not None:
                    sink(chunk)
                else:
                    out += chunk
                if total > cap:
                    raise SyncError("response_malformed", detail="response over size cap")
        except requests.exceptions.RequestException as exc:
            raise _network_error(exc) from None
        except Exception as exc:  # urllib3 errors surface raw while streaming
            if isinstance(exc, SyncError):
                raise
            if type(exc).__module__.startswith(("urllib3", "http.client", "socket")) or \
                    isinstance(exc, OSError):
                raise SyncError("network_stalled") from None
            raise
        finally:
            resp.close()
        expected = resp.headers.get("Content-Length", "")
        if expected.isdigit() and total < int(expected):
            raise SyncError("network_stalled")  # the line dropped mid-answer
        return bytes(out)

    def _count(self, up: int, down: int) -> None:
        self.bytes_up += up
        self.bytes_down += down
        if self.on_bytes and (up or down):
            self.on_bytes(self.bytes_up, self.bytes_down)

    def request(self, method: str, path: str, body: bytes = b"",
                headers: dict[str, str] | None = None, *, signed: bool = True,
                parse_json: bool = False, ok: tuple[int, ...] = (200,),
                counter_zero: bool = False) -> Exchange:
        """Send one request and read the whole answer; non-``ok`` status → SyncError.

        ``auth_replayed`` means the server saw a counter at least this high (the counter
        file was restored from an old backup, or a middlebox delivered a copy first): the
        counter skips ahead — 1000, then doubling while refusals follow each other, up to
        ``REPLAY_RETRIES`` times — and the request is sent again, which is safe because
        every request may be repeated."""
        step = 1000
        for attempt in range(REPLAY_RETRIES + 1):
            try:
                return self._request_once(method, path, body, headers, signed=signed,
                                          parse_json=parse_json, ok=ok,
                                          counter_zero=counter_zero)
            except SyncError as exc:
                if exc.code != "auth_replayed" or counter_zero or not signed \
                        or attempt == REPLAY_RETRIES:
                    raise
                try:
                    self.keys.skip_ahead(step)
                except StationKeyError as key_exc:
                    raise SyncError(key_exc.code) from None
                step *= 2
        raise AssertionError("unreachable")

    def _request_once(self, method: str, path: str, body: bytes,
                      headers: dict[str, str] | None, *, signed: bool, parse_json: bool,
                      ok: tuple[int, ...], counter_zero: bool) -> Exchange:
        up0, down0 = self.bytes_up, self.bytes_down
        resp, _ = self.open(method, path, body, headers, signed=signed,
                            counter_zero=counter_zero)
        raw = self.read_raw(resp)
        content = raw
        if resp.headers.get("Content-Encoding", "").lower() == "zstd":
            content = decompress_capped(raw)
        data: Any = None
        is_json = "json" in resp.headers.get("Content-Type", "")
        if is_json or parse_json:
            data = _json_or_none(content)
        if resp.status_code not in ok:
            raise self._error(resp.status_code, data)
        if parse_json and not isinstance(data, dict):
            raise SyncError("response_malformed", status=resp.status_code)
        up, down = self.bytes_up - up0, self.bytes_down - down0
        log.debug("%s %s -> %d (%d up, %d down)", method, path, resp.status_code, up, down)
        return Exchange(resp.status_code, data, content, dict(resp.headers), up, down)

    def error_from(self, resp: requests.Response) -> SyncError:
        """Turn a non-success streaming response into a SyncError (reads its body)."""
        raw = self.read_raw(resp)
        data: Any = None
        try:
            content = decompress_capped(raw) if resp.headers.get(
                "Content-Encoding", "").lower() == "zstd" else raw
            data = _json_or_none(content)
        except SyncError:
            data = None
        return self._error(resp.status_code, data)

    @staticmethod
    def _error(status: int, data: Any) -> SyncError:
        code = data.get("error") if isinstance(data, dict) else None
        if not isinstance(code, str) or not code.isascii():
            code = "server_error" if status >= 500 else f"http_{status}"
        if status == 426:
            code = "protocol_unsupported"
        detail = data.get("detail") if isinstance(data, dict) else None
        # the server's own "message" is never shown: our words for its code are ours
        log.info("server refused: %s (HTTP %d)", code, status)
        return SyncError(code, status=status, detail=detail)


def _json_or_none(content: bytes) -> Any:
    """The answer's JSON, or None when it is not JSON we can read (garbage, or nested past
    ``P.MAX_JSON_DEPTH``: a hostile server's 100,000-deep array must not crash the sync)."""
    if not content:
        return None
    try:
        return P.parse_json(content)
    except P.ProtocolError:
        return None


def _network_error(exc: BaseException) -> SyncError:
    """requests reports a refused/unreachable server and a stalled read differently."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SyncError("network_unreachable")
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc).lower()
        if "read timed out" in text or "connection aborted" in text or "reset" in text:
            return SyncError("network_stalled")
        return SyncError("network_unreachable")
    return SyncError("network_stalled")
