"""The feed runner: drives every simulated feed on its cadence and XADDs contract entries.

It writes through the same contract as external producers (`feeds/contract.py`), caps each stream
with `MAXLEN ~` sized for the replay window we promise, and survives Redis going away.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import math
import random
import time
from typing import Any, cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from opswall.config.models import Feed, WallConfig
from opswall.config.source import ConfigSource
from opswall.feeds.simulator import Simulator, simulator_for

log = logging.getLogger("opswall.feeds")

REPLAY_SECONDS = 3600  # entries a screen can replay after a disconnect, per feed
CONFIG_CHECK_SECONDS = 0.5


def stream_maxlen(feed: Feed) -> int:
    """Enough entries to cover REPLAY_SECONDS at the feed's cadence, within sane bounds."""
    return min(20_000, max(500, math.ceil(REPLAY_SECONDS / feed.cadence)))


class FeedRunner:
    def __init__(self, source: ConfigSource, redis_url: str) -> None:
        self.source = source
        self.redis = aioredis.Redis.from_url(redis_url, socket_timeout=5)
        self.simulators: dict[str, Simulator] = {}
        self.written = 0

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

    async def run(self) -> None:
        """Write entries forever; reschedules when the config's feeds change."""
        config = self.source.current.config
        due: list[tuple[float, str]] = [(time.monotonic(), f.id) for f in self._simulated(config)]
        heapq.heapify(due)
        backoff = 0.5
        next_check = 0.0
        while True:
            if time.monotonic() >= next_check:  # stat the config file twice a second, not per entry
                next_check = time.monotonic() + CONFIG_CHECK_SECONDS
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
        await self.redis.aclose()
