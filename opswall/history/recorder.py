"""The recorder: every feed entry, from every producer, into the history database.

It reads the streams through a consumer group, so each entry is recorded once however many
recorders run, and acknowledged only after its row is committed: a recorder that dies
mid-batch leaves the batch pending, and the next start records it (duplicates are ignored by
the key). Redis restarted empty loses its groups; they are made again and reading goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import time
from typing import Any

from redis.exceptions import RedisError, ResponseError

from opswall.clock import now_ms
from opswall.config.live import ConfigSource
from opswall.config.models import Feed, WallConfig
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.kinds import SOURCE_KINDS
from opswall.feeds.stream_ids import as_text, raw_entries, stream_items
from opswall.history.store import Row, insert_ignoring, prune, row_of
from opswall.keys import HISTORY_GROUP
from opswall.replay import states
from opswall.store.db import Database
from opswall.store.redis_client import AsyncClient, is_cluster, slot_groups

log = logging.getLogger("opswall.history")

PRUNE_EVERY = 600.0


def recorded_feeds(config: WallConfig) -> dict[str, Feed]:
    """Stream key -> feed, for the feeds whose entries go to the history database."""
    return {feed.stream_key: feed for feed in config.feeds if SOURCE_KINDS.recorded(feed)}


class Recorder:
    def __init__(self, source: ConfigSource, redis: AsyncClient, db: Database) -> None:
        self.source = source
        self.redis = redis
        self.db = db
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self.grouped: set[str] = set()
        self.recorded = 0
        self.skipped = 0  # entries the contract refuses: not recorded
        self.failures = 0  # entries whose handling failed unforeseen: not recorded
        self.next_prune = time.monotonic() + 30

    async def _ensure_groups(self, keys: list[str]) -> None:
        for key in keys:
            if key in self.grouped:
                continue
            try:
                await self.redis.xgroup_create(key, HISTORY_GROUP, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
            self.grouped.add(key)

    async def step(self, block_ms: int = 1000) -> int:
        """Record what is pending for this consumer, then what is new. Returns entries stored."""
        feeds = recorded_feeds(self.source.current.config)
        if not feeds:
            await asyncio.sleep(block_ms / 1000)
            return 0
        await self._ensure_groups(list(feeds))
        # On a Redis Cluster one read names the streams of one hash slot; history is not on the
        # live path, so several groups are read in turn without blocking, then the step rests.
        groups = list(slot_groups(list(feeds), is_cluster(self.redis)).values())
        stored = 0
        for keys in groups:
            pending = await self.redis.xreadgroup(
                HISTORY_GROUP, self.consumer, {k: "0" for k in keys}, count=500
            )
            stored += await self._store(feeds, pending)
        if stored:
            return stored
        block = block_ms if len(groups) == 1 else None
        for keys in groups:
            fresh = await self.redis.xreadgroup(
                HISTORY_GROUP, self.consumer, {k: ">" for k in keys}, count=500, block=block
            )
            stored += await self._store(feeds, fresh)
        if not stored and block is None:
            await asyncio.sleep(block_ms / 1000)
        return stored

    async def _store(self, feeds: dict[str, Feed], response: Any) -> int:
        rows = []
        acks: dict[str, list[str]] = {}
        for raw_key, entries in stream_items(response):
            key = as_text(raw_key)
            feed = feeds.get(key)
            for entry_id, raw in raw_entries(entries):
                acks.setdefault(key, []).append(entry_id)
                row = self._row(feed, entry_id, raw) if feed is not None else None
                if row is not None:
                    rows.append(row)
        if not acks:
            return 0
        await asyncio.to_thread(insert_ignoring, self.db, rows)
        for key, ids in acks.items():
            await self.redis.xack(key, HISTORY_GROUP, *ids)
        self.recorded += len(rows)
        return len(rows) or len(acks)

    def _row(self, feed: Feed, entry_id: str, raw: dict[Any, Any]) -> Row | None:
        """One entry's history row; None for one the contract refuses (the gateway keeps it as a
        dead letter) or whose handling fails unforeseen: skipped and counted, never retried,
        so one entry cannot hold up the rest (issue 17)."""
        try:
            decoded = decode_entry(entry_id, raw)
            if isinstance(decoded, FeedEntry):
                return row_of(feed.id, decoded)
        except Exception:  # isolation: an unforeseen failure is this entry's alone
            self.failures += 1
            log.exception("history of %s: entry %s skipped", feed.id, entry_id)
            return None
        self.skipped += 1
        return None

    async def prune_due(self) -> None:
        if time.monotonic() < self.next_prune:
            return
        self.next_prune = time.monotonic() + PRUNE_EVERY
        now = now_ms()
        config = self.source.current.config
        kept = await asyncio.to_thread(
            states.prune, self.db, now - int(config.wall.replay_keep * 1000)
        )
        if kept:
            log.info("wall states: dropped %d versions older than wall.replay_keep", kept)
        for feed in recorded_feeds(config).values():
            dropped = await asyncio.to_thread(
                prune, self.db, feed.id, now - int(feed.history.keep * 1000)
            )
            if dropped:
                log.info(
                    "history of %s: dropped %d entries older than its retention", feed.id, dropped
                )

    async def run_forever(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self.step()
                await self.prune_due()
                backoff = 0.5
            except ResponseError as exc:
                if "NOGROUP" in str(exc):
                    self.grouped.clear()  # Redis came back empty: make the groups again
                    continue
                log.warning("history recorder: %s", exc)
                await asyncio.sleep(backoff)
            except (RedisError, OSError) as exc:
                log.warning("history recorder paused (%s); retrying in %.1fs", exc, backoff)
                self.grouped.clear()
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, 10.0)
            except Exception as exc:  # the database: keep the entries pending and retry
                log.warning("history recorder could not write (%s); retrying", exc)
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, 10.0)
