"""What one ``/v1/sync`` request carries (docs/PROTOCOL.md, "Relays and offline bundles").

The engine (engine.py) loops over requests; this module decides their size and what the
pull leaves out:

* :func:`encode` checks a request against the protocol's caps *before* sending it and picks
  the zstd level (large bodies harder: the line is what a township waits for);
* :func:`shrink` makes the next request smaller after one too large, locally or by a 413
  from a county with lower limits: fewer relay bundles, then a bundle alone, then fewer own
  events; a bundle no request can carry is set aside, one own record too large is fatal;
* :func:`held_claims` is ``pull.held``: the villages named by :func:`held_stations` (the
  township holds their relayed events; ``K_HELD_PENDING`` remembers those relayed while
  the pull had not yet reached the server's top), only those the county-signed register
  lists as active villages of this township, and never past where the county refused what
  the township holds (``relay.contradicted``);
* :func:`retry_waiting` lets a bundle that waited for its village's earlier one go again
  in the same sync once that one settled.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from petition_core import protocol as P
from petition_core.events import Event

from ..store import get_setting
from ..store.eventlog import held_through
from . import relay, trust
from .transport import SyncError

log = logging.getLogger(__name__)

K_HELD_PENDING = "sync.relayed_unpulled"   # JSON list of village station ids
BIG_BODY, HUGE_BODY = 64 * 1024, 4 * 1024 * 1024   # request bodies compressed harder


@dataclass
class Plan:
    """How much one request may carry, shrunk for the rest of a sync when too large."""

    batch_size: int
    max_relayed: int = P.MAX_PUSH_RELAYED
    own_with_bundles: bool = True


def encode(req: P.SyncRequest) -> bytes | None:
    """The request body, or None when it exceeds the protocol's caps (events, bundles,
    compressed and decompressed size): then it is made smaller before anything is sent."""
    if len(req.events) > P.MAX_PUSH_EVENTS or len(req.relayed) > P.MAX_PUSH_RELAYED:
        return None
    raw = P.canonical_json(req.to_wire())
    if len(raw) > P.MAX_DECOMPRESSED_BYTES:
        return None
    body = P.compress(raw, level(len(raw)))
    return body if len(body) <= P.MAX_COMPRESSED_BYTES else None


def level(size: int) -> int:
    """zstd level for a request body.  Large bodies (a relayed township day, a catch-up)
    are what a 64 kbit/s line waits for: level 17 takes ~0.5 s per MB on a slow PC and
    saves ~8 % of the bytes over level 3 (a 560 KB day: 125 → 112 KB, 1.6 s of line).
    Beyond a few MB the CPU would cost more than a fast line saves."""
    if size < BIG_BODY:
        return 3
    return 17 if size <= HUGE_BODY else 9


def shrink(plan: Plan, batch: list[Event], bundles: list[relay.PendingBundle],
           sent: set[Path]) -> int:
    """Make the next request smaller after a too-large one: fewer bundles first, then a
    bundle without own events, then (no bundle left) fewer own events.  A bundle too large
    even alone is set aside for a person (returns 1); one own event too large alone is a
    fatal ``body_too_large`` (nothing can make it smaller)."""
    if len(bundles) > 1:
        plan.max_relayed = max(1, len(bundles) // 2)
    elif bundles and batch:
        plan.own_with_bundles = False
    elif bundles:
        log.warning("a relay bundle is too large for any request: set aside")
        relay.set_aside(bundles[0], relay.TOO_LARGE)
        sent.add(bundles[0].path)
        return 1
    elif len(batch) > 1:
        plan.batch_size = max(1, len(batch) // 2)
    else:
        raise SyncError("body_too_large")
    return 0


def retry_waiting(bundles: list[relay.PendingBundle], waiting: dict[Path, str],
                  sent: set[Path]) -> None:
    """A bundle still queued after its answer waits for an earlier one of its village
    (``event_gap``).  When a later request of this sync settles a bundle of that village,
    the waiting one may go again in this same sync."""
    progressed = {b.station_id for b in bundles if not b.path.exists()}
    for path, sid in list(waiting.items()):     # those that waited in an earlier request
        if sid in progressed:
            sent.discard(path)
            del waiting[path]
    waiting.update({b.path: b.station_id for b in bundles if b.path.exists()})


def held_stations(s: Any, bundles: list[relay.PendingBundle]) -> list[str]:
    """The villages to name in ``pull.held``: those of this request's bundles, then those
    relayed earlier whose events may still lie above the cursor (at most MAX_PULL_HELD)."""
    now = list(dict.fromkeys(b.station_id for b in bundles))
    return (now + sorted(held_pending(s) - set(now)))[:P.MAX_PULL_HELD]


def held_claims(s: Any, bundles: list[relay.PendingBundle], division: str,
                contradicted: dict[str, int]) -> dict[str, int]:
    """``pull.held``: how far this township holds each named village's events from seq 1
    (``eventlog.held_through``), so the county leaves them out of the pull.  The claim
    makes the county send *less*, so it is made only for what the township checked: a
    village the county-signed register lists as an active station within ``division``
    (the same check its USB file passed at import; one revoked or unknown since is not
    claimed and its events come down like anyone's), and never from the seq where the
    county refused what the township holds (``contradicted``: then the county's own
    records come down and the conflict shows at the township instead of staying hidden)."""
    ours = {r.station_id for r in trust.stations_within(s, division)}
    held = held_through(s, [sid for sid in held_stations(s, bundles) if sid in ours])
    return {sid: min(n, contradicted[sid] - 1) if sid in contradicted else n
            for sid, n in held.items()}


def held_pending(s: Any) -> set[str]:
    try:
        return set(json.loads(get_setting(s, K_HELD_PENDING) or "[]"))
    except (ValueError, TypeError):
        return set()
