"""``GET /metrics``: the county server's figures in the Prometheus text format.

Served only when ``SUQIU_SERVER_METRICS_TOKEN`` is set, and then only to a request that
carries it (``Authorization: Bearer <token>``; compared in constant time): the figures name
every station and its last sync, which is nobody's business but the county's monitoring.
Without the setting the path answers 404 like any unknown path.

Every figure is read from the database at scrape time (a collector, not in-process
counters), so that every worker process of ``serve --workers N`` answers the same, and a
restart loses nothing:

* ``suqiu_stations{state}`` — enrolled stations, active and revoked;
* ``suqiu_events_stored`` — events merged into the county database;
* ``suqiu_events_refused{code}`` — pushed events the merge refused (voided), by code;
* ``suqiu_station_last_sync_timestamp_seconds{station,division,name}`` — per active
  station, its last successful sync (absent: never synced);
* ``suqiu_station_high_seq{station,division,name}`` — per station, its highest contiguous
  event number settled here (stored or refused): growth means it syncs.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from ..store.models import events, station_progress, stations, voided_events


def _timestamp(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


class DatabaseCollector(Collector):
    """The figures of one county database, read at each scrape."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(stations.c.station_id, stations.c.division,
                                       stations.c.name, stations.c.revoked_at,
                                       stations.c.last_sync_at)).all()
            stored = conn.execute(select(func.count()).select_from(events)).scalar_one()
            refused = conn.execute(select(voided_events.c.code, func.count())
                                   .group_by(voided_events.c.code)).all()
            # each station's highest contiguous sequence number settled here (stored or
            # voided): one row per station, where a GROUP BY over events would read the
            # whole change log at every scrape
            per_station: dict[str, int] = {
                sid: int(n) for sid, n in conn.execute(
                    select(station_progress.c.station_id, station_progress.c.high_seq)).all()}
        st = GaugeMetricFamily("suqiu_stations", "Enrolled stations", labels=["state"])
        revoked = sum(1 for r in rows if r.revoked_at)
        st.add_metric(["active"], len(rows) - revoked)
        st.add_metric(["revoked"], revoked)
        yield st
        yield GaugeMetricFamily("suqiu_events_stored", "Events merged into this database",
                                value=stored)
        ref = GaugeMetricFamily("suqiu_events_refused",
                                "Pushed events the merge refused (voided), by code",
                                labels=["code"])
        for code, n in sorted(refused):
            ref.add_metric([code], n)
        yield ref
        last = GaugeMetricFamily("suqiu_station_last_sync_timestamp_seconds",
                                 "Last successful sync of each active station (Unix time)",
                                 labels=["station", "division", "name"])
        pushed = GaugeMetricFamily("suqiu_station_high_seq",
                                   "Each station's highest contiguous event number settled "
                                   "here (stored or refused)",
                                   labels=["station", "division", "name"])
        for r in rows:
            labels = [r.station_id, r.division, r.name]
            pushed.add_metric(labels, per_station.get(r.station_id, 0))
            ts = _timestamp(r.last_sync_at)
            if ts is not None and not r.revoked_at:
                last.add_metric(labels, ts)
        yield last
        yield pushed
