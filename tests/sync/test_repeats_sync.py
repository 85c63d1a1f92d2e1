"""The county's repeat findings reach the station (issue 9 item 6; docs/PROTOCOL.md
``repeats``): with a real server process, a second village registering the same person's
matter sees "县里发现：该诉求与 … 号案件可能重复" on its case after its pull.  From a hostile
server, a bad ``repeats`` item is refused on its own and the rest of the answer applies."""
from __future__ import annotations

import http.server
import json
import threading
from datetime import datetime, timedelta

import pytest
import zstandard

from petition_core import protocol as P
from petition_core.events import EventType
from petition_core.ids import uuid7
from station_app.services.cases import CaseService
from station_app.store.eventlog import EventDraft, append_events
from station_app.store.models import RepeatNotice
from station_app.sync.engine import SyncEngine

from .conftest import engine
from .stations import fake_enrolled, make_station

ID_NUMBER = "530921198001010018"   # a valid check character (GB 11643)


def _register(st, *, name: str, id_number: str, text: str, n: int = 1) -> str:
    received = datetime.now().astimezone().replace(microsecond=0) - timedelta(minutes=5)
    data = {"case_no": f"{st.division}-2026-{n:04d}", "query_code": "ABC234",
            "division": st.division, "channel": "visit", "category": "land",
            "statute_type": "appeal", "received_at": received.isoformat(),
            "summary": text, "account": text,
            "petitioner": {"name": name, "id_number": id_number, "anonymous": False}}
    case_id = uuid7()
    with st.store.session() as s:
        append_events(s, [EventDraft(case_id=case_id, type=EventType.REGISTERED, data=data,
                                     route=st.division)], "clerk")
    return case_id


def test_the_second_registering_village_sees_the_notice_after_its_pull(
        server, station_factory, area):
    first = station_factory(area.villages[0], "洛党村")
    second = station_factory(area.other_village, "别镇的村")   # another township
    earlier = _register(first, name="李四", id_number=ID_NUMBER,
                        text="孩子上学的校车停运了，早上要走两个小时山路")
    assert engine(first).sync_once().rejected == 0
    mine = _register(second, name="李四", id_number=ID_NUMBER,
                     text="自来水管冬天冻裂以后一直没人来修")
    report = engine(second).sync_once()
    assert (report.rejected, report.repeats_stored, report.repeats_refused) == (0, 1, 0)
    assert mine in report.changed_cases         # an open case page reloads
    detail = CaseService(second.store).detail(mine)
    assert [(r.matched_case_id, r.matched_case_no, r.reasons, r.in_progress_below)
            for r in detail.repeats] == [
        (earlier, f"{area.villages[0]}-2026-0001", ("id_number",), False)]
    # the first village's case is not the one that repeats: nothing for it
    engine(first).sync_once()
    assert CaseService(first.store).detail(earlier).repeats == ()


class _Fixed(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "zstd")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake(tmp_path):
    handler = type("H", (_Fixed,), {})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    st = make_station(tmp_path / "st", "530921108201")
    fake_enrolled(st.store, f"http://127.0.0.1:{srv.server_port}", st.division)
    yield handler, st
    srv.shutdown()
    st.close()


def test_bad_repeats_from_a_hostile_server_are_refused_without_blocking_the_pull(fake):
    handler, st = fake
    held = _register(st, name="王五", id_number=ID_NUMBER, text="修路占地补偿款没发")
    with st.store.session() as s:   # as if the case were already pushed
        from station_app.store.eventlog import ack_events
        from station_app.store.models import EventRow

        ack_events(s, [r.event_id for r in s.query(EventRow)])
    other = uuid7()
    good = {"case_id": held, "matched_case_id": other,
            "matched_case_no": "530921108202-2025-0003", "reason": "content", "score": 0.71,
            "flag": "in_progress_below"}
    bad = [
        "not an object",
        {**good, "reason": "because"},                       # unknown reason
        {**good, "score": 7},                                # out of range
        {**good, "score": float("nan")},
        {**good, "score": True},
        {**good, "matched_case_no": "<b>x</b>"},             # not a case number
        {**good, "matched_case_id": "../../etc"},            # not a uuid
        {**good, "flag": "accept_anyway"},
        {**good, "petitioner": "张三"},                      # an extra key
        {**good, "matched_case_id": held},                   # matches itself
    ]
    unknown_case = {**good, "case_id": uuid7()}              # a case this station lacks
    # plain json (not encode_body): a hostile server may send NaN, which JSON parsers take
    handler.body = zstandard.ZstdCompressor().compress(json.dumps(
        {"acks": [], "pull": {"events": [], "cursor": 42, "more": False},
         "repeats": [*bad, good, unknown_case]}).encode())
    report = SyncEngine(st.store, st.paths).sync_once()
    assert (report.repeats_stored, report.repeats_refused) == (1, len(bad))
    from station_app.store import get_setting
    from station_app.sync.engine import K_CURSOR

    with st.store.read() as s:
        assert get_setting(s, K_CURSOR) == "42"             # the rest of the answer applied
        assert [(n.case_id, n.matched_case_id, n.flag) for n in s.query(RepeatNotice)] == [
            (held, other, "in_progress_below")]
    assert CaseService(st.store).detail(held).repeats[0].in_progress_below
    # "repeats" that is not a list at all: no findings, the pull still applies
    handler.body = P.encode_body({"acks": [], "pull": {"events": [], "cursor": 43,
                                                       "more": False}, "repeats": {"x": 1}})
    report = SyncEngine(st.store, st.paths).sync_once()
    assert (report.repeats_stored, report.repeats_refused) == (0, 0)
    with st.store.read() as s:
        assert get_setting(s, K_CURSOR) == "43"
