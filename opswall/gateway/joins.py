"""What a socket joining (or widening its subscription) is owed: the recent entries of the feeds
it names without a resume point, and everything after the point of those it names with one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic

from opswall.config.models import WallConfig
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.stream_ids import RawEntry, is_after
from opswall.gateway.cache import SNAPSHOT_MIN_ENTRIES, FeedCache
from opswall.gateway.effects import HistoryWant
from opswall.gateway.screens import L, Peer

Filled = Mapping[str, list[RawEntry] | None]  # feed -> a gap read from its stream (None: failed)


def history_by_feed(config: WallConfig) -> dict[str, int]:
    """How far back any tile reading a feed looks (ms): what a screen gets on connect."""
    return {feed: int(seconds * 1000) for feed, seconds in config.look_back().items()}


def missing_past(
    feed_id: str, oldest: FeedEntry | None, held: int, since_ms: int
) -> HistoryWant | None:
    """What the history database should add to the `held` newest entries of a feed read from
    its stream (all it had, or back to `since_ms` at least; `oldest` the first of them) for a
    snapshot as of `since_ms`: None when they reach that far back and are enough."""
    if oldest is not None and oldest.asof_ms <= since_ms and held >= SNAPSHOT_MIN_ENTRIES:
        return None
    return HistoryWant(feed_id, since_ms, oldest.id if oldest else None)


@dataclass(frozen=True)
class Resume:
    """A feed named with the last id the screen applied; `cached` None: that id is older than
    the cache, and the entries after it are read from the stream `key`."""

    feed: str
    last_id: str
    key: str
    cached: list[FeedEntry] | None


@dataclass(frozen=True)
class Join(Generic[L]):
    """Taken from the caches at the moment the socket joined, so every entry read later reaches
    it live (held in its backlog until it is ready): no gap, and no duplicate."""

    peer: Peer[L]
    snapshot: list[tuple[str, FeedEntry]]
    resumed: list[Resume]

    def gap_reads(self) -> dict[str, tuple[str, str]]:
        """feed -> (stream key, last id) for each resume the stream must serve."""
        return {r.feed: (r.key, r.last_id) for r in self.resumed if r.cached is None}

    def entries(
        self, filled: Filled, caches: Mapping[str, FeedCache]
    ) -> list[tuple[str, FeedEntry]]:
        """The snapshot, then each resume: from the cache, the stream, or (the stream read
        failed) whatever the cache holds after the point."""
        entries = list(self.snapshot)
        for resume in self.resumed:
            got = resume.cached
            if got is None:
                raw = filled.get(resume.feed)
                got = (
                    [e for e in caches[resume.feed].entries if is_after(e.id, resume.last_id)]
                    if raw is None
                    else [e for e in (decode_entry(*r) for r in raw) if isinstance(e, FeedEntry)]
                )
            entries += [(resume.feed, e) for e in got]
        return entries


def plan(
    peer: Peer[L],
    feeds: frozenset[str],
    last: Mapping[str, str],
    caches: Mapping[str, FeedCache],
    since: Callable[[str], int],
    stream_key: Callable[[str], str],
) -> Join[L]:
    """`since(feed)`: the oldest asof (ms) a snapshot of the feed holds."""
    ordered = sorted(feeds)
    snapshot = [
        (feed, entry)
        for feed in ordered
        if feed not in last
        for entry in caches[feed].recent(since(feed))
    ]
    resumed = [
        Resume(f, last[f], stream_key(f), caches[f].after(last[f])) for f in ordered if f in last
    ]
    return Join(peer, snapshot, resumed)
