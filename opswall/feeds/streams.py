"""Stream names and sizes shared by every writer and reader of feed streams."""

from __future__ import annotations

import math

from opswall.config.models import Feed

REPLAY_SECONDS = 3600  # entries a screen can replay after a disconnect, per feed
DEADLETTER_MAXLEN = 1000
DEADLETTER_COUNTS = "opswall:deadletters"


def stream_maxlen(feed: Feed) -> int:
    """Enough entries to cover REPLAY_SECONDS at the feed's cadence, within sane bounds."""
    return min(20_000, max(500, math.ceil(REPLAY_SECONDS / feed.cadence)))


def deadletter_key(feed_id: str) -> str:
    return f"deadletter:{feed_id}"


def health_key(feed_id: str) -> str:
    """The adapter's own report (state, last error, counts), written by the feed runner."""
    return f"feedhealth:{feed_id}"


HEALTH_TTL = 7 * 86400  # a removed feed's report fades away
