"""Helpers for the pure-domain tests (a uniquely named module: `conftest` may be shared)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from stdnum.cn import ric

from petition_core.events import Event, make_payload
from petition_core.ids import uuid7

CST = timezone(timedelta(hours=8))
FENGQING = "530921000000"
LUODANG_TOWN = "530921108000"
LUODANG_VILLAGE = "530921108201"


def make_id(area: str = "110101", birth: date = date(1980, 1, 1), seq: str = "123") -> str:
    """A valid 18-digit ID with the check digit computed by stdnum (never a real person's:
    the sequence digits are arbitrary)."""
    body = f"{area}{birth:%Y%m%d}{seq}"
    return body + ric.calc_check_digit(body + "0")


class EventFactory:
    """Builds wire-valid events for one case, as stations would (station_seq per station,
    lamport = 1 + the highest lamport the actor has seen)."""

    def __init__(self) -> None:
        self.case_id = uuid7()
        self.seqs: dict[str, int] = {}

    def make(self, type_: str, data: dict[str, Any] | None = None, *, station: str = "S1",
             lamport: int = 1, actor: str = "clerk", sealed: bool = False,
             occurred_at: str = "2026-03-02T09:00:00+08:00") -> Event:
        seq = self.seqs.get(station, 0) + 1
        self.seqs[station] = seq
        payload = b"\x00opaque-ciphertext" if sealed else make_payload(data or {})
        return Event(event_id=uuid7(), case_id=self.case_id, station_id=station,
                     station_seq=seq, type=type_, lamport=lamport, actor=actor,
                     occurred_at=occurred_at, payload=payload,
                     payload_enc="sealed:test" if sealed else "json")


def registered_data(**overrides: Any) -> dict[str, Any]:
    """A realistic case.registered payload (凤庆县洛党镇, walk-in, land)."""
    data: dict[str, Any] = {
        "case_no": "530921108201-2026-0007", "query_code": "7KQ4XM",
        "division": LUODANG_VILLAGE, "channel": "visit", "category": "infrastructure",
        "statute_type": "appeal", "discipline": False,
        "received_at": "2026-03-02T09:00:00+08:00",
        "petitioner": {"name": "曾小明", "phone": "138 0013 8000", "anonymous": False},
        "summary": "修村道占用承包地，补偿款未发放",
    }
    data.update(overrides)
    return data


def now_cst() -> datetime:
    return datetime(2026, 11, 28, 10, 0, tzinfo=CST)
