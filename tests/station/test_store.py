"""The event log: gap-free station_seq, lamport, outbox and projection in one transaction,
remote events idempotent, seq conflicts refused, outbox/ack/quarantine, settings."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from station_helpers import TEST_VILLAGE

from petition_core.events import Event, EventDraft, EventFormatError, EventType, make_payload
from petition_core.ids import uuid7
from station_app.store import (
    StoreError,
    ack_events,
    append_events,
    apply_remote_events,
    case_events,
    get_setting,
    outbox_batch,
    quarantine_event,
    set_setting,
)
from station_app.store.eventlog import list_quarantine, outbox_count
from station_app.store.models import Station


@pytest.fixture
def station(store):
    with store.session() as s:
        s.add(Station(id=1, station_id="st-" + uuid7()[:8], station_code=TEST_VILLAGE,
                      division=TEST_VILLAGE, level=5, name="测试站", created_at="2026-01-01"))
    return store


def _reg(case_id: str, summary: str = "道路垮塌") -> EventDraft:
    return EventDraft(case_id, EventType.REGISTERED,
                      {"case_no": "x", "division": TEST_VILLAGE, "summary": summary,
                       "received_at": "2026-11-01T10:00:00+08:00",
                       "petitioner": {"name": "曾国富"}}, route=TEST_VILLAGE)


def _seqs(db) -> list[int]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT station_seq FROM event ORDER BY station_seq")]
    finally:
        con.close()


def test_append_requires_initialised_station(store):
    with pytest.raises(StoreError) as ei, store.session() as s:
        append_events(s, [_reg(uuid7())], "clerk")
    assert ei.value.code == "not_initialised"


def test_station_seq_gap_free_across_commits_and_rollbacks(station, tmp_paths):
    cases = [uuid7() for _ in range(5)]
    for i in range(60):
        if i % 7 == 3:  # a failing transaction must give its numbers back
            with pytest.raises(RuntimeError), station.session() as s:
                append_events(s, [_reg(uuid7())], "clerk")
                raise RuntimeError("operator cancelled")
            continue
        with station.session() as s:
            drafts = [_reg(cases[i % 5])] if i < 5 else [
                EventDraft(cases[i % 5], EventType.PROGRESS, {"note": f"第{i}次"})] * (1 + i % 3)
            append_events(s, drafts, "clerk")
    seqs = _seqs(tmp_paths.db_path)
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) > 60


def test_lamport_is_one_more_than_case_max(station):
    a, b = uuid7(), uuid7()
    with station.session() as s:
        evs = append_events(s, [_reg(a), _reg(b), EventDraft(a, EventType.PROGRESS,
                                                              {"note": "x"})], "clerk")
    assert [e.lamport for e in evs] == [1, 1, 2]
    # a remote event with a high lamport raises the next local one above it
    remote = Event(uuid7(), a, "other-station", 1, EventType.PROGRESS.value, 9, "them",
                   "2026-11-02T10:00:00+08:00", make_payload({"note": "县里"}))
    with station.session() as s:
        apply_remote_events(s, [remote])
        nxt = append_events(s, [EventDraft(a, EventType.PROGRESS, {"note": "y"})], "clerk")
    assert nxt[0].lamport == 10


def test_event_outbox_and_projection_commit_together(station, tmp_paths):
    case = uuid7()
    with station.session() as s:
        ev = append_events(s, [_reg(case)], "clerk")[0]
    con = sqlite3.connect(tmp_paths.db_path)
    assert con.execute("SELECT event_id FROM outbox").fetchall() == [(ev.event_id,)]
    assert con.execute("SELECT case_id, summary, petitioner_name FROM case_index").fetchall() \
        == [(case, "道路垮塌", "曾国富")]
    assert con.execute("SELECT count(*) FROM case_fts WHERE case_fts MATCH '道路垮'")\
        .fetchone() == (1,)
    # a projection that fails (a trigger refuses the row) rolls back the event and outbox
    con.execute("CREATE TRIGGER boom BEFORE INSERT ON case_index "
                "BEGIN SELECT RAISE(ABORT, 'projection broken'); END")
    con.commit()
    con.close()
    before = _seqs(tmp_paths.db_path)
    with pytest.raises(Exception, match="projection broken"), station.session() as s:
        append_events(s, [_reg(uuid7())], "clerk")
    assert _seqs(tmp_paths.db_path) == before
    with station.read() as s:
        assert outbox_count(s) == 1
    # the counter came back too: the next event takes the next number
    con = sqlite3.connect(tmp_paths.db_path)
    con.execute("DROP TRIGGER boom")
    con.commit()
    con.close()
    with station.session() as s:
        assert append_events(s, [_reg(uuid7())], "clerk")[0].station_seq == 2


def test_bad_draft_is_refused_and_writes_nothing(station, tmp_paths):
    with pytest.raises(EventFormatError), station.session() as s:
        append_events(s, [EventDraft("not-a-uuid", EventType.PROGRESS, {})], "clerk")
    assert _seqs(tmp_paths.db_path) == []


def _remote(case: str, seq: int, station_id: str = "st-remote", **kw) -> Event:
    return Event(kw.get("event_id", uuid7()), case, station_id, seq,
                 kw.get("type", EventType.REGISTERED.value), kw.get("lamport", 1), "them",
                 "2026-11-02T10:00:00+08:00",
                 make_payload(kw.get("data", {"summary": "县里转来", "division": TEST_VILLAGE})),
                 route=TEST_VILLAGE)


def test_apply_remote_is_idempotent_and_refuses_seq_conflicts(station):
    case = uuid7()
    evs = [_remote(case, 1), _remote(case, 2, type=EventType.ACCEPTED.value, lamport=2,
                                     data={"supersedes": None})]
    with station.session() as s:
        assert apply_remote_events(s, evs) == (2, 0)
    with station.session() as s:
        assert apply_remote_events(s, evs) == (0, 2)
        assert outbox_count(s) == 0          # pulled events are never pushed back
        assert len(case_events(s, case)) == 2
    with station.read() as s:
        assert s.execute(text("SELECT status FROM case_index")).scalar() == "accepted"
    with pytest.raises(StoreError) as ei, station.session() as s:
        apply_remote_events(s, [_remote(case, 2)])   # same (station, seq), other event_id
    assert ei.value.code == "seq_conflict"
    with pytest.raises(EventFormatError), station.session() as s:
        apply_remote_events(s, [_remote(case, 0)])


def test_own_events_coming_back_bump_the_counter(station):
    with station.read() as s:
        own = s.get(Station, 1).station_id
    with station.session() as s:
        apply_remote_events(s, [_remote(uuid7(), 41, station_id=own)])
        ev = append_events(s, [_reg(uuid7())], "clerk")[0]
    assert ev.station_seq == 42


def test_outbox_batch_ack_and_quarantine(station):
    with station.session() as s:
        evs = append_events(s, [_reg(uuid7()) for _ in range(5)], "clerk")
    with station.read() as s:
        batch = outbox_batch(s, 3)
    assert [e.station_seq for e in batch] == [1, 2, 3]
    assert batch[0] == evs[0]
    with station.session() as s:
        assert ack_events(s, [e.event_id for e in batch[:2]]) == 2
        assert ack_events(s, []) == 0
        quarantine_event(s, batch[2].event_id, "payload_invalid", "server said no")
    with station.read() as s:
        assert [e.station_seq for e in outbox_batch(s, 10)] == [4, 5]
        assert list_quarantine(s)[0][:2] == (batch[2].event_id, "payload_invalid")
        assert len(case_events(s, batch[2].case_id)) == 1   # quarantined, never dropped


def test_settings_roundtrip(store):
    with store.session() as s:
        assert get_setting(s, "pull.cursor") is None
        assert get_setting(s, "pull.cursor", "0") == "0"
        set_setting(s, "pull.cursor", "17")
    with store.session() as s:
        set_setting(s, "pull.cursor", "18")
    with store.read() as s:
        assert get_setting(s, "pull.cursor") == "18"


def test_pragmas(store):
    with store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2   # FULL
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
