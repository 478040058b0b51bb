"""The replay's reads (issue 24): what the history database kept about the wall at an instant,
gathered into a `Moment` for the pure core. Nothing here reads Redis."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from opswall.clock import epoch_ms
from opswall.config.feed_sources import IndicatorSource
from opswall.config.live import Snapshot, snapshot_of
from opswall.config.loader import load_config_text
from opswall.config.models import Feed
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.kinds import SOURCE_KINDS
from opswall.gateway.joins import history_by_feed
from opswall.history import store as history
from opswall.indicators.publisher import indicator_fields
from opswall.replay import states
from opswall.replay.core import Limit, Moment
from opswall.store.db import Database
from opswall.store.schema import ConfigRevision, IndicatorReport
from opswall.tiles.registry import TileRegistry

CONFIGS_KEPT = 8  # parsed revisions a replay keeps at hand: playing reads the same one


class ReplaySource:
    def __init__(self, db: Database, path: Path, registry: TileRegistry) -> None:
        self.db = db
        self.path = path  # where the catalogue a revision names is looked up
        self.registry = registry
        self._configs: dict[int, Snapshot] = {}
        self._lock = threading.Lock()

    def revision_at(self, at_ms: int) -> tuple[int, datetime] | None:
        """The id and time of the config revision in force at `at_ms` (None: before the first)."""
        at = datetime.fromtimestamp(at_ms / 1000, UTC)
        query = (
            select(ConfigRevision.id, ConfigRevision.at)
            .where(ConfigRevision.at <= at)
            .order_by(ConfigRevision.id.desc())
            .limit(1)
        )
        with self.db.session() as s:
            row = s.execute(query).first()
        return (int(row[0]), row[1]) if row else None

    def revision_after(self, since_ms: int, at_ms: int) -> int | None:
        """The first whole millisecond a config revision made in (since_ms, at_ms] is in
        force (the stored time is finer), or None."""
        query = select(func.min(ConfigRevision.at)).where(
            ConfigRevision.at > _utc(since_ms), ConfigRevision.at <= _utc(at_ms)
        )
        with self.db.session() as s:
            found = s.scalar(query)
        return (
            None
            if found is None
            else epoch_ms(found if found.tzinfo else found.replace(tzinfo=UTC)) + 1
        )

    def snapshot(self, revision: int) -> Snapshot:
        with self._lock:
            if revision in self._configs:
                return self._configs[revision]
        with self.db.session() as s:
            text = s.get_one(ConfigRevision, revision).text
        parsed = snapshot_of(load_config_text(text, self.path, self.registry))
        with self._lock:
            if len(self._configs) >= CONFIGS_KEPT:
                self._configs.pop(next(iter(self._configs)))
            self._configs[revision] = parsed
        return parsed

    def moment(self, at_ms: int, now_ms: int, since_ms: int | None = None) -> Moment | None:
        """The wall at `at_ms` as kept (None: before the first config revision); with
        `since_ms`, also every entry and wall state version after it (a span, played ahead),
        up to just before the first config revision after `since_ms` (`Moment.config_at`)."""
        config_at = None if since_ms is None else self.revision_after(since_ms, at_ms)
        if since_ms is not None and config_at is not None:
            at_ms = max(since_ms, config_at - 1)
        found = self.revision_at(at_ms)
        if found is None:
            return None
        snapshot = self.snapshot(found[0])
        config = snapshot.config
        entries: dict[str, list[FeedEntry]] = {}
        limits: dict[str, Limit] = {}
        back = history_by_feed(config)
        for feed in config.feeds:
            why = self._limit(feed, at_ms, now_ms)
            if why is not None:
                limits[feed.id] = why
            back_ms = back.get(feed.id, 0)
            if since_ms is not None:
                back_ms = max(back_ms, at_ms - since_ms)
            entries[feed.id] = self._entries(feed, at_ms, back_ms, since_ms)
        changes = states.versions(self.db, since_ms, at_ms) if since_ms is not None else []
        state = states.at(self.db, at_ms)
        return Moment(at_ms, snapshot, state, entries, limits, changes, config_at)

    def _limit(self, feed: Feed, at_ms: int, now_ms: int) -> Limit | None:
        if isinstance(feed.source, IndicatorSource):
            return None  # rebuilt from the indicator record, which is never pruned
        if not SOURCE_KINDS.recorded(feed):
            return "unrecorded"
        return "before_retention" if at_ms < now_ms - feed.history.keep * 1000 else None

    def _entries(
        self, feed: Feed, at_ms: int, back_ms: int, since_ms: int | None
    ) -> list[FeedEntry]:
        if isinstance(feed.source, IndicatorSource):
            return published(self.db, feed.source, int(feed.cadence * 1000), at_ms, since_ms)
        if not SOURCE_KINDS.recorded(feed):
            return []
        return history.load(self.db, feed.id, at_ms - back_ms, f"{at_ms + 1}-0")


def _utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def submitted(db: Database, source: IndicatorSource, start_ms: int, end_ms: int) -> list[int]:
    """When reports of the indicator were submitted in (start_ms, end_ms]."""
    query = select(IndicatorReport.submitted_at).where(
        IndicatorReport.code == source.code,
        IndicatorReport.area == source.area,
        IndicatorReport.submitted_at > _utc(start_ms),
        IndicatorReport.submitted_at <= _utc(end_ms),
    )
    with db.session() as s:
        found = [epoch_ms(at if at.tzinfo else at.replace(tzinfo=UTC)) for at in s.scalars(query)]
    return sorted(found)


def published(
    db: Database, source: IndicatorSource, step_ms: int, at_ms: int, since_ms: int | None
) -> list[FeedEntry]:
    """The entries the publisher wrote, each stamped when it was written (the live tile's age
    comes from that stamp): at once on a report, then every cadence after it. Alone, the one
    in the stream at `at_ms`; for a span, each written in it (one read per report submitted
    in the span, plus one). The beat is counted from each submission: the publisher's own
    phase is not kept (README "Time machine")."""
    step = max(1, step_ms)
    start = at_ms if since_ms is None else since_ms
    before = submitted(db, source, 0, start)
    beats = [*before[-1:], *submitted(db, source, start, at_ms)]
    stamped: list[tuple[int, int]] = []  # (written at, the beat's submission)
    for i, beat in enumerate(beats):
        end = beats[i + 1] - 1 if i + 1 < len(beats) else at_ms
        if since_ms is None:
            stamped = [(beat + (end - beat) // step * step, beat)]
            continue
        first = beat + max(0, -(-(start + 1 - beat) // step)) * step
        stamped += [(tick, beat) for tick in range(first, end + 1, step)]
    # Read just after the submission: the stored time is finer than a millisecond.
    fields = {beat: indicator_fields(db, source, _utc(beat + 1)) for beat in beats}
    entries = []
    for tick, beat in stamped:
        found = fields[beat]
        entry = decode_entry(f"{tick}-0", dict(found)) if found else None
        if isinstance(entry, FeedEntry):
            entries.append(entry)
    return entries
