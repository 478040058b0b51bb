"""Alert rules over feed entries: pure. `observe` and `check_silence` return the transitions
(raise or clear) of each rule; the gateway turns them into wall-state actions.

A rule starts in an unknown state, so its first evaluation after a start yields a transition
either way: a warning raised before a restart is cleared if the data says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from opswall.config.models import Rule, WallConfig
from opswall.control.fleet import ScreenTransition
from opswall.feeds.contract import FeedEntry


@dataclass(frozen=True)
class Transition:
    rule: Rule
    kind: Literal["raise", "clear"]
    warning_id: str
    value: float | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.id


AnyTransition = Transition | ScreenTransition  # a rule's, or a screen's (issue 21)


class RuleEngine:
    def __init__(self, config: WallConfig) -> None:
        self.config = config
        self.active: dict[str, bool | None] = {rule.id: None for rule in config.rules}
        self.previous: dict[str, tuple[int, float]] = {}  # rule -> (asof, value), for rates
        self.last_asof: dict[str, int] = {}  # feed -> newest asof seen

    def _evaluate(self, rule: Rule, entry: FeedEntry) -> bool | None:
        value = entry.fields.get(rule.field)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None  # nothing to judge: the rule keeps its state
        if rule.above is not None:
            return value > rule.above
        if rule.below is not None:
            return value < rule.below
        if rule.rate_above is not None:
            before = self.previous.get(rule.id)
            self.previous[rule.id] = (entry.asof_ms, float(value))
            if before is None or entry.asof_ms <= before[0]:
                return None
            per_minute = (value - before[1]) / ((entry.asof_ms - before[0]) / 60000)
            return per_minute > rule.rate_above
        return False  # silent: data arrived

    def _transition(
        self, rule: Rule, active: bool, warning_id: str, value: float | None
    ) -> list[Transition]:
        if self.active.get(rule.id) == active:
            return []
        self.active[rule.id] = active
        return [Transition(rule, "raise" if active else "clear", warning_id, value)]

    def observe(self, feed_id: str, entry: FeedEntry) -> list[Transition]:
        self.last_asof[feed_id] = max(entry.asof_ms, self.last_asof.get(feed_id, 0))
        transitions: list[Transition] = []
        for rule in self.config.rules:
            if rule.feed != feed_id:
                continue
            active = self._evaluate(rule, entry)
            if active is not None:
                value = entry.fields.get(rule.field)
                number = float(value) if isinstance(value, int | float) else None
                transitions += self._transition(rule, active, f"{rule.id}:{entry.id}", number)
        return transitions

    def check_silence(self, now_ms: int) -> list[Transition]:
        transitions: list[Transition] = []
        for rule in self.config.rules:
            if rule.silent is None or rule.feed not in self.last_asof:
                continue
            limit = rule.silent * self.config.feed(rule.feed).cadence * 1000
            if now_ms - self.last_asof[rule.feed] > limit:
                transitions += self._transition(rule, True, f"{rule.id}:{now_ms}", None)
        return transitions


def classified_rules(config: WallConfig) -> frozenset[str]:
    """Rules watching a classified feed: their values are classified too."""
    secret = {feed.id for feed in config.feeds if feed.classified}
    return frozenset(rule.id for rule in config.rules if rule.feed in secret)


def audit_value(config: WallConfig, rule_id: str, value: float | None) -> dict[str, Any]:
    """What the audit keeps of a transition's value: operators without clearance read it."""
    if rule_id in classified_rules(config):
        return {"value": "classified"}
    return {"value": value}
