"""What the gateway core asks its adapters to do, and what they tell it back (issue 19).

The core reads no socket, no Redis and no clock: it is told what was read and what time it is,
and answers with `Effects`: frames for groups of sockets, and writes (dead letters, rule
transitions) for the record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Generic

from opswall.control.alert_rules import AnyTransition
from opswall.feeds.bounds import escaped
from opswall.feeds.contract import Rejected
from opswall.gateway.fleet import Published
from opswall.gateway.screens import L, Send


@dataclass(frozen=True)
class Reply:
    """A reader group's XREAD reply (or the error that ended it), and when it came (monotonic
    seconds, the clock the adapter also gives `GatewayCore.seed_control`)."""

    slot: int
    response: Any
    at: float


@dataclass(frozen=True)
class DeadLetter:
    """A malformed entry to set aside under its own id, with its reason."""

    feed: str
    stream: str
    entry: Rejected
    raw: dict[Any, Any]

    def fields(self) -> dict[str, str]:
        return dead_letter_fields(self.stream, self.entry, self.raw)


@dataclass(frozen=True)
class HistoryWant:
    """Recorded entries a seeded feed's cache lacks: as of `since_ms`, older than `before`."""

    feed: str
    since_ms: int
    before: str | None


@dataclass
class Effects(Generic[L]):
    sends: list[Send[L]] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    transitions: list[AnyTransition] = field(default_factory=list)  # the last one per rule
    published: bool = False  # entries went out: the reader paces its next read from now
    fleet: Published | None = None  # the devices this gateway serves, to publish

    def __iadd__(self, other: Effects[L]) -> Effects[L]:
        self.sends += other.sends
        self.dead_letters += other.dead_letters
        self.transitions = last_per_rule([*self.transitions, *other.transitions])
        self.published = self.published or other.published
        self.fleet = other.fleet or self.fleet
        return self


def last_per_rule(transitions: list[AnyTransition]) -> list[AnyTransition]:
    """Only where each rule (or screen) ends up counts: one write per rule."""
    return list({t.rule_id: t for t in transitions}.values())


def dead_letter_fields(key: str, rejected: Rejected, raw: dict[Any, Any]) -> dict[str, str]:
    """A dead letter: the reason, the stream, the original fields escaped (bytes that are not
    UTF-8, lone surrogates) and cut short: keeping the evidence must not fail on the very entry
    it is about."""
    original = {escaped(k[:200]): escaped(v[:2000]) for k, v in list(raw.items())[:64]}
    return {
        "reason": escaped(rejected.reason),
        "stream": key,
        "entry": json.dumps(original, ensure_ascii=False),
    }
