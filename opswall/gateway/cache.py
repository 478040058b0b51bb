"""Recent entries per feed, enough to serve a snapshot or a resume without asking Redis."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import chain
from typing import Any

from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import is_after, parse_id

SNAPSHOT_MIN_ENTRIES = 2  # latest and previous: a KPI's change needs both

# An entry as held: (id, asof_ms, (name, value, name, value, ...)). CPython stops tracking a
# tuple of strings and numbers (and of such tuples; not one holding a dict), so a full cache of
# numeric entries adds nothing to the collector's full passes (young collections, every few
# hundred allocations, untrack the tuples long before they reach the oldest generation). Held
# as FeedEntry objects, 48 feeds' caches made every full pass take ~30 ms (~60 ms on a gateway
# held to half a core): a lag spike on every screen every few seconds at high rates.
Held = tuple[str, int, tuple[Any, ...]]


def _entry(held: Held) -> FeedEntry:
    flat = held[2]
    return FeedEntry(held[0], held[1], dict(zip(flat[::2], flat[1::2], strict=True)))


def _held(entry: FeedEntry) -> Held:
    return (entry.id, entry.asof_ms, tuple(chain.from_iterable(entry.fields.items())))


def recent_of(entries: Sequence[FeedEntry], since_ms: int) -> list[FeedEntry]:
    """What a snapshot of `entries` (oldest first) holds: those as of `since_ms`, never fewer
    than the newest `SNAPSHOT_MIN_ENTRIES` (`FeedCache.recent` on held entries)."""
    recent = [e for e in entries if e.asof_ms >= since_ms]
    return list(entries[-SNAPSHOT_MIN_ENTRIES:]) if len(recent) < SNAPSHOT_MIN_ENTRIES else recent


class FeedCache:
    """A bounded, ordered window of one feed's decoded entries."""

    def __init__(self, size: int) -> None:
        self.held: deque[Held] = deque(maxlen=size)
        self.complete_from: str | None = None  # everything after this id is held (None: all)

    @property
    def entries(self) -> list[FeedEntry]:
        """The held entries, oldest first (a copy)."""
        return [_entry(h) for h in self.held]

    def __len__(self) -> int:
        return len(self.held)

    def oldest(self) -> FeedEntry | None:
        return _entry(self.held[0]) if self.held else None

    def newest(self, count: int) -> list[FeedEntry]:
        return [_entry(self.held[i]) for i in range(max(0, len(self.held) - count), len(self.held))]

    def add(self, entry: FeedEntry) -> None:
        if self.held and not is_after(entry.id, self.held[-1][0]):
            return  # already held: a resumed read can return what we have
        if len(self.held) == self.held.maxlen:
            self.complete_from = self.held[0][0]
        self.held.append(_held(entry))

    def prepend(self, older: list[FeedEntry]) -> None:
        """Entries from before the oldest held one (the history database), as room allows."""
        if self.held:
            first = self.held[0][0]
            older = [e for e in older if is_after(first, e.id)]
        room = (self.held.maxlen or 0) - len(self.held)
        if room <= 0:
            return
        for entry in reversed(older[-room:]):
            self.held.appendleft(_held(entry))

    def mark_partial(self) -> None:
        """The stream held more than we read: only ids from our oldest entry on are covered."""
        if self.held:
            self.complete_from = self.held[0][0]

    def after(self, last_id: str) -> list[FeedEntry] | None:
        """Entries after `last_id`, or None when some may have fallen out of the cache."""
        if self.complete_from is not None and parse_id(last_id) < parse_id(self.complete_from):
            return None
        return [_entry(h) for h in self.held if is_after(h[0], last_id)]

    def recent(self, since_ms: int) -> list[FeedEntry]:
        """Entries as of `since_ms` or later, and never fewer than the last two."""
        recent = [_entry(h) for h in self.held if h[1] >= since_ms]
        return self.newest(SNAPSHOT_MIN_ENTRIES) if len(recent) < SNAPSHOT_MIN_ENTRIES else recent
