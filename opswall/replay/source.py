"""The replay's reads (issue 24): what the history database kept about the wall at an instant,
gathered into a `Moment` for the pure core. Nothing here reads Redis."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from opswall.config.feed_sources import IndicatorSource
from opswall.config.live import Snapshot, snapshot_of
from opswall.config.loader import load_config_text
from opswall.config.models import Feed, WallConfig
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.kinds import SOURCE_KINDS
from opswall.gateway.joins import history_by_feed
from opswall.history import store as history
from opswall.indicators.publisher import indicator_fields
from opswall.replay import states
from opswall.replay.core import Limit, Moment
from opswall.store.db import Database
from opswall.store.schema import ConfigRevision
from opswall.tiles.registry import TileRegistry

CONFIGS_KEPT = 8  # parsed revisions a replay keeps at hand: playing reads the same one


class ReplaySource:
    def __init__(self, db: Database, path: Path, registry: TileRegistry) -> None:
        self.db = db
        self.path = path  # where the catalogue a revision names is looked up
        self.registry = registry
        self._configs: dict[int, Snapshot] = {}
        self._lock = threading.Lock()

    def revision_at(self, at_ms: int) -> tuple[int, datetime] | None:
        """The id and time of the config revision in force at `at_ms` (None: before the first)."""
        at = datetime.fromtimestamp(at_ms / 1000, UTC)
        query = (
            select(ConfigRevision.id, ConfigRevision.at)
            .where(ConfigRevision.at <= at)
            .order_by(ConfigRevision.id.desc())
            .limit(1)
        )
        with self.db.session() as s:
            row = s.execute(query).first()
        return (int(row[0]), row[1]) if row else None

    def snapshot(self, revision: int) -> Snapshot:
        with self._lock:
            if revision in self._configs:
                return self._configs[revision]
        with self.db.session() as s:
            text = s.get_one(ConfigRevision, revision).text
        parsed = snapshot_of(load_config_text(text, self.path, self.registry))
        with self._lock:
            if len(self._configs) >= CONFIGS_KEPT:
                self._configs.pop(next(iter(self._configs)))
            self._configs[revision] = parsed
        return parsed

    def moment(self, at_ms: int, now_ms: int, feeds: frozenset[str] | None = None) -> Moment | None:
        """The wall at `at_ms` as kept (None: before the first config revision); `feeds`: only
        these feeds' past is read (a screen's)."""
        found = self.revision_at(at_ms)
        if found is None:
            return None
        snapshot = self.snapshot(found[0])
        config = snapshot.config
        entries: dict[str, list[FeedEntry]] = {}
        limits: dict[str, Limit] = {}
        back = history_by_feed(config)
        for feed in config.feeds:
            if feeds is not None and feed.id not in feeds:
                continue
            why = self._limit(feed, at_ms, now_ms)
            if why is not None:
                limits[feed.id] = why
            entries[feed.id] = self._entries(config, feed, at_ms, back.get(feed.id, 0))
        return Moment(at_ms, snapshot, states.at(self.db, at_ms), entries, limits)

    def _limit(self, feed: Feed, at_ms: int, now_ms: int) -> Limit | None:
        if isinstance(feed.source, IndicatorSource):
            return None  # rebuilt from the indicator record, which is never pruned
        if not SOURCE_KINDS.recorded(feed):
            return "unrecorded"
        return "before_retention" if at_ms < now_ms - feed.history.keep * 1000 else None

    def _entries(self, config: WallConfig, feed: Feed, at_ms: int, back_ms: int) -> list[FeedEntry]:
        if isinstance(feed.source, IndicatorSource):
            # The publisher rewrites the current revision at every cadence; its entry at the
            # instant carries the revision that was current then (corrections included).
            fields = indicator_fields(
                self.db, feed.source, datetime.fromtimestamp(at_ms / 1000, UTC)
            )
            # Decoded as the gateway decodes the stream entry the publisher writes.
            entry = decode_entry(f"{at_ms}-0", dict(fields)) if fields else None
            return [entry] if isinstance(entry, FeedEntry) else []
        if not SOURCE_KINDS.recorded(feed):
            return []
        return history.load(self.db, feed.id, at_ms - back_ms, f"{at_ms + 1}-0")
