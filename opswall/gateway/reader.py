"""Reads Redis for the core (issue 19): every feed stream and the control stream (one XREAD on a
server; one per hash slot on a Redis Cluster), replies handed to the core in arrival order (those
that arrive together as one batch), seeding on start and after an outage, and the stream reads a
resume older than the cache needs.

Reads always use concrete last IDs (never `$`), so nothing is lost between reads or across a
Redis restart. The clients are made outside and passed in.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

from redis.exceptions import RedisError

from opswall.clock import now_ms
from opswall.config.live import Snapshot
from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import RawEntry, raw_entries
from opswall.gateway.core import CACHE_ENTRIES, GAP_ENTRIES, GatewayCore
from opswall.gateway.effects import Effects, HistoryWant, Reply
from opswall.gateway.joins import Join
from opswall.gateway.screens import L
from opswall.gateway.writer import Outlet
from opswall.keys import CMD_STREAM, STATE_KEY
from opswall.store.redis_client import AsyncClient, xread_slot

log = logging.getLogger("opswall.gateway")

READ_BLOCK_MS = 1000
# A screen paints at most once per display frame (60 Hz). Reading again sooner than this after
# a publish only splits what arrives next into more frames: each one a write per screen here
# and a parse per screen in the browsers, for no earlier paint.
FRAME_INTERVAL = 1 / 60

HistoryLoader = Callable[[str, int, str | None], list[FeedEntry]]  # feed, since ms, before id


@dataclass
class Delivery:
    """A reply, and a future set once it is handled, so its group reads on from the ids the
    core advanced."""

    reply: Reply
    handled: asyncio.Future[None] | None


def release(inbox: asyncio.Queue[Delivery]) -> None:
    """Drop queued deliveries; readers waiting on theirs read the same entries again."""
    while not inbox.empty():
        delivery = inbox.get_nowait()
        if delivery.handled is not None:
            delivery.handled.set_result(None)


def backoff_after(backoff: float) -> tuple[float, float]:
    """How long to wait now (jittered), and the next backoff."""
    return backoff * random.uniform(0.5, 1.0), min(backoff * 2, 5.0)


class StreamReader(Generic[L]):
    def __init__(
        self,
        core: GatewayCore[L],
        client: AsyncClient,
        side: AsyncClient,
        outlet: Outlet[L],
        history: HistoryLoader | None = None,
    ) -> None:
        self.core = core
        self.client = client  # blocking reads and seeding
        self.side = side  # resumes older than the cache (never behind a blocked read)
        self.outlet = outlet
        self.history = history  # recorded entries older than the stream holds
        self.seeding: Effects[L] = Effects()  # transitions of seeded feeds, until written
        self.published_at = 0.0  # monotonic time of the last data frame sent

    async def reload(self, snapshot: Snapshot) -> None:
        """Take a config; screens whose page changed re-render once new feeds are seeded."""
        self.core.configure(snapshot)
        try:
            await self.seed()
        except RedisError as exc:
            # Redis is down: the reader seeds these feeds once it is back. The layout still
            # changes now; the new tiles show "no data" until their first entry.
            log.warning("new feeds not seeded yet (%s)", exc)
        self.outlet.send(self.core.refresh_views(now_ms()))

    async def seed(self) -> None:
        """The wall state if not read since the last outage, and new feeds' caches from their
        stream tails (and the history database): reads go on from their newest ids."""
        core = self.core
        if not core.control_seeded:
            tail = raw_entries(await self.client.xrevrange(CMD_STREAM, "+", "-", count=1))
            state = await self.client.get(STATE_KEY)
            last = tail[0][0] if tail else None
            self.outlet.send(core.seed_control(last, state, now_ms(), time.monotonic()))
        for feed_id in core.unseeded_feeds():
            key = core.stream_key(feed_id)
            tail = raw_entries(await self.client.xrevrange(key, "+", "-", count=CACHE_ENTRIES))
            want = core.seed_tail(feed_id, tail, now_ms())
            self.seeding += core.seeded(feed_id, await self._history(want))
        seeding, self.seeding = self.seeding, Effects()
        await self.outlet.carry_out(seeding)

    async def _history(self, want: HistoryWant | None) -> list[FeedEntry]:
        if want is None or self.history is None:
            return []
        try:
            return await asyncio.to_thread(self.history, want.feed, want.since_ms, want.before)
        except Exception as exc:  # the database is optional for live data: go on without
            log.warning("history of %s not loaded (%s)", want.feed, exc)
            return []

    async def gaps(self, join: Join[L]) -> dict[str, list[RawEntry] | None]:
        """Resumes older than the cache, read from the streams (None: the read failed)."""
        filled: dict[str, list[RawEntry] | None] = {}
        for feed, (key, last_id) in join.gap_reads().items():
            try:
                reply = await self.side.xrange(key, f"({last_id}", "+", count=GAP_ENTRIES)
            except RedisError:
                filled[feed] = None
                continue
            filled[feed] = raw_entries(reply)
        return filled

    async def read_forever(self) -> None:
        """One reader per slot group blocks on Redis; their replies are handled here in arrival
        order, so the caches, rules and screens see one sequence of batches."""
        inbox: asyncio.Queue[Delivery] = asyncio.Queue()
        readers: dict[int, asyncio.Task[None]] = {}
        backoff = 0.2
        try:
            while True:
                try:
                    await self.seed()
                except (RedisError, OSError) as exc:
                    self.outlet.send(self.core.lost(exc, now_ms()))
                    release(inbox)  # what the readers said meanwhile is stale once we are back
                    wait, backoff = backoff_after(backoff)
                    await asyncio.sleep(wait)
                    continue
                backoff = 0.2
                for slot in self.core.read_groups():
                    if slot not in readers or readers[slot].done():
                        readers[slot] = asyncio.create_task(self._read_group(slot, inbox))
                try:
                    deliveries = [await asyncio.wait_for(inbox.get(), READ_BLOCK_MS / 1000)]
                except TimeoutError:
                    continue  # no reply yet: seed what a reload added, start new groups' readers
                await self._pace()
                while not inbox.empty():  # replies that came in meanwhile join this batch
                    deliveries.append(inbox.get_nowait())
                await self.take(deliveries)
        finally:
            for task in readers.values():
                task.cancel()

    async def take(self, deliveries: list[Delivery]) -> None:
        """Hand one batch to the core and carry out what it answers; then the groups read on."""
        try:
            effects = self.core.take([d.reply for d in deliveries], now_ms())
            if effects.published:
                self.published_at = time.monotonic()
            await self.outlet.carry_out(effects)
        except (RedisError, OSError) as exc:
            self.outlet.send(self.core.lost(exc, now_ms()))
        except Exception:  # isolation: what fails unforeseen here must not end the read loop
            self.core.unforeseen("the writes of a batch of %d replies failed", len(deliveries))
        finally:
            for delivery in deliveries:
                if delivery.handled is not None:
                    delivery.handled.set_result(None)

    async def _read_group(self, slot: int, inbox: asyncio.Queue[Delivery]) -> None:
        """Block on one group's streams from their last handled ids; wait until the reply is
        handled before reading on. Ends when a reload leaves the group empty."""
        backoff = 0.2
        while streams := self.core.read_from(slot):
            try:
                response = await xread_slot(self.client, streams, count=1000, block=READ_BLOCK_MS)
            except (RedisError, OSError) as exc:
                await inbox.put(Delivery(Reply(slot, exc, time.monotonic()), None))
                wait, backoff = backoff_after(backoff)
                await asyncio.sleep(wait)
                continue
            backoff = 0.2
            handled = asyncio.get_running_loop().create_future()
            await inbox.put(Delivery(Reply(slot, response, time.monotonic()), handled))
            await handled

    async def _pace(self) -> None:
        """Wait out the rest of the display frame since the last publish: what arrives meanwhile
        (in Redis, or from other slot groups' readers) goes out with this reply as one frame.
        At low rates there is nothing to wait for."""
        wait = self.published_at + FRAME_INTERVAL - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
