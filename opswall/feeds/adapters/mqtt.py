"""`mqtt`: subscribe to topics on a broker; each message becomes an entry."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from urllib.parse import unquote, urlsplit

import aiomqtt

from opswall.config.feed_sources import MqttSource
from opswall.config.models import Feed
from opswall.feeds.adapters.base import AdapterError, Batch, FeedOutlet, expand_env, kept
from opswall.feeds.normalize import NormalizeError, Refusal, parse_payload, sorted_out

log = logging.getLogger("opswall.feeds")


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

    def sorted_out(self, topic: str, payload: bytes) -> tuple[Batch, list[Refusal]]:
        """One message's entries, and what in it was refused (the whole message if unusable)."""
        try:
            entries, refused = sorted_out(parse_payload(payload, self.source.format), self.source)
        except NormalizeError as exc:
            return [], [Refusal(str(exc), payload[:2000].decode("utf-8", "backslashreplace"))]
        if self.source.topic_field:
            entries = [{**entry, self.source.topic_field: topic} for entry in entries]
        return entries, refused

    async def handled(self, topic: str, payload: bytes) -> Batch:
        """A message's entries, what it holds that fits none set aside; never raises for one
        message, so the subscription (and its queue of messages) goes on (issue 17). What fails
        unforeseen is set aside too, so it is counted with the dead letters."""
        try:
            return await kept(self.outlet, *self.sorted_out(topic, payload))
        except NormalizeError:
            raise  # no outlet: `opswall feeds test` shows the reason
        except Exception as exc:  # isolation: the next message must not pay for this one
            if self.outlet is None:
                raise
            log.exception("feed %s: a message on %s could not be handled", self.feed.id, topic)
            await self.outlet.set_aside(f"unexpected {type(exc).__name__}", payload)
            return []

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
                    entries = await self.handled(str(message.topic), payload)
                    if entries:
                        yield entries
        except aiomqtt.MqttError as exc:
            raise AdapterError(f"broker {self.host}:{self.port}: {exc}") from None

    async def close(self) -> None:
        return None
