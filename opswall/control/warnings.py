"""Warnings' life cycle in the record: raised, acknowledged (by whom), cleared. Append-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from opswall.store.db import Database
from opswall.store.schema import WarningEvent


@dataclass(frozen=True)
class WarningStep:
    warning_id: str
    step: str
    at: datetime
    by: str
    rule: str
    severity: str
    message: str


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
