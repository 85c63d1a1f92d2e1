"""Small builders shared by the station tests (forms, row counts)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

TEST_VILLAGE = "530921108203"      # same as tests/conftest.py

CST = timezone(timedelta(hours=8))
# Forms use the machine's own zone: clocks take the date of received_at and compare it
# with date.today(), exactly as on a station PC (whose zone is CST anyway).
TABLES = ("event", "outbox", "counter", "case_index", "case_fts", "attachment", "operator",
          "station", "setting", "quarantine")


def form(**over: Any) -> dict[str, Any]:
    """A valid registration form for the test village; keyword overrides (dotted with __)."""
    f: dict[str, Any] = {
        "channel": "visit", "category": "land", "statute_type": "appeal",
        "received_at": (datetime.now().astimezone()
                        - timedelta(days=1)).isoformat(timespec="minutes"),
        "petitioner": {"name": "李建华", "id_number": "53092119800101123X",
                       "phone": "13812345678", "address_division": TEST_VILLAGE,
                       "address_detail": "大村村民小组"},
        "summary": "承包地被邻居占用", "account": "我家承包地被邻居占用约半亩，多次协商无果。",
        "demands": "请求调解并退还土地",
    }
    for key, value in over.items():
        parts = key.split("__")
        cur = f
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        cur[parts[-1]] = value
    return f


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def ship(src: Any, dst: Any, case_id: str) -> int:
    """Copy every event of one case from one station's database to another (what sync
    does, without the wire): the receiving station's store takes them as pulled."""
    from station_app.store import apply_remote_events, case_events

    with src.store.read() as s:
        events = case_events(s, case_id)
    with dst.store.session() as s:
        applied, _dup = apply_remote_events(s, events)
    return applied
