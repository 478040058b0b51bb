"""What a socket joining (or widening its subscription) is owed: the recent entries of the feeds
it names without a resume point, and everything after the point of those it names with one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic

from opswall.config.models import WallConfig
from opswall.feeds.contract import FeedEntry
from opswall.gateway.screens import L, Peer


def history_by_feed(config: WallConfig) -> dict[str, int]:
    """How far back any tile reading a feed looks (ms): what a screen gets on connect."""
    history: dict[str, int] = {}
    for screen in config.screens:
        for tile in screen.tiles:
            for _, binding in tile.bindings():
                ms = int(tile.history_seconds() * 1000)
                history[binding.feed] = max(history.get(binding.feed, 0), ms)
    return history


@dataclass(frozen=True)
class Join(Generic[L]):
    """Taken from the caches at the moment the socket joined, so every entry read later reaches
    it live (held in its backlog until it is ready): no gap, and no duplicate.

    `resumed` holds (feed, last id, entries after it); entries None: the resume point is older
    than the cache, and `gaps` names the stream (feed -> key) the adapter reads it from."""

    peer: Peer[L]
    snapshot: list[tuple[str, FeedEntry]]
    resumed: list[tuple[str, str, list[FeedEntry] | None]]
    gaps: dict[str, str]

    def gap_reads(self) -> dict[str, tuple[str, str]]:
        """feed -> (stream key, last id) for each resume the stream must serve."""
        last = {feed: last_id for feed, last_id, _ in self.resumed}
        return {feed: (key, last[feed]) for feed, key in self.gaps.items()}
