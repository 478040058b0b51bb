"""What every adapter shares: the batches it yields, where they go, and how it reports health.

An adapter is an async iterator of batches (lists of contract fields). The runner drives it,
writes each batch to the feed's stream, and restarts it with backoff when it fails; the adapter
itself never needs to know about Redis, retries or health.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, Protocol, cast

from opswall import keys
from opswall.clock import now_ms
from opswall.config.env import UnsetVariable, expand
from opswall.config.models import Feed
from opswall.feeds.bounds import escaped
from opswall.feeds.normalize import NormalizeError, Refusal
from opswall.feeds.streams import DEADLETTER_MAXLEN, HEALTH_TTL, stream_maxlen
from opswall.store.redis_client import AsyncClient

Batch = list[dict[str, str]]


class AdapterError(Exception):
    """A failure worth one line in the health page (no traceback)."""


class Adapter(Protocol):
    feed: Feed

    def batches(self) -> AsyncIterator[Batch]:
        """Yield batches forever (pollers sleep between fetches); raise on failure."""
        ...

    async def close(self) -> None: ...


def expand_env(text: str) -> str:
    """`${VAR}` and `${VAR:-default}` from the environment; an unset VAR without default fails."""
    try:
        return expand(text)
    except UnsetVariable as exc:
        raise AdapterError(str(exc)) from None


class FeedOutlet:
    """Writes one feed's entries, dead letters, cursor and health to Redis."""

    def __init__(self, redis: AsyncClient, feed: Feed, kind: str) -> None:
        self.redis = redis
        self.feed = feed
        self.kind = kind
        self.key = keys.feed_health(feed.id)

    async def write(self, batch: Batch) -> None:
        if not batch:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for fields in batch:
                pipe.xadd(
                    self.feed.stream_key,
                    cast(Any, fields),
                    maxlen=stream_maxlen(self.feed),
                    approximate=True,
                )
            pipe.hset(self.key, mapping={"kind": self.kind, "state": "ok", "ok_ms": now_ms()})
            pipe.hincrby(self.key, "written", len(batch))
            pipe.expire(self.key, HEALTH_TTL)
            await pipe.execute()

    async def polled(self) -> None:
        """A fetch that worked, with or without new entries."""
        await self.redis.hset(
            self.key, mapping={"kind": self.kind, "state": "ok", "ok_ms": now_ms()}
        )
        await self.redis.expire(self.key, HEALTH_TTL)

    async def failed(self, error: str) -> None:
        mapping = {
            "kind": self.kind,
            "state": "retrying",
            "error_ms": now_ms(),
            "last_error": error,
        }
        await self.redis.hset(self.key, mapping=cast(Any, mapping))
        await self.redis.hincrby(self.key, "errors", 1)
        await self.redis.expire(self.key, HEALTH_TTL)

    async def set_aside(self, reason: str, original: str | bytes) -> None:
        """A record the adapter could not turn into an entry: kept with its reason. Both are
        stored escaped (bytes that are not UTF-8, lone surrogates), so this cannot fail on
        what it keeps."""
        fields = {
            "reason": escaped(reason),
            "stream": self.feed.stream_key,
            "entry": escaped(original[:2000]),
        }
        await self.redis.xadd(
            keys.deadletter_stream(self.feed.id),
            cast(Any, fields),
            maxlen=DEADLETTER_MAXLEN,
            approximate=True,
        )
        await self.redis.hincrby(keys.DEADLETTER_COUNTS, self.feed.id, 1)
        await self.failed(reason)


async def kept(outlet: FeedOutlet | None, entries: Batch, refused: list[Refusal]) -> Batch:
    """`entries`, once each refused record is set aside with its reason. Without an outlet
    (`opswall feeds test`) the first refusal is raised instead."""
    for refusal in refused:
        if outlet is None:
            raise NormalizeError(refusal.reason)
        await outlet.set_aside(refusal.reason, refusal.record)
    return entries


class CursorStore:
    """Where a poller resumes after a restart: kept in Redis next to the stream."""

    def __init__(self, redis: AsyncClient, feed_id: str) -> None:
        self.redis = redis
        self.key = keys.feed_cursor(feed_id)

    async def load(self) -> Any:
        raw = await self.redis.get(self.key)
        return json.loads(raw) if raw else None

    async def save(self, value: Any) -> None:
        await self.redis.set(self.key, json.dumps(value, default=str))
