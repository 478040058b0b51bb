"""The latest value of each feed, as a short text the studio writes on the tiles that read it
(issue 20, part 1: the layout drawn with its live values). One pipelined round trip to Redis.
"""

from __future__ import annotations

from typing import Any

from opswall.config.models import WallConfig
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.stream_ids import raw_entries
from opswall.store.redis_client import SyncClient

TEXT_LIMIT = 40


def latest_values(client: SyncClient, config: WallConfig, clearance: bool) -> dict[str, str]:
    """Feed id -> its newest entry in a few words ("1 234.5 MW", "12 ×"); feeds with no entry
    (or an undecodable one), and classified feeds for a person without clearance, left out."""
    feeds = [feed for feed in config.feeds if clearance or not feed.classified]
    pipe = client.pipeline(transaction=False)
    for feed in feeds:
        pipe.xrevrange(feed.stream_key, "+", "-", count=1)
    values = {}
    for feed, reply in zip(feeds, pipe.execute(), strict=True):
        entries = raw_entries(reply)
        entry = decode_entry(*entries[0]) if entries else None
        if isinstance(entry, FeedEntry):
            values[feed.id] = short(entry.fields, feed.unit or "")
    return values


def short(fields: dict[str, Any], unit: str) -> str:
    """An entry's `value` with the feed's unit, else its first field, else how many rows."""
    value = fields.get("value", next(iter(fields.values()), ""))
    if isinstance(value, list | dict):
        text = f"{len(value)} ×"
    elif isinstance(value, float):
        text = f"{value:,.1f}".replace(",", "\u202f")
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}".replace(",", "\u202f")
    else:
        text = str(value)
    return f"{text} {unit}".strip()[:TEXT_LIMIT]
