"""The warning life cycle, one service for both processes (issue 19).

A rule raises or clears a warning (the gateway, acting as the system); a person acknowledges it
(the web app). Each step changes the shared wall state through the state store, and a step that
changed it is appended once to the warning history (`warning_events`, append-only) and the audit
trail. Before this module the gateway and the web app each wrote their half of the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from opswall.auth import audit
from opswall.config.models import WallConfig
from opswall.control.alert_rules import AnyTransition, audit_value
from opswall.control.fleet import ScreenTransition
from opswall.control.state import ActiveWarning, WallState
from opswall.store.db import Database
from opswall.store.schema import WarningEvent


class StateStore(Protocol):
    """Where the wall state lives (`ControlStore` in Redis): applies one action atomically."""

    def apply(
        self, action: dict[str, Any], actor: str, config: WallConfig
    ) -> tuple[WallState, WallState]: ...


@dataclass(frozen=True)
class WarningStep:
    warning_id: str
    step: str
    at: datetime
    by: str
    rule: str
    severity: str
    message: str


def action_of(transition: AnyTransition) -> dict[str, Any]:
    """The wall-state action a rule's or a screen's transition asks for."""
    if transition.kind == "clear":
        return {"action": "clear", "rule": transition.rule_id}
    if isinstance(transition, ScreenTransition):
        return {
            "action": "screen_down",
            "screen": transition.screen,
            "warning": transition.warning_id,
            "state": transition.state,
        }
    return {
        "action": "raise",
        "rule": transition.rule_id,
        "warning": transition.warning_id,
        "value": transition.value,
    }


def latest_per_rule(transitions: Iterable[AnyTransition]) -> list[AnyTransition]:
    """Of one batch of transitions, the last of each rule: only it says how the rule stands."""
    return list({t.rule_id: t for t in transitions}.values())


def cleared(before: WallState, after: WallState, rule: str) -> list[ActiveWarning]:
    """The warnings of `rule` that a clear ended (gone from the state, or marked cleared)."""
    return [
        w
        for w in before.warnings
        if w.rule == rule and not w.cleared and ((a := after.warning(w.id)) is None or a.cleared)
    ]


class WarningService:
    """Raise, clear and acknowledge warnings; each step that changed the wall state is recorded
    once. Calls block (Redis and the database): the gateway runs them in a thread."""

    def __init__(self, store: StateStore, db: Database) -> None:
        self.store = store
        self.db = db

    def apply(self, transition: AnyTransition, config: WallConfig) -> bool:
        """Apply a rule's (or a screen's) raise or clear to the wall state; True when it changed
        the state. Redis errors propagate: the caller forgets the state and judges it again."""
        before, after = self.store.apply(action_of(transition), audit.SYSTEM.name, config)
        if after is before:
            return False  # already raised or cleared, by this replica or another
        rule = transition.rule_id
        if transition.kind == "raise":
            steps = [w for w in after.warnings if w.id == transition.warning_id]
        else:
            steps = cleared(before, after, rule)
        step = "raised" if transition.kind == "raise" else "cleared"
        for warning in steps:
            self._step(warning, step, audit.SYSTEM.name)
        # The warnings the step belongs to: a clear's own id names the entry that ended them.
        ended = ", ".join(w.id for w in steps) or transition.warning_id
        detail = {"warning": ended} | _value(config, transition)
        audit.record(self.db, audit.SYSTEM, f"warning.{step}", rule, detail)
        return True

    def acknowledge(
        self, action: dict[str, Any], by: str, config: WallConfig
    ) -> tuple[WallState, WallState]:
        """A person acknowledges a warning (`{"action": "ack", "warning": id}` from the panel,
        checked like every action): (before, after), `after is before` if nothing changed.
        The action itself is audited by whoever asked (the control API audits every action)."""
        before, after = self.store.apply(action, by, config)
        # An acknowledged warning that was already cleared leaves the state: look before too.
        warning_id = str(action.get("warning"))
        warning = after.warning(warning_id) or before.warning(warning_id)
        if after is not before and warning is not None:
            self._step(warning, "acknowledged", by)
        return before, after

    def history(self, limit: int = 200) -> list[WarningStep]:
        return history(self.db, limit)

    def _step(self, warning: ActiveWarning, step: str, by: str) -> None:
        message = warning.message.get("en", "")
        record_step(self.db, warning.id, step, by, warning.rule, warning.severity, message)


def _value(config: WallConfig, transition: AnyTransition) -> dict[str, Any]:
    if isinstance(transition, ScreenTransition):
        return {"state": transition.state}
    return audit_value(config, transition.rule_id, transition.value)


def record_step(
    db: Database, warning_id: str, step: str, by: str, rule: str, severity: str, message: str
) -> bool:
    """Append one step; False when it was already recorded (another gateway replica)."""
    try:
        with db.session() as s:
            s.add(
                WarningEvent(
                    warning_id=warning_id,
                    step=step,
                    by=by,
                    rule=rule,
                    severity=severity,
                    message=message,
                )
            )
    except IntegrityError:
        return False
    return True


def history(db: Database, limit: int = 200) -> list[WarningStep]:
    with db.session() as s:
        rows = s.scalars(select(WarningEvent).order_by(WarningEvent.id.desc()).limit(limit)).all()
    return [
        WarningStep(r.warning_id, r.step, r.at, r.by, r.rule, r.severity, r.message) for r in rows
    ]
