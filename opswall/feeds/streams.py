"""Stream sizes shared by every writer and reader of feed streams (names: `opswall.keys`)."""

from __future__ import annotations

import math

from opswall.config.models import Feed

REPLAY_SECONDS = 3600  # entries a screen can replay after a disconnect, per feed
DEADLETTER_MAXLEN = 1000


def stream_maxlen(feed: Feed) -> int:
    """Enough entries to cover REPLAY_SECONDS at the feed's cadence, within sane bounds."""
    return min(20_000, max(500, math.ceil(REPLAY_SECONDS / feed.cadence)))


HEALTH_TTL = 7 * 86400  # a removed feed's report fades away
