"""`opswall feeds list|test`, `opswall ingest`, `opswall indicators` and `opswall report`: the
operator's tools for connections and the record."""

from __future__ import annotations

import argparse
import asyncio
import csv
import getpass
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from opswall.clock import now_ms
from opswall.config.live import ConfigSource
from opswall.config.models import Feed, WallConfig
from opswall.errors import OpswallError
from opswall.feeds.contract import FeedEntry, decode_entry, parse_ts
from opswall.feeds.kinds import SOURCE_KINDS, adapter_for
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.store.redis_client import connect
from opswall.terminal import printable


def feeds_list(config: WallConfig, settings: Settings, out: TextIO = sys.stdout) -> int:
    states: dict[str, str] = {}
    if settings.redis_url:
        import redis

        from opswall.feeds.health import probe

        try:
            client = connect(settings.redis_url, socket_timeout=3)
            states = {h.feed: h.state for h in probe(client, config)}
        except redis.RedisError as exc:
            print(f"(no health: Redis unavailable: {exc})", file=sys.stderr)
    print(f"{'feed':<24} {'kind':<10} {'cadence':>8}  {'state':<8} label", file=out)
    for feed in config.feeds:
        label = printable(feed.label.get(config.wall.locale))
        print(
            f"{feed.id:<24} {feed.source.kind:<10} {feed.cadence:>7g}s  "
            f"{states.get(feed.id, '-'):<8} {label}",
            file=out,
        )
    return 0


async def _first_batch(feed: Feed, timeout: float) -> list[dict[str, str]]:
    adapter = adapter_for(feed, None)
    if adapter is None:
        raise OpswallError(f"{feed.id} is a '{feed.source.kind}' feed: no adapter to test")

    async def first() -> list[dict[str, str]]:
        async for batch in adapter.batches():
            if batch:
                return batch
        return []

    try:
        return await asyncio.wait_for(first(), timeout)
    except TimeoutError:
        raise OpswallError(f"nothing arrived from {feed.id} in {timeout:g}s") from None
    finally:
        await adapter.close()


def feeds_test(source: ConfigSource, feed_id: str, timeout: float, out: TextIO = sys.stdout) -> int:
    """Fetch once and print what would be written; writes nothing."""
    config = source.current.config
    feed = next((f for f in config.feeds if f.id == feed_id), None)
    if feed is None:
        raise OpswallError(
            f"unknown feed '{feed_id}' (known: {', '.join(f.id for f in config.feeds)})"
        )
    kind = SOURCE_KINDS.of(feed)
    if kind.writer == "simulator":
        from opswall.feeds.simulator import simulator_for

        simulator = simulator_for(feed)
        assert simulator is not None
        batch = [simulator.next_fields()]
    elif kind.how_to_write is not None:
        how = kind.how_to_write(feed)
        print(f"{feed.id}: entries are written by producers: {how}", file=out)
        return 0
    else:
        try:
            batch = asyncio.run(_first_batch(feed, timeout))
        except OpswallError:
            raise
        except Exception as exc:
            raise OpswallError(f"{feed.id}: {exc}") from None
    print(
        f"{feed.id} ({kind.name}): {len(batch)} entr{'y' if len(batch) == 1 else 'ies'} "
        f"would be written to {feed.stream_key}:",
        file=out,
    )
    for fields in batch:
        decoded = decode_entry(f"{now_ms()}-0", dict(fields))
        shown = decoded.fields if isinstance(decoded, FeedEntry) else {"rejected": decoded.reason}
        print("  " + printable(json.dumps(shown, ensure_ascii=False)), file=out)
    return 0


# -- back-fill --------------------------------------------------------------------------------


class Progress:
    """A progress line on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO = sys.stderr) -> None:
        self.total, self.label, self.stream = max(total, 1), label, stream
        self.started = time.monotonic()
        self.shown_tenth = -1
        self.tty = stream.isatty()

    def update(self, done: int, final: bool = False) -> None:
        tenth = done * 10 // self.total
        if not (self.tty or final or tenth > self.shown_tenth):
            return
        self.shown_tenth = tenth
        rate = done / max(time.monotonic() - self.started, 1e-6)
        width = 30
        filled = int(width * done / self.total)
        bar = "█" * filled + "·" * (width - filled)
        share = 100 * done / self.total
        line = f"{self.label} [{bar}] {done:,}/{self.total:,} rows {share:5.1f}% {rate:,.0f} rows/s"
        self.stream.write(("\r" + line) if self.tty else (line + "\n"))
        if final and self.tty:
            self.stream.write("\n")
        self.stream.flush()


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def ingest(
    db: Database,
    feed: Feed,
    path: Path,
    ts_column: str = "ts",
    batch_size: int = 5000,
    err: TextIO = sys.stderr,
) -> dict[str, int]:
    """Back-fill the history of `feed` from a CSV with a time column; re-running it adds
    nothing twice (each row's key is its time and its rank within that time)."""
    from opswall.history.store import insert_ignoring, row_of

    with path.open(encoding="utf-8-sig") as handle:
        total = max(0, sum(1 for _ in handle) - 1)
    progress = Progress(total, f"ingest {feed.id}", err)
    seen_at: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    counts = {"read": 0, "new": 0, "rejected": 0}
    problems: list[str] = []
    for line, record in _csv_rows(path):
        counts["read"] += 1
        try:
            if not record.get(ts_column):
                raise ValueError(f"no '{ts_column}' value")
            asof = parse_ts(record[ts_column])
            fields = {
                k: v for k, v in record.items() if k and k != ts_column and v not in (None, "")
            }
            rank = seen_at.get(asof, 0)
            seen_at[asof] = rank + 1
            decoded = decode_entry(f"{asof}-{rank}", {**fields, "ts": str(asof)})
            if not isinstance(decoded, FeedEntry):
                raise ValueError(decoded.reason)
            rows.append(row_of(feed.id, decoded))
        except ValueError as exc:
            counts["rejected"] += 1
            if len(problems) < 10:
                problems.append(f"{path}:{line}: {exc}")
        if len(rows) >= batch_size:
            counts["new"] += insert_ignoring(db, rows)
            rows = []
            progress.update(counts["read"])
    counts["new"] += insert_ignoring(db, rows)
    progress.update(counts["read"], final=True)
    for problem in problems:
        print(printable(problem), file=err)
    return counts


# -- indicators -------------------------------------------------------------------------------


def indicators_history(
    db: Database, code: str, area: str, period: str | None, out: TextIO = sys.stdout
) -> int:
    from opswall.indicators.reports import revisions

    found = revisions(db, code, area, period)
    if not found:
        print(f"no reports for {code} ({area}{' ' + period if period else ''})", file=sys.stderr)
        return 1
    print(f"{'period':<10} {'rev':>3}  {'value':>14}  {'submitted (UTC)':<19}  by / why", file=out)
    for r in found:
        why = f" — {r.reason}" if r.reason else ""
        line = (
            f"{r.period:<10} {r.revision:>3}  {r.value:>14,.4g}  "
            f"{r.submitted_at:%Y-%m-%d %H:%M:%S}  {r.submitted_by}{why}"
        )
        print(printable(line), file=out)
    return 0


def report(source: ConfigSource, db: Database, args: Any, out: TextIO = sys.stdout) -> int:
    from opswall.indicators.catalogue import CatalogueCache
    from opswall.indicators.reports import submit

    catalogue = CatalogueCache(source).get()
    if catalogue is None:
        raise OpswallError("the wall config names no catalogue")
    done = submit(
        db,
        catalogue,
        args.code,
        args.period,
        args.value,
        f"cli:{getpass.getuser()}",
        area=args.area,
        reason=args.reason or "",
        channel="cli",
    )
    line = f"{done.code} {done.area} {done.period}: revision {done.revision} recorded"
    print(printable(line), file=out)
    return 0


# -- dispatch ---------------------------------------------------------------------------------


def records(args: argparse.Namespace, settings: Settings, source: ConfigSource) -> int:
    """`feeds list|test`, `ingest`, `indicators`, `report`."""
    from opswall.cli.parts import open_database

    if args.command == "feeds":
        if args.action == "list":
            return feeds_list(source.current.config, settings)
        if not args.feed:
            raise OpswallError("name the feed to test: opswall feeds test <feed>")
        return feeds_test(source, args.feed, args.timeout)
    db = open_database(settings)
    if args.command == "indicators":
        return indicators_history(db, args.code, args.area, args.period)
    if args.command == "report":
        return report(source, db, args)
    feed = next((f for f in source.current.config.feeds if f.id == args.feed), None)
    if feed is None:
        raise OpswallError(f"unknown feed '{args.feed}'")
    counts = ingest(db, feed, args.csv, args.ts_column)
    print(
        f"{feed.id}: {counts['read']:,} rows read, {counts['new']:,} recorded, "
        f"{counts['read'] - counts['new'] - counts['rejected']:,} already there, "
        f"{counts['rejected']:,} refused"
    )
    return 1 if counts["rejected"] and not counts["new"] else 0
