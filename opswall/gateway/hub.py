"""The hub: ONE task reads every feed stream; entries fan out to the screens that show them.

Reads always use concrete last IDs (never `$`), so nothing is lost between reads or across a
Redis restart. Each batch is encoded once per screen and broadcast to that screen's sockets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError, ResponseError
from websockets.asyncio.server import ServerConnection, broadcast

from opswall.config.models import Feed, WallConfig
from opswall.config.source import ConfigSource
from opswall.feeds.contract import FeedEntry, Rejected, decode_entry
from opswall.feeds.stream_ids import ZERO_ID, as_text, is_after, raw_entries
from opswall.gateway import protocol
from opswall.gateway.cache import FeedCache

log = logging.getLogger("opswall.gateway")

CACHE_ENTRIES = 2000
DEADLETTER_MAXLEN = 1000
DEADLETTER_COUNTS = "opswall:deadletters"
READ_BLOCK_MS = 1000


def deadletter_key(feed_id: str) -> str:
    return f"deadletter:{feed_id}"


@dataclass(eq=False)
class Client:
    ws: ServerConnection
    screen: str
    ready: bool = False
    backlog: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScreenPlan:
    """What one screen needs: its revision, feeds and how much history of each."""

    rev: str
    history_ms: dict[str, int]


def plan_screens(config: WallConfig, revisions: dict[str, str]) -> dict[str, ScreenPlan]:
    plans = {}
    for screen in config.screens:
        history: dict[str, int] = {}
        for tile in screen.tiles:
            for _, binding in tile.bindings():
                ms = int(tile.history_seconds() * 1000)
                history[binding.feed] = max(history.get(binding.feed, 0), ms)
        plans[screen.id] = ScreenPlan(revisions[screen.id], history)
    return plans


def stream_items(response: Any) -> Iterable[tuple[bytes, list[tuple[bytes, dict[Any, Any]]]]]:
    """XREAD answers a list of [key, entries] (RESP2) or a {key: entries} map (RESP3)."""
    if not response:
        return []
    if isinstance(response, dict):
        return response.items()
    return [(key, entries) for key, entries in response]


class Hub:
    def __init__(self, source: ConfigSource, redis_url: str) -> None:
        self.source = source
        # The blocking read gets its own connection; replays and dead letters use the other.
        self.reader = aioredis.Redis.from_url(redis_url, socket_timeout=READ_BLOCK_MS / 1000 + 4)
        self.writer = aioredis.Redis.from_url(redis_url, socket_timeout=5)
        self.caches: dict[str, FeedCache] = {}
        self.last_read: dict[str, str] = {}  # stream key -> last id read
        self.feed_of_stream: dict[str, str] = {}
        self.unseeded: set[str] = set()
        self.plans: dict[str, ScreenPlan] = {}
        self.clients: dict[str, set[Client]] = defaultdict(set)
        self.redis_up = False
        self.counts: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()
        self._apply_config(source.current.config, source.current.revisions)

    # -- config ------------------------------------------------------------------------------
    def _apply_config(self, config: WallConfig, revisions: dict[str, str]) -> None:
        self.plans = plan_screens(config, revisions)
        feeds = {feed.id: feed for feed in config.feeds}
        for feed in feeds.values():
            if feed.id not in self.caches:
                self.caches[feed.id] = FeedCache(CACHE_ENTRIES)
                self.unseeded.add(feed.id)
        self.unseeded &= set(feeds)  # a feed removed before it was seeded needs no seeding
        self.feed_of_stream = {feed.stream_key: feed.id for feed in feeds.values()}
        self.last_read = {key: self.last_read.get(key, ZERO_ID) for key in self.feed_of_stream}

    def feed(self, feed_id: str) -> Feed:
        return self.source.current.config.feed(feed_id)

    async def watch_config(self, interval: float = 0.5) -> None:
        while True:
            await asyncio.sleep(interval)
            if self.source.refresh():
                await self.reload()

    async def reload(self) -> None:
        """Take the source's current config; tell changed screens to re-render."""
        old_plans = self.plans
        snapshot = self.source.current
        self._apply_config(snapshot.config, snapshot.revisions)
        try:
            await self._seed_new_feeds()
        except RedisError as exc:
            # Redis is down: the reader seeds these feeds once it is back. The layout still
            # changes now; the new tiles show "no data" until their first entry.
            log.warning("new feeds not seeded yet (%s)", exc)
        for screen, clients in self.clients.items():
            plan = self.plans.get(screen)
            if old_plans.get(screen) == plan:
                continue
            broadcast([c.ws for c in clients], protocol.layout_frame(plan.rev if plan else ""))
            if plan is None:
                continue
            added = set(plan.history_ms) - set(
                old_plans[screen].history_ms if screen in old_plans else {}
            )
            if added:
                self._send(clients, protocol.data_frame(self._snapshot(plan, added)))

    # -- reading -----------------------------------------------------------------------------
    async def _seed_new_feeds(self) -> None:
        """Fill new feeds' caches from the stream tail, and read on from its newest id."""
        for feed_id in sorted(self.unseeded):
            key = self.feed(feed_id).stream_key
            tail = raw_entries(await self.reader.xrevrange(key, "+", "-", count=CACHE_ENTRIES))
            for entry_id, raw in reversed(tail):
                self._ingest(feed_id, entry_id, raw, count=False)
            if len(tail) == CACHE_ENTRIES:
                self.caches[feed_id].mark_partial()
            if tail:
                self.last_read[key] = tail[0][0]
            self.unseeded.discard(feed_id)

    async def read_forever(self) -> None:
        backoff = 0.2
        while True:
            try:
                await self._seed_new_feeds()
                streams: dict[Any, Any] = dict(self.last_read)
                response = await self.reader.xread(streams, block=READ_BLOCK_MS, count=1000)
                self._set_redis(True)
                await self._handle(response)
                backoff = 0.2
            except (RedisError, OSError) as exc:
                if self.redis_up:
                    log.warning("redis lost (%s); screens show data as down", exc)
                self._set_redis(False)
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, 5.0)

    async def _handle(self, response: Any) -> None:
        batch: list[tuple[str, FeedEntry]] = []
        rejected: list[tuple[str, str, Rejected, dict[Any, Any]]] = []
        for raw_key, entries in stream_items(response):
            key = as_text(raw_key)
            feed_id = self.feed_of_stream.get(key)
            if feed_id is None:
                continue  # the feed left the config while this read was under way
            for entry_id, raw in raw_entries(entries):
                self.last_read[key] = entry_id
                result = self._ingest(feed_id, entry_id, raw)
                if isinstance(result, Rejected):
                    rejected.append((feed_id, key, result, raw))
                elif result is not None:
                    batch.append((feed_id, result))
        if batch:
            self._publish(batch)  # before any Redis write that could fail
        for feed_id, key, reason, raw in rejected:
            await self._dead_letter(feed_id, key, reason, raw)

    def _ingest(
        self, feed_id: str, entry_id: str, raw: dict[Any, Any], count: bool = True
    ) -> FeedEntry | Rejected | None:
        result = decode_entry(entry_id, raw)
        if isinstance(result, FeedEntry):
            self.caches[feed_id].add(result)
            if count:
                self.counts["entries"] += 1
        return result

    async def _dead_letter(
        self, feed_id: str, key: str, rejected: Rejected, raw: dict[Any, Any]
    ) -> None:
        """Set a malformed entry aside with its reason; count it once across gateway replicas."""
        self.rejected[feed_id] += 1
        log.warning("feed %s: entry %s set aside: %s", feed_id, rejected.id, rejected.reason)
        original = {_text(k): _text(v)[:2000] for k, v in raw.items()}
        fields = {
            "reason": rejected.reason,
            "stream": key,
            "entry": json.dumps(original, ensure_ascii=False),
        }
        try:
            # Same id as the original: a second replica's XADD fails, so it is kept once.
            await self.writer.xadd(
                deadletter_key(feed_id),
                fields,  # type: ignore[arg-type]
                id=rejected.id,
                maxlen=DEADLETTER_MAXLEN,
                approximate=True,
            )
        except ResponseError:
            return
        await self.writer.hincrby(DEADLETTER_COUNTS, feed_id, 1)

    # -- screens -----------------------------------------------------------------------------
    def _set_redis(self, up: bool) -> None:
        if up != self.redis_up:
            self.redis_up = up
            self.heartbeat()

    def heartbeat(self) -> None:
        frame = protocol.heartbeat_frame(self.redis_up)
        for clients in self.clients.values():
            self._send(clients, frame)

    async def heartbeat_forever(self, interval: float = 2.0) -> None:
        while True:
            await asyncio.sleep(interval)
            self.heartbeat()

    def _publish(self, batch: list[tuple[str, FeedEntry]]) -> None:
        for screen, clients in self.clients.items():
            plan = self.plans.get(screen)
            if not clients or plan is None:
                continue
            mine = [(feed, entry) for feed, entry in batch if feed in plan.history_ms]
            if mine:
                self._send(clients, protocol.data_frame(mine))

    @staticmethod
    def _send(clients: Iterable[Client], frame: str) -> None:
        ready = []
        for client in clients:
            if client.ready:
                ready.append(client.ws)
            else:
                client.backlog.append(frame)
        broadcast(ready, frame)

    def _snapshot(self, plan: ScreenPlan, feeds: Iterable[str]) -> list[tuple[str, FeedEntry]]:
        now = protocol.now_ms()
        return [
            (feed, entry)
            for feed in sorted(feeds)
            for entry in self.caches[feed].recent(now - plan.history_ms[feed])
        ]

    async def attach(self, client: Client, hello: protocol.Hello) -> None:
        """Send the welcome and the resume (or snapshot), then live entries in order."""
        plan = self.plans[client.screen]
        self.clients[client.screen].add(client)
        fresh = [feed for feed in plan.history_ms if feed not in hello.last]
        entries = self._snapshot(plan, fresh)
        for feed in plan.history_ms:
            if feed in hello.last:
                entries += [(feed, e) for e in await self._after(feed, hello.last[feed])]
        await client.ws.send(protocol.welcome_frame(plan.rev, self.redis_up))
        await client.ws.send(protocol.data_frame(entries))
        while client.backlog:
            await client.ws.send(client.backlog.pop(0))
        client.ready = True

    async def _after(self, feed_id: str, last_id: str) -> list[FeedEntry]:
        cached = self.caches[feed_id].after(last_id)
        if cached is not None:
            return cached
        # Older than the cache: read the gap from the stream itself.
        try:
            reply = await self.writer.xrange(
                self.feed(feed_id).stream_key, f"({last_id}", "+", count=CACHE_ENTRIES * 5
            )
        except RedisError:
            return [e for e in self.caches[feed_id].entries if is_after(e.id, last_id)]
        decoded = [decode_entry(entry_id, fields) for entry_id, fields in raw_entries(reply)]
        return [entry for entry in decoded if isinstance(entry, FeedEntry)]

    def detach(self, client: Client) -> None:
        self.clients[client.screen].discard(client)

    def status(self) -> dict[str, Any]:
        return {
            "redis": self.redis_up,
            "screens": {s: len(c) for s, c in self.clients.items() if c},
            "entries": self.counts["entries"],
            "rejected": dict(self.rejected),
        }

    async def close(self) -> None:
        await self.reader.aclose()
        await self.writer.aclose()


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
