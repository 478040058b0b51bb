"""Carries out what the core asks (issue 19): frames broadcast to the sockets, dead letters to
Redis, rule transitions to the shared wall state and the record. Thin: every decision was the
core's; the clients, the control store and the database are made outside and passed in."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any, Generic

from redis.exceptions import RedisError, ResponseError
from sqlalchemy.exc import SQLAlchemyError

from opswall.control.alert_rules import AnyTransition
from opswall.control.fleet import merged
from opswall.control.warnings import WarningService, latest_per_rule
from opswall.feeds.stream_ids import as_text
from opswall.feeds.streams import DEADLETTER_MAXLEN
from opswall.gateway.core import GatewayCore
from opswall.gateway.effects import DeadLetter, Effects
from opswall.gateway.fleet import Others, Published
from opswall.gateway.screens import L
from opswall.keys import DEADLETTER_COUNTS, FLEET, deadletter_stream
from opswall.store.redis_client import AsyncClient

log = logging.getLogger("opswall.gateway")

Broadcast = Callable[[list[L], str], None]  # websockets' broadcast: one encoded frame, many sockets


class RecordWriter:
    """Dead letters to Redis; rule transitions to the warning service (wall state and record)."""

    def __init__(
        self,
        client: AsyncClient,
        warnings: WarningService,
        core: GatewayCore[Any],
        replica: str = "gateway",
    ) -> None:
        self.client = client
        self.warnings = warnings
        self.core = core
        self.replica = replica  # this gateway's field in the fleet hash

    async def fleet(self, published: Published | None) -> None:
        """The devices this gateway serves, for the web process's fleet page (issue 21)."""
        if published is None:
            return
        try:
            await self.client.hset(FLEET, self.replica, published.json())
        except (RedisError, OSError) as exc:
            log.warning("fleet not published (%s)", exc)

    async def dead_letters(self, letters: list[DeadLetter]) -> None:
        """Set malformed entries aside with their reasons, in one round trip (a poisoned feed
        may send hundreds at once); each is counted once across gateway replicas."""
        if not letters:
            return
        async with self.client.pipeline(transaction=False) as pipe:
            for letter in letters:
                log.warning(
                    "feed %s: entry %s set aside: %s",
                    letter.feed,
                    letter.entry.id,
                    letter.entry.reason,
                )
                # Same id as the original: a second replica's XADD fails, so it is kept once.
                pipe.xadd(
                    deadletter_stream(letter.feed),
                    letter.fields(),  # type: ignore[arg-type]
                    id=letter.entry.id,
                    maxlen=DEADLETTER_MAXLEN,
                    approximate=True,
                )
            results = await pipe.execute(raise_on_error=False)
        kept = Counter(
            letter.feed
            for letter, result in zip(letters, results, strict=True)
            if not isinstance(result, ResponseError)
        )
        if kept:
            async with self.client.pipeline(transaction=False) as pipe:
                for feed_id, count in kept.items():
                    pipe.hincrby(DEADLETTER_COUNTS, feed_id, count)
                await pipe.execute()

    async def others(self, now: int) -> Others:
        """The devices the other gateway replicas published: screen warnings judge them all."""
        try:
            fields = await self.client.hgetall(FLEET)
        except (RedisError, OSError) as exc:
            log.warning("fleet of other gateways not read (%s)", exc)
            return [], now
        return merged([v for k, v in fields.items() if as_text(k) != self.replica], now)

    async def transitions(self, transitions: list[AnyTransition]) -> None:
        """Raise or clear warnings through the one warning service (the wall state, then the
        record of each step that changed it)."""
        for transition in latest_per_rule(transitions):
            try:
                await asyncio.to_thread(self.warnings.apply, transition, self.core.config)
            except (RedisError, OSError) as exc:
                log.warning("rule %s not applied (%s)", transition.rule_id, exc)
                self.core.transition_failed(transition.rule_id)
            except SQLAlchemyError as exc:
                # The wall state changed (screens follow it); only the record of the step is
                # lost. Judging the rule again would not bring it back: the state holds it.
                log.error(
                    "rule %s: %s step not recorded (%s)", transition.rule_id, transition.kind, exc
                )


class Outlet(Generic[L]):
    """Effects in the order the core means them: frames first (before any write that could
    fail), then dead letters, then transitions."""

    def __init__(self, broadcast: Broadcast[L], writer: RecordWriter) -> None:
        self.broadcast = broadcast
        self.writer = writer

    def send(self, effects: Effects[L]) -> None:
        for links, frame in effects.sends:
            self.broadcast(links, frame)

    async def carry_out(self, effects: Effects[L]) -> None:
        self.send(effects)
        await self.writer.dead_letters(effects.dead_letters)
        await self.writer.transitions(effects.transitions)
        await self.writer.fleet(effects.fleet)
