"""The warning life cycle (`control/warnings.py`): raise, acknowledge, clear, each recorded once.

The wall state lives in memory here, changed by the same pure `actions.apply` that
`ControlStore` runs inside its Redis transaction; the record is a real SQLite database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opswall.auth import audit
from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.control import actions
from opswall.control.actions import ActionError
from opswall.control.alert_rules import RuleEngine, Transition
from opswall.control.fleet import ScreenTransition
from opswall.control.state import WallState
from opswall.control.warnings import WarningService, action_of, latest_per_rule
from opswall.feeds.contract import FeedEntry
from opswall.store.db import Database
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"
T0 = 1_800_000_000_000


class MemoryStore:
    """The wall state in memory, one action at a time (what ControlStore does in Redis)."""

    def __init__(self) -> None:
        self.state = WallState()

    def apply(
        self, action: dict[str, Any], actor: str, config: WallConfig
    ) -> tuple[WallState, WallState]:
        before = self.state
        self.state = actions.apply(before, action, actor, config, T0)
        return before, self.state


@pytest.fixture(scope="module")
def config() -> WallConfig:
    return load_config(FIXTURES / "session.yaml", default_registry())


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WarningService]:
    db = Database(f"sqlite:///{tmp_path / 'opswall.db'}")
    db.upgrade()
    yield WarningService(MemoryStore(), db)
    db.dispose()


def judge(config: WallConfig, *values: float) -> list[Transition]:
    engine = RuleEngine(config)
    entries = [FeedEntry(f"{i}-0", T0 + i, {"value": v}) for i, v in enumerate(values, 1)]
    return [t for e in entries for t in engine.observe("wind", e)]


def ack(warning_id: str) -> dict[str, Any]:
    return {"action": "ack", "warning": warning_id}


def steps(service: WarningService) -> list[tuple[str, str, str]]:
    return [(s.warning_id, s.step, s.by) for s in reversed(service.history())]


def test_a_warning_is_raised_acknowledged_and_cleared_under_one_id(
    config: WallConfig, service: WarningService
) -> None:
    """Each step names the warning it belongs to, and who took it."""
    _, raised, cleared = judge(config, 40, 120, 30)
    assert service.apply(raised, config)
    before, after = service.acknowledge(ack("storm:2-0"), "lena", config)
    assert after is not before and after.warning("storm:2-0") is not None
    assert service.apply(cleared, config)
    assert steps(service) == [
        ("storm:2-0", "raised", "system"),
        ("storm:2-0", "acknowledged", "lena"),
        ("storm:2-0", "cleared", "system"),
    ]
    trail = [(r.action, r.target) for r in reversed(audit.recent(service.db))]
    assert trail == [("warning.raised", "storm"), ("warning.cleared", "storm")]


def test_a_step_that_changes_nothing_is_not_recorded(
    config: WallConfig, service: WarningService
) -> None:
    """A second replica raising the same warning, a clear with nothing raised, a second ack."""
    first, raised, _ = judge(config, 40, 120, 30)
    assert not service.apply(first, config)  # a clear after a start, nothing raised
    assert service.apply(raised, config)
    assert not service.apply(raised, config)
    service.acknowledge(ack("storm:2-0"), "lena", config)
    before, after = service.acknowledge(ack("storm:2-0"), "omar", config)
    assert after is before
    before, after = service.acknowledge(ack("no-such-warning"), "omar", config)
    assert after is before
    with pytest.raises(ActionError, match="needs 'warning'"):
        service.acknowledge({"action": "ack"}, "omar", config)
    assert steps(service) == [
        ("storm:2-0", "raised", "system"),
        ("storm:2-0", "acknowledged", "lena"),
    ]


def test_acknowledging_a_cleared_warning_is_recorded(
    config: WallConfig, service: WarningService
) -> None:
    """Acknowledged after the data cleared it, the warning leaves the state; the step stays."""
    _, raised, cleared = judge(config, 40, 120, 30)
    service.apply(raised, config)
    service.apply(cleared, config)
    _, after = service.acknowledge(ack("storm:2-0"), "lena", config)
    assert after.warnings == ()
    assert [s for _, s, _ in steps(service)] == ["raised", "cleared", "acknowledged"]


def test_the_audit_keeps_a_classified_rules_value_out(
    tmp_path: Path, service: WarningService
) -> None:
    """A rule on a classified feed is as classified as the feed: its value is not audited."""
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    path = tmp_path / "wall.yaml"
    path.write_text(text + "  - {id: ops, feed: secret_ops, above: 5, message: Ops}\n")
    config = load_config(path, default_registry())
    engine = RuleEngine(config)
    (raised,) = engine.observe("secret_ops", FeedEntry("1-0", T0, {"value": 9.5}))
    assert service.apply(raised, config)
    (row,) = audit.recent(service.db)
    assert row.detail == {"warning": "ops:1-0", "value": "classified"}


def test_a_transition_asks_for_one_action_and_the_last_per_rule_counts(
    config: WallConfig,
) -> None:
    """What the wall state is told; of a batch, only each rule's last transition."""
    first, raised, cleared = judge(config, 40, 120, 30)
    assert action_of(raised) == {
        "action": "raise",
        "rule": "storm",
        "warning": "storm:2-0",
        "value": 120.0,
    }
    assert action_of(cleared) == {"action": "clear", "rule": "storm"}
    assert latest_per_rule([first, raised, cleared]) == [cleared]
    assert latest_per_rule([]) == []


def test_the_audit_of_a_clear_names_the_warning_it_ended(
    config: WallConfig, service: WarningService
) -> None:
    """`warning.cleared` in the audit names the warning the clear ended, as the warning history
    does, not the entry that ended it (an id no warning ever had)."""
    _, raised, cleared = judge(config, 40, 120, 30)
    service.apply(raised, config)
    service.apply(cleared, config)
    details = [(r.action, r.detail["warning"]) for r in reversed(audit.recent(service.db))]
    assert details == [("warning.raised", "storm:2-0"), ("warning.cleared", "storm:2-0")]


def test_a_rule_raised_and_cleared_twice_records_every_step(
    config: WallConfig, service: WarningService
) -> None:
    """Each episode's clear is its own step (recorded under the rule's id, the second clear hit
    the record's one-step-per-warning constraint and was lost)."""
    for transition in judge(config, 40, 120, 30, 130, 20)[1:]:
        assert service.apply(transition, config)
    assert steps(service) == [
        ("storm:2-0", "raised", "system"),
        ("storm:2-0", "cleared", "system"),
        ("storm:4-0", "raised", "system"),
        ("storm:4-0", "cleared", "system"),
    ]


def test_a_screen_warning_is_raised_once_recorded_and_cleared(
    config: WallConfig, service: WarningService
) -> None:
    """A screen's warning (issue 21) goes through the same service as a rule's: once per
    episode, a message in both languages, recorded and audited, then cleared."""
    screen = config.displays()[0].id
    raised = ScreenTransition(screen, "raise", f"screen:{screen}:1", "disconnected")
    assert service.apply(raised, config)
    assert not service.apply(ScreenTransition(screen, "raise", "again", "no_device"), config)
    [warning] = service.store.state.warnings  # type: ignore[attr-defined]
    assert warning.rule == f"screen:{screen}" and warning.severity == "warning"
    assert "disconnected" in warning.message["en"] and "mất kết nối" in warning.message["vi"]
    assert service.apply(ScreenTransition(screen, "clear", "x"), config)
    assert steps(service) == [
        (f"screen:{screen}:1", "raised", "system"),
        (f"screen:{screen}:1", "cleared", "system"),
    ]
    trail = [(r.action, r.target, r.detail) for r in reversed(audit.recent(service.db))]
    assert [t[:2] for t in trail] == [
        ("warning.raised", f"screen:{screen}"),
        ("warning.cleared", f"screen:{screen}"),
    ]
