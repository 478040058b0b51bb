"""Recent entries per feed, enough to serve a snapshot or a resume without asking Redis."""

from __future__ import annotations

from collections import deque

from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import is_after, parse_id

SNAPSHOT_MIN_ENTRIES = 2  # latest and previous: a KPI's change needs both


class FeedCache:
    """A bounded, ordered window of one feed's decoded entries."""

    def __init__(self, size: int) -> None:
        self.entries: deque[FeedEntry] = deque(maxlen=size)
        self.complete_from: str | None = None  # everything after this id is held (None: all)

    def add(self, entry: FeedEntry) -> None:
        if self.entries and not is_after(entry.id, self.entries[-1].id):
            return  # already held: a resumed read can return what we have
        if len(self.entries) == self.entries.maxlen:
            self.complete_from = self.entries[0].id
        self.entries.append(entry)

    def prepend(self, older: list[FeedEntry]) -> None:
        """Entries from before the oldest held one (the history database), as room allows."""
        if self.entries:
            first = self.entries[0].id
            older = [e for e in older if is_after(first, e.id)]
        room = (self.entries.maxlen or 0) - len(self.entries)
        if room <= 0:
            return
        for entry in reversed(older[-room:]):
            self.entries.appendleft(entry)

    def mark_partial(self) -> None:
        """The stream held more than we read: only ids from our oldest entry on are covered."""
        if self.entries:
            self.complete_from = self.entries[0].id

    def after(self, last_id: str) -> list[FeedEntry] | None:
        """Entries after `last_id`, or None when some may have fallen out of the cache."""
        if self.complete_from is not None and parse_id(last_id) < parse_id(self.complete_from):
            return None
        return [e for e in self.entries if is_after(e.id, last_id)]

    def recent(self, since_ms: int) -> list[FeedEntry]:
        """Entries as of `since_ms` or later, and never fewer than the last two."""
        held = list(self.entries)
        recent = [e for e in held if e.asof_ms >= since_ms]
        return held[-SNAPSHOT_MIN_ENTRIES:] if len(recent) < SNAPSHOT_MIN_ENTRIES else recent
