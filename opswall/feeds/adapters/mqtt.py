"""`mqtt`: subscribe to topics on a broker; each message becomes an entry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import unquote, urlsplit

import aiomqtt

from opswall.config.models import Feed
from opswall.config.sources import MqttSource
from opswall.feeds.adapters.base import AdapterError, Batch, FeedOutlet, expand_env
from opswall.feeds.normalize import NormalizeError, normalize, parse_payload


class Mqtt:
    def __init__(self, feed: Feed, source: MqttSource, outlet: FeedOutlet | None) -> None:
        self.feed = feed
        self.source = source
        self.outlet = outlet  # bad messages are set aside here, and the subscription goes on
        url = urlsplit(expand_env(source.url))
        if url.scheme != "mqtt" or not url.hostname:
            raise AdapterError(f"'{source.url}' is not mqtt://host:port")
        self.host, self.port = url.hostname, url.port or 1883
        self.username = unquote(url.username) if url.username else None
        self.password = unquote(url.password) if url.password else None

    def entries_of(self, topic: str, payload: bytes) -> Batch:
        entries = normalize(parse_payload(payload, self.source.format), self.source)
        if self.source.topic_field:
            entries = [{**entry, self.source.topic_field: topic} for entry in entries]
        return entries

    async def batches(self) -> AsyncIterator[Batch]:
        try:
            async with aiomqtt.Client(
                self.host,
                self.port,
                username=self.username,
                password=self.password,
                identifier=f"opswall-{self.feed.id}",
                keepalive=30,
            ) as client:
                for topic in self.source.topics:
                    await client.subscribe(topic, qos=1)
                yield []  # subscribed: the adapter is healthy before the first message
                async for message in client.messages:
                    payload = (
                        bytes(message.payload)
                        if isinstance(message.payload, bytes | bytearray)
                        else str(message.payload).encode()
                    )
                    try:
                        yield self.entries_of(str(message.topic), payload)
                    except NormalizeError as exc:
                        if self.outlet is None:
                            raise
                        await self.outlet.set_aside(str(exc), payload.decode("utf-8", "replace"))
        except aiomqtt.MqttError as exc:
            raise AdapterError(f"broker {self.host}:{self.port}: {exc}") from None

    async def close(self) -> None:
        return None
