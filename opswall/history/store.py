"""History rows in and out of the database (SQLite or PostgreSQL, same code)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import parse_id
from opswall.store.db import Database
from opswall.store.schema import HistoryPoint

Row = dict[str, Any]


def row_of(feed_id: str, entry: FeedEntry) -> Row:
    ms, seq = parse_id(entry.id)
    value = entry.fields.get("value")
    number = (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    )
    return {
        "feed": feed_id,
        "entry_ms": ms,
        "entry_seq": seq,
        "asof_ms": entry.asof_ms,
        "value": number if number is None or math.isfinite(number) else None,
        "fields": json.dumps(entry.fields, ensure_ascii=False, separators=(",", ":")),
    }


def insert_ignoring(db: Database, rows: list[Row]) -> int:
    """Insert rows, skipping ones already recorded (same feed and stream id). Returns how many
    rows were new."""
    if not rows:
        return 0
    dialect = db.engine.dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING names the rows actually inserted (conflicts return nothing), in batches.
    statement = builder(HistoryPoint).on_conflict_do_nothing().returning(HistoryPoint.entry_ms)
    with db.session() as session:
        return len(session.execute(statement, rows).all())


def prune(db: Database, feed_id: str, before_ms: int) -> int:
    with db.session() as session:
        result = session.execute(
            delete(HistoryPoint).where(
                HistoryPoint.feed == feed_id, HistoryPoint.asof_ms < before_ms
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _entry(ms: int, seq: int, asof: int, fields: str) -> FeedEntry:
    return FeedEntry(f"{ms}-{seq}", asof, json.loads(fields))


def load(
    db: Database,
    feed_id: str,
    since_ms: int,
    before_id: str | None = None,
    *,
    min_entries: int = 2,
    max_points: int = 1500,
) -> list[FeedEntry]:
    """Recorded entries as of `since_ms` (and never fewer than `min_entries`), older than
    `before_id`; downsampled to about `max_points` averages of `value` when there are more."""
    where = [HistoryPoint.feed == feed_id]
    if before_id is not None:
        ms, seq = parse_id(before_id)
        where.append(
            (HistoryPoint.entry_ms < ms)
            | ((HistoryPoint.entry_ms == ms) & (HistoryPoint.entry_seq < seq))
        )
    columns = (
        HistoryPoint.entry_ms,
        HistoryPoint.entry_seq,
        HistoryPoint.asof_ms,
        HistoryPoint.fields,
    )
    order = (HistoryPoint.entry_ms.desc(), HistoryPoint.entry_seq.desc())
    with db.session() as session:
        count = (
            session.scalar(
                select(func.count())
                .select_from(HistoryPoint)
                .where(*where, HistoryPoint.asof_ms >= since_ms)
            )
            or 0
        )
        if count < min_entries:
            rows = session.execute(
                select(*columns).where(*where).order_by(*order).limit(min_entries)
            ).all()
            return [_entry(*row) for row in reversed(rows)]
        if count <= max_points:
            rows = session.execute(
                select(*columns).where(*where, HistoryPoint.asof_ms >= since_ms).order_by(*order)
            ).all()
            return [_entry(*row) for row in reversed(rows)]
        return _downsampled(session, where, since_ms, max_points)


def _downsampled(session: Any, where: list[Any], since_ms: int, max_points: int) -> list[FeedEntry]:
    newest = session.scalar(select(func.max(HistoryPoint.asof_ms)).where(*where)) or since_ms
    bucket = 1000 * max(1, math.ceil((newest - since_ms + 1) / max_points / 1000))  # whole seconds
    start = HistoryPoint.asof_ms - (HistoryPoint.asof_ms - since_ms) % bucket
    rows = session.execute(
        select(
            start.label("start"),
            func.avg(HistoryPoint.value),
            func.max(HistoryPoint.asof_ms),
            func.max(HistoryPoint.entry_ms),
        )
        .where(*where, HistoryPoint.asof_ms >= since_ms, HistoryPoint.value.is_not(None))
        .group_by("start")
        .order_by("start")
    ).all()
    return [
        FeedEntry(f"{entry_ms}-0", int(asof), {"value": float(avg), "downsampled_s": bucket / 1000})
        for _, avg, asof, entry_ms in rows
    ]


def count(db: Database, feed_ids: Iterable[str] | None = None) -> int:
    query = select(func.count()).select_from(HistoryPoint)
    if feed_ids is not None:
        query = query.where(HistoryPoint.feed.in_(list(feed_ids)))
    with db.session() as session:
        return session.scalar(query) or 0
