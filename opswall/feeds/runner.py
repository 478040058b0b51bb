"""The feed runner: drives every simulated feed on its cadence, every adapter (HTTP, SQL,
MQTT), the indicator publishers and the history recorder, and XADDs contract entries.

It writes through the same contract as external producers (`feeds/contract.py`), caps each stream
with `MAXLEN ~` sized for the replay window we promise, and survives Redis going away. An
adapter that fails is restarted with backoff and reports why; it never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import random
import time
from typing import Any, cast

from redis.exceptions import RedisError

from opswall.config.live import WATCH_INTERVAL, ConfigSource
from opswall.config.models import Feed, WallConfig
from opswall.feeds.adapters.base import Adapter, FeedOutlet
from opswall.feeds.kinds import SOURCE_KINDS, adapter_for
from opswall.feeds.simulator import Simulator, simulator_for
from opswall.feeds.streams import stream_maxlen
from opswall.store.db import Database
from opswall.store.redis_client import connect_async

log = logging.getLogger("opswall.feeds")

MAX_BACKOFF = 60.0


class FeedRunner:
    def __init__(self, source: ConfigSource, redis_url: str) -> None:
        self.source = source
        self.redis = connect_async(redis_url, socket_timeout=5)
        self.simulators: dict[str, Simulator] = {}
        self.written = 0
        self.adapters: dict[str, tuple[Feed, asyncio.Task[None]]] = {}

    async def adapters_forever(self) -> None:
        """Keep one task per adapter feed; restart a feed's task when its config changes."""
        while True:
            wanted = {f.id: f for f in self.source.current.config.feeds}
            for feed_id, (feed, task) in list(self.adapters.items()):
                if wanted.get(feed_id) != feed:
                    task.cancel()
                    del self.adapters[feed_id]
            for feed in wanted.values():
                if feed.id not in self.adapters and SOURCE_KINDS.of(feed).writer == "adapter":
                    task = asyncio.create_task(self.drive(feed), name=f"adapter:{feed.id}")
                    self.adapters[feed.id] = (feed, task)
            await asyncio.sleep(WATCH_INTERVAL)

    async def drive(self, feed: Feed) -> None:
        """Run one adapter forever: write its batches, report health, back off on failure."""
        outlet = FeedOutlet(self.redis, feed, feed.source.kind)
        backoff = 1.0
        while True:
            adapter: Adapter | None = None
            try:
                adapter = adapter_for(feed, self.redis)
                assert adapter is not None
                async for batch in adapter.batches():
                    await outlet.write(batch)
                    if not batch:
                        await outlet.polled()
                    self.written += len(batch)
                    backoff = 1.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # an adapter must never take the runner down
                reason = str(exc) or type(exc).__name__
                log.warning(
                    "feed %s (%s): %s; retrying in %.0fs",
                    feed.id,
                    feed.source.kind,
                    reason,
                    backoff,
                )
                # Redis may be away too: then the health page shows the feed as silent.
                with contextlib.suppress(RedisError, OSError):
                    await outlet.failed(reason)
                await asyncio.sleep(backoff * random.uniform(0.7, 1.0))
                backoff = min(backoff * 2, MAX_BACKOFF)
            finally:
                if adapter is not None:
                    await adapter.close()

    def _simulated(self, config: WallConfig) -> list[Feed]:
        feeds = []
        for feed in config.feeds:
            if feed.id not in self.simulators:
                simulator = simulator_for(feed)
                if simulator is None:
                    continue
                self.simulators[feed.id] = simulator
            feeds.append(feed)
        return feeds

    async def run(self, db: Database | None = None) -> None:
        """Everything the feeds part does, until cancelled. With a database, entries are also
        recorded in history and the indicator record is published."""
        jobs = [self.simulate_forever(), self.adapters_forever()]
        if db is not None:
            from opswall.history.recorder import Recorder
            from opswall.indicators.publisher import RecordPublisher

            jobs.append(Recorder(self.source, self.redis, db).run_forever())
            jobs.append(RecordPublisher(self.source, self.redis, db).run_forever())
        await asyncio.gather(*jobs)

    async def simulate_forever(self) -> None:
        """Write simulated entries forever; reschedules when the config's feeds change."""
        config = self.source.current.config
        due: list[tuple[float, str]] = [(time.monotonic(), f.id) for f in self._simulated(config)]
        heapq.heapify(due)
        backoff = 0.5
        next_check = 0.0
        while True:
            if time.monotonic() >= next_check:  # stat the config file twice a second, not per entry
                next_check = time.monotonic() + WATCH_INTERVAL
                self.source.refresh()
            if self.source.current.config is not config:
                config = self.source.current.config
                known = {feed_id for _, feed_id in due}
                for feed in self._simulated(config):
                    if feed.id not in known:
                        heapq.heappush(due, (time.monotonic(), feed.id))
            if not due:
                await asyncio.sleep(0.5)
                continue
            at, feed_id = heapq.heappop(due)
            await asyncio.sleep(max(0.0, min(at - time.monotonic(), 0.5)))
            if at > time.monotonic():
                heapq.heappush(due, (at, feed_id))
                continue
            found = next((f for f in config.feeds if f.id == feed_id), None)
            if found is None or feed_id not in self.simulators:
                continue  # removed from the config
            feed = found
            try:
                await self._write(feed)
                backoff = 0.5
            except (RedisError, OSError) as exc:
                log.warning("redis write failed (%s); retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, 10.0)
            heapq.heappush(due, (max(at + feed.cadence, time.monotonic()), feed_id))

    async def _write(self, feed: Feed) -> None:
        fields = self.simulators[feed.id].next_fields()
        await self.redis.xadd(
            feed.stream_key, cast(Any, fields), maxlen=stream_maxlen(feed), approximate=True
        )
        self.written += 1

    async def close(self) -> None:
        for _, task in self.adapters.values():
            task.cancel()
        await self.redis.aclose()
