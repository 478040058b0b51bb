"""`http_poll`: GET a JSON or CSV document on an interval, with conditional requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

from opswall.config.feed_sources import HttpPollSource
from opswall.config.models import Feed
from opswall.feeds.adapters.base import (
    AdapterError,
    Batch,
    CursorStore,
    FeedOutlet,
    expand_env,
    kept,
)
from opswall.feeds.contract import parse_ts
from opswall.feeds.normalize import parse_payload, sorted_out


class HttpPoll:
    def __init__(
        self,
        feed: Feed,
        source: HttpPollSource,
        cursor: CursorStore | None,
        outlet: FeedOutlet | None = None,
    ) -> None:
        self.feed = feed
        self.source = source
        self.cursor = cursor
        self.outlet = outlet  # records that fit no entry are set aside here
        self.url = expand_env(source.url)
        headers = {name: expand_env(value) for name, value in source.headers.items()}
        self.client = httpx.AsyncClient(timeout=source.timeout, headers=headers)
        self.etag: str | None = None
        self.modified: str | None = None
        self.after_ms: int | None = None  # take: all -> records up to here were written

    async def fetch(self) -> Batch:
        """One conditional GET: the new entries, or none when the document has not changed."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.modified:
            headers["If-Modified-Since"] = self.modified
        try:
            response = await self.client.get(self.url, headers=headers)
        except httpx.TimeoutException:
            raise AdapterError(f"no answer from {self.url} in {self.source.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise AdapterError(f"GET {self.url} failed: {exc}") from None
        if response.status_code == 304:
            return []
        if response.status_code >= 400:
            raise AdapterError(f"GET {self.url} answered HTTP {response.status_code}")
        # A document that is no JSON (or CSV) at all fails the poll, to be fetched again; a
        # record in it that fits no entry is set aside alone.
        payload = parse_payload(response.content, self.source.format)
        entries = await kept(self.outlet, *sorted_out(payload, self.source, self.after_ms))
        # Remember validators only once the body was usable: a bad body is fetched again.
        self.etag = response.headers.get("ETag")
        self.modified = response.headers.get("Last-Modified")
        if self.source.take == "all" and entries:
            stamps = [parse_ts(e["ts"]) for e in entries if "ts" in e]
            if stamps:
                self.after_ms = max(stamps)
                if self.cursor:
                    await self.cursor.save(self.after_ms)
        return entries

    async def batches(self) -> AsyncIterator[Batch]:
        if self.cursor and self.source.take == "all":
            saved = await self.cursor.load()
            self.after_ms = int(saved) if saved is not None else None
        interval = self.source.every or self.feed.cadence
        while True:
            yield await self.fetch()
            await asyncio.sleep(interval)

    async def close(self) -> None:
        await self.client.aclose()
