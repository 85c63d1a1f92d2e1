"""The upward link: this server as a client of the level above (docs/PROTOCOL.md, "Upward
sync") — its state in ``server_state``, signed requests with a persisted counter, and how
answers are read.  upstream.py (events, register, enrollment) and upstream_blobs.py
(attachments) both use it; neither imports the other's internals.

Answers are read like a station reads its county's (station_app/sync/transport.py):
streamed and capped at ``MAX_RESPONSE_BYTES`` as they arrive, never decoded by the HTTP
library (we ask for zstd only; a gzip answer is refused, not inflated), then decompressed
under ``MAX_DECOMPRESSED_BYTES`` and parsed with the nesting cap.  A compromised or broken
city cannot make the county buffer more than that.
"""
from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine, select

from petition_core.protocol import (
    CONTENT_ENCODING,
    MAX_RESPONSE_BYTES,
    ProtocolError,
    decode_response,
    load_private_key,
    sign_request,
)

from ..store.models import server_state
from .identity import UPSTREAM_KEY_FILE, pem, read_key, write_private
from .state import set_state

log = logging.getLogger(__name__)

UPSTREAM = "upstream"  # received_from of events that came down from the level above
TIMEOUT = (10, 120)
K_KEY_PATH = "upstream.key_path"   # not stored: where get_state found the client key


def get_state(engine: Engine, keys_dir: Path | None = None) -> dict[str, str]:
    """Our state as a client of the level above; with ``keys_dir``, where our client key
    is (an older database kept it in ``server_state``: it moves out to the file here)."""
    with engine.connect() as conn:
        st = {r.key: r.value for r in conn.execute(select(server_state))}
    if keys_dir is not None:
        path = Path(keys_dir) / UPSTREAM_KEY_FILE
        if "upstream.key" in st:
            if not path.exists():
                write_private(path, pem(load_private_key(base64.b64decode(st["upstream.key"]))))
            with engine.begin() as conn:
                conn.execute(server_state.delete().where(server_state.c.key == "upstream.key"))
            del st["upstream.key"]
            log.warning("upstream client key moved out of the database into %s", path)
        st[K_KEY_PATH] = str(path)
    return st


def send(method: str, url: str, body: bytes, headers: dict[str, str]) -> requests.Response:
    """One request to the level above; its answer is left unread (``read_answer``)."""
    return requests.request(method, url, data=body or None,
                            headers={**headers, "Accept-Encoding": CONTENT_ENCODING},
                            timeout=TIMEOUT, stream=True)


def check_encoding(resp: requests.Response, allowed: tuple[str, ...]) -> None:
    enc = resp.headers.get("Content-Encoding", "").strip().lower()
    if enc not in ("", "identity", *allowed):
        resp.close()
        raise ProtocolError("response_malformed", 502, {"encoding": enc[:20]})


def read_answer(resp: requests.Response, cap: int = MAX_RESPONSE_BYTES) -> bytes:
    """The answer's bytes as sent, refusing (``response_malformed``) past ``cap``."""
    try:
        check_encoding(resp, (CONTENT_ENCODING,))
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise ProtocolError("response_malformed", 502, {"limit": cap})
        buf = bytearray()
        while chunk := resp.raw.read(1 << 16, decode_content=False):
            buf += chunk
            if len(buf) > cap:
                raise ProtocolError("response_malformed", 502, {"limit": cap})
        return bytes(buf)
    finally:
        resp.close()


def checked_answer(resp: requests.Response) -> Any:
    """The decoded answer of a 200; any other status raises its error code as a
    ``ProtocolError`` (an unreadable answer: ``response_malformed``)."""
    raw = read_answer(resp)
    try:
        data = decode_response(raw)
    except ProtocolError:
        raise ProtocolError("response_malformed", 502, "upstream answer") from None
    if resp.status_code != 200:
        body = data if isinstance(data, dict) else {}
        raise ProtocolError(body.get("error", "internal_error"), resp.status_code,
                            body.get("detail"))
    return data


def signed_request(engine: Engine, st: dict[str, str], method: str, path: str,
                   body: bytes = b"", headers: Mapping[str, str | None] | None = None
                   ) -> requests.Response:
    """One request to the level above, signed with our upstream key and the next counter.
    The answer is unread: pass it to ``checked_answer``/``read_answer``, or close it."""
    counter = int(st["upstream.counter"]) + 1
    with engine.begin() as conn:  # persisted BEFORE sending: a crash never reuses it
        set_state(conn, **{"upstream.counter": counter})
    st["upstream.counter"] = str(counter)
    key = read_key(Path(st[K_KEY_PATH]))
    hdrs = sign_request(key, st["upstream.station_id"], counter, method, path, body,
                        server_id=st.get("upstream.server_id", ""),
                        epoch=int(st.get("upstream.epoch", "1")))
    for k, v in (headers or {}).items():   # None removes a default header
        if v is None:
            hdrs.pop(k, None)
        else:
            hdrs[k] = v
    return send(method, st["upstream.url"] + path, body, hdrs)
