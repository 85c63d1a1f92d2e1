"""A hostile or broken city: the county's upstream client reads every answer bounded
(issue 7 A5).  The city is a raw HTTP server that answers with fixed bytes and counts how
many of them the county took before hanging up."""
from __future__ import annotations

import base64
import gzip
import hashlib
import http.server
import socket
import threading
import tracemalloc

import pytest

from petition_core.protocol import MAX_RESPONSE_BYTES, ProtocolError, new_private_key
from petition_core.protocol import private_key_bytes as raw_key
from sync_server.services.identity import load_or_create
from sync_server.services.state import set_state
from sync_server.services.upstream import get_state, sync_upstream
from sync_server.services.upstream_blobs import remember_blobs, sync_blobs
from sync_server.store.db import make_engine, migrate_to_head

from .helpers import COUNTY


class _City(http.server.BaseHTTPRequestHandler):
    """Answers every request with ``body`` (no Content-Length: the county cannot know the
    size up front) and records how many bytes the county accepted."""

    protocol_version = "HTTP/1.0"   # close-delimited body
    body = b""
    headers_out: dict[str, str] = {}
    sent: list[int] = []
    answered: threading.Event

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        self.send_response(200)
        for k, v in self.headers_out.items():
            self.send_header(k, v)
        self.end_headers()
        done = 0
        try:
            view = memoryview(self.body)
            while done < len(view):
                self.wfile.write(view[done:done + 65536])
                done += min(65536, len(view) - done)
        except OSError:
            pass
        finally:
            self.sent.append(done)
            self.answered.set()

    do_POST = do_GET = do_PUT = _answer  # noqa: N815

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def county_and_city(tmp_path):  # type: ignore[no-untyped-def]
    handler = type("City", (_City,), {"sent": [], "answered": threading.Event()})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    engine = make_engine(f"sqlite:///{tmp_path / 'county.db'}")
    migrate_to_head(engine)
    with engine.begin() as conn:   # as if enrolled at this city
        set_state(conn, **{"upstream.url": f"http://127.0.0.1:{srv.server_port}",
                      "upstream.station_id": "county-1",
                      "upstream.key": base64.b64encode(raw_key(new_private_key())).decode(),
                      "upstream.counter": 0, "upstream.push_pos": 0,
                      "upstream.pull_cursor": 0, "upstream.division": COUNTY})
    keys = tmp_path / "keys"           # the county's identity (protocol 2)
    ident = load_or_create(keys, engine)
    yield handler, engine, tmp_path, (ident, keys)
    srv.shutdown()
    engine.dispose()


def test_an_endless_answer_is_cut_at_the_response_cap(county_and_city):
    handler, engine, _, (ident, keys) = county_and_city
    handler.body = b"x" * (4 * MAX_RESPONSE_BYTES)           # 64 MiB, no Content-Length
    handler.headers_out = {"Content-Type": "application/json"}
    with pytest.raises(ProtocolError) as exc:
        sync_upstream(engine, ident, keys)
    # what the city got rid of before the county hung up: the cap plus socket buffers
    assert handler.answered.wait(60)
    assert handler.sent and handler.sent[0] < MAX_RESPONSE_BYTES + (8 << 20), handler.sent
    assert (exc.value.code, exc.value.detail) == ("response_malformed",
                                                  {"limit": MAX_RESPONSE_BYTES})


def test_a_gzip_answer_is_refused_not_inflated(county_and_city):
    handler, engine, _, (ident, keys) = county_and_city
    handler.body = gzip.compress(b" " * (100 << 20) + b"{}", compresslevel=9)
    handler.headers_out = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    assert len(handler.body) < 1 << 20                      # 100 MiB of JSON inflated
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError) as exc:
            sync_upstream(engine, ident, keys)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (exc.value.code, exc.value.detail) == ("response_malformed", {"encoding": "gzip"})
    assert peak < 32 << 20, peak


def test_a_gzip_blob_download_is_refused_and_nothing_is_stored(county_and_city):
    handler, engine, root, (_, keys) = county_and_city
    data = b"\0" * (50 << 20)
    sha = hashlib.sha256(data).hexdigest()
    handler.body = gzip.compress(data)
    handler.headers_out = {"Content-Type": "application/octet-stream",
                           "Content-Encoding": "gzip", "Content-Length": str(len(data))}
    remember_blobs(engine, {sha}, "down")
    with pytest.raises(ProtocolError) as exc:
        sync_blobs(engine, get_state(engine, keys), root / "blobs")
    assert (exc.value.code, exc.value.detail) == ("response_malformed", {"encoding": "gzip"})
    assert not list((root / "blobs").rglob("*")) or \
        sum(p.stat().st_size for p in (root / "blobs").rglob("*") if p.is_file()) == 0
