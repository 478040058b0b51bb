"""Indicator and reporting feeds: the record, published as stream entries the wall shows.

An `indicator` feed carries the current revision of its newest period (with `revised` when it
was corrected); a `reporting` feed carries the completeness summary. Each is written when the
record changes, and at its cadence otherwise, so a screen can tell a live link from a dead one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError
from sqlalchemy import func, select

from opswall import clock
from opswall.config.feed_sources import IndicatorSource
from opswall.config.live import ConfigSource
from opswall.config.models import Feed
from opswall.feeds.kinds import SOURCE_KINDS
from opswall.feeds.streams import stream_maxlen
from opswall.indicators.catalogue import Catalogue, CatalogueCache
from opswall.indicators.completeness import summary
from opswall.indicators.reports import current, submissions
from opswall.store.db import Database
from opswall.store.redis_client import AsyncClient
from opswall.store.schema import IndicatorReport

log = logging.getLogger("opswall.indicators")


def indicator_fields(
    db: Database, source: IndicatorSource, as_of: datetime | None = None
) -> dict[str, str] | None:
    """The entry the publisher writes; `as_of`: the one it wrote then (replays, issue 24)."""
    found = current(db, source.code, source.area, as_of)
    if found is None:
        return None
    report, before = found
    fields: dict[str, Any] = {
        "value": report.value,
        "period": report.period,
        "revision": report.revision,
        "revised": 1 if report.revision > 1 else 0,
        "submitted_ms": clock.epoch_ms(report.submitted_at),
        "submitted_by": report.submitted_by,
    }
    if report.reason:
        fields["reason"] = report.reason
    if before is not None:
        fields["previous"] = before.value
        fields["previous_period"] = before.period
    return {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v)
        for k, v in fields.items()
    }


def reporting_fields(db: Database, catalogue: Catalogue, zone: str) -> dict[str, str]:
    figures = summary(catalogue, submissions(db), datetime.now(ZoneInfo(zone)))
    return {"json": json.dumps(figures, ensure_ascii=False)}


class RecordPublisher:
    def __init__(self, source: ConfigSource, redis: AsyncClient, db: Database) -> None:
        self.source = source
        self.redis = redis
        self.db = db
        self.catalogue = CatalogueCache(source)
        self.sent: dict[str, tuple[float, dict[str, str]]] = {}  # feed -> (when, fields)
        self.record_mark: tuple[int, int] | None = None

    def _record_mark(self) -> tuple[int, int]:
        with self.db.session() as session:
            row = session.execute(
                select(func.count(), func.coalesce(func.max(IndicatorReport.id), 0))
            ).one()
        return int(row[0]), int(row[1])

    def _fields(self, feed: Feed) -> dict[str, str] | None:
        if isinstance(feed.source, IndicatorSource):
            return indicator_fields(self.db, feed.source)
        catalogue = self.catalogue.get()
        if catalogue is None:
            return None
        return reporting_fields(self.db, catalogue, self.source.current.config.wall.timezone)

    def _due(self) -> list[tuple[Feed, dict[str, str]]]:
        """Feeds whose entry changed, or whose cadence came round (runs in a thread)."""
        feeds = [
            f for f in self.source.current.config.feeds if SOURCE_KINDS.of(f).writer == "publisher"
        ]
        if not feeds:
            return []
        mark = self._record_mark()
        changed, self.record_mark = mark != self.record_mark, mark
        now = time.monotonic()
        due = []
        for feed in feeds:
            last = self.sent.get(feed.id)
            if last is not None and not changed and now - last[0] < feed.cadence:
                continue
            fields = self._fields(feed)
            if fields is None:
                continue
            if last is None or last[1] != fields or now - last[0] >= feed.cadence:
                due.append((feed, fields))
        return due

    async def run_forever(self, interval: float = 1.0) -> None:
        while True:
            try:
                for feed, fields in await asyncio.to_thread(self._due):
                    await self.redis.xadd(
                        feed.stream_key,
                        cast(Any, fields),
                        maxlen=stream_maxlen(feed),
                        approximate=True,
                    )
                    self.sent[feed.id] = (time.monotonic(), fields)
            except (RedisError, OSError) as exc:
                log.warning("record publisher waiting for Redis (%s)", exc)
            except Exception as exc:  # the database: try again next round
                log.warning("record publisher could not read the record (%s)", exc)
            await asyncio.sleep(interval)
