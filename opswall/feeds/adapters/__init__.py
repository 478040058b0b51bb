"""Feed adapters: one module per source kind, chosen by this explicit table."""

from __future__ import annotations

from opswall.config.feed_sources import HttpPollSource, MqttSource, SqlPollSource
from opswall.config.models import Feed
from opswall.feeds.adapters.base import Adapter, CursorStore, FeedOutlet
from opswall.feeds.adapters.http_poll import HttpPoll
from opswall.feeds.adapters.mqtt import Mqtt
from opswall.feeds.adapters.sql_poll import SqlPoll
from opswall.store.redis_client import AsyncClient


def adapter_for(feed: Feed, redis: AsyncClient | None) -> Adapter | None:
    """The adapter that feeds `feed`, or None when opswall runs none for it. Without Redis
    (`opswall feeds test`) cursors start from the config and bad records raise."""
    source = feed.source
    cursor = CursorStore(redis, feed.id) if redis is not None else None
    # Where records that fit no entry are set aside, with their reason (dead letters).
    outlet = FeedOutlet(redis, feed, source.kind) if redis is not None else None
    if isinstance(source, HttpPollSource):
        return HttpPoll(feed, source, cursor, outlet)
    if isinstance(source, SqlPollSource):
        return SqlPoll(feed, source, cursor, outlet)
    if isinstance(source, MqttSource):
        return Mqtt(feed, source, outlet)
    return None
