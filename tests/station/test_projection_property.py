"""Property: whatever mix of local appends, rolled-back transactions and pulled remote
events (in any order, with duplicates) a station sees, the incremental projection equals a
rebuild from the event log, and station_seq stays gap-free."""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from station_helpers import TEST_VILLAGE

from petition_core.events import Event, EventDraft, EventType, make_payload
from petition_core.ids import uuid7
from station_app.paths import AppPaths
from station_app.store import append_events, apply_remote_events, open_store, projection
from station_app.store.models import Station

OPS = st.lists(st.tuples(st.sampled_from(["register", "progress", "accept", "decline",
                                          "conclude", "remote", "rollback"]),
                         st.integers(0, 5), st.booleans()), min_size=1, max_size=25)


def _dump(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT * FROM case_index ORDER BY case_id").fetchall()
        docs = con.execute("SELECT rowid, * FROM case_fts ORDER BY rowid").fetchall()
        return rows + docs
    finally:
        con.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_incremental_projection_equals_rebuild(ops):
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(Path(tmp)).ensure()
        store = open_store(paths)
        try:
            with store.session() as s:
                s.add(Station(id=1, station_id="st-local", station_code=TEST_VILLAGE,
                              division=TEST_VILLAGE, level=5, name="站", created_at="x"))
            cases: list[str] = []
            remote_seq = 0
            pulled: list[Event] = []
            for kind, pick, flag in ops:
                if kind == "register" or not cases:
                    case = uuid7()
                    with store.session() as s:
                        append_events(s, [EventDraft(case, EventType.REGISTERED, {
                            "summary": f"道路垮塌{len(cases)}", "category": "land",
                            "received_at": "2026-11-01T10:00:00+08:00",
                            "petitioner": {"name": "曾国富" if flag else "单玉芬"}},
                            route=TEST_VILLAGE)], "clerk")
                    cases.append(case)
                    continue
                case = cases[pick % len(cases)]
                if kind == "remote":
                    if flag and pulled:      # a duplicate delivery
                        ev = pulled[pick % len(pulled)]
                    else:
                        remote_seq += 1
                        ev = Event(uuid7(), case, "st-county", remote_seq,
                                   EventType.PROGRESS.value if flag else
                                   EventType.DECLINED.value, 1 + pick, "county",
                                   "2026-11-02T10:00:00+08:00",
                                   make_payload({"note": "县里", "reason": "不受理",
                                                 "supersedes": None}))
                        pulled.append(ev)
                    with store.session() as s:
                        apply_remote_events(s, [ev])
                    continue
                etype = {"progress": EventType.PROGRESS, "accept": EventType.ACCEPTED,
                         "decline": EventType.DECLINED, "conclude": EventType.CONCLUDED,
                         "rollback": EventType.PROGRESS}[kind]
                try:
                    with store.session() as s:
                        append_events(s, [EventDraft(case, etype, {
                            "note": "x", "reason": "r", "result": "已解决", "supersedes": None,
                            "at": "2026-11-03T10:00:00+08:00"})], "clerk")
                        if kind == "rollback":
                            raise KeyboardInterrupt
                except KeyboardInterrupt:
                    pass
            incremental = _dump(paths.db_path)
            with store.session() as s:
                projection.rebuild_all(s.connection())
            assert _dump(paths.db_path) == incremental
            con = sqlite3.connect(paths.db_path)
            seqs = [r[0] for r in con.execute(
                "SELECT station_seq FROM event WHERE station_id = 'st-local' ORDER BY 1")]
            con.close()
            assert seqs == list(range(1, len(seqs) + 1))
        finally:
            store.close()
