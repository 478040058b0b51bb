"""What a replay can jump to (issue 24): scene changes and other control actions (the wall
state versions), warnings raised, acknowledged and cleared, reports submitted, config changes.
Read from the database only; newest last."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from opswall.clock import epoch_ms
from opswall.replay import states
from opswall.store.db import Database
from opswall.store.schema import ConfigRevision, IndicatorReport, WarningEvent

SCENE_ACTIONS = ("scene", "release")
LIMIT = 500  # events per answer: a session's worth


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite drops the zone


def _ms(value: datetime) -> int:
    return epoch_ms(_aware(value))


def events(db: Database, start_ms: int, end_ms: int) -> list[dict[str, Any]]:
    """Every event in (start_ms, end_ms]: {at, kind, what, by}, oldest first."""
    start = datetime.fromtimestamp(start_ms / 1000, UTC)
    end = datetime.fromtimestamp(end_ms / 1000, UTC)
    found: list[dict[str, Any]] = [
        {
            "at": at,
            "kind": "scene" if action in SCENE_ACTIONS else "control",
            "what": action,
            "by": by,
        }
        for at, action, by in states.between(db, start_ms, end_ms)
        if action not in ("raise", "ack", "clear")  # told by the warnings' own life cycle
    ]
    with db.session() as s:
        for w in s.scalars(
            select(WarningEvent).where(WarningEvent.at > start, WarningEvent.at <= end)
        ):
            found.append({"at": _ms(w.at), "kind": w.step, "what": w.rule, "by": w.by})
        for r in s.scalars(
            select(IndicatorReport).where(
                IndicatorReport.submitted_at > start, IndicatorReport.submitted_at <= end
            )
        ):
            what = f"{r.code} {r.area} {r.period} r{r.revision}"
            found.append(
                {"at": _ms(r.submitted_at), "kind": "report", "what": what, "by": r.submitted_by}
            )
        for c in s.scalars(
            select(ConfigRevision).where(ConfigRevision.at > start, ConfigRevision.at <= end)
        ):
            found.append({"at": _ms(c.at), "kind": "config", "what": f"#{c.id}", "by": c.by})
    found.sort(key=lambda e: e["at"])
    return found[-LIMIT:]
