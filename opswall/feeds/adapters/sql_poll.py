"""`sql_poll`: run a query on an interval, reading only rows past the saved cursor."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from opswall.config.feed_sources import SqlPollSource
from opswall.config.models import Feed
from opswall.feeds.adapters import base
from opswall.feeds.adapters.base import AdapterError, Batch, CursorStore, expand_env
from opswall.feeds.normalize import sorted_out

MAX_ROWS = 5000  # per poll: a backlog drains over several polls instead of one huge read


class SqlPoll:
    def __init__(
        self,
        feed: Feed,
        source: SqlPollSource,
        cursor: CursorStore | None,
        outlet: base.FeedOutlet | None = None,
    ) -> None:
        self.feed = feed
        self.source = source
        self.outlet = outlet  # rows that fit no entry are set aside here, and the cursor moves on
        self.cursor_store = cursor
        self.cursor: Any = source.start
        self.engine = create_engine(expand_env(source.url), pool_pre_ping=True)

    def _rows(self, cursor: Any) -> list[dict[str, Any]]:
        try:
            with self.engine.connect() as connection:
                result = connection.execute(text(self.source.query), {"cursor": cursor})
                return [dict(row._mapping) for row in result.fetchmany(MAX_ROWS)]
        except SQLAlchemyError as exc:
            first_line = str(exc).splitlines()[0]
            raise AdapterError(f"query failed: {first_line}") from None

    async def fetch(self) -> Batch:
        rows = await asyncio.to_thread(self._rows, self.cursor)
        if not rows:
            return []
        if self.source.cursor not in rows[-1]:
            raise AdapterError(f"the query returns no column '{self.source.cursor}'")
        entries = await base.kept(self.outlet, *sorted_out(rows, self.source))
        self.cursor = rows[-1][self.source.cursor]
        if self.cursor_store:
            await self.cursor_store.save(self.cursor)
        return entries

    async def batches(self) -> AsyncIterator[Batch]:
        if self.cursor_store:
            saved = await self.cursor_store.load()
            if saved is not None:
                self.cursor = saved
        interval = self.source.every or self.feed.cadence
        while True:
            batch = await self.fetch()
            yield batch
            if len(batch) < MAX_ROWS:
                await asyncio.sleep(interval)

    async def close(self) -> None:
        self.engine.dispose()
