"""Wall state versions in the database: every version the control store applies is appended
(issue 24), and read back as the state in force at an instant. Rows are never updated; the
retention job deletes old ones only after declaring a prune floor (`store/append_only.py`)."""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from opswall.control.state import WallState
from opswall.store.db import Database
from opswall.store.schema import PruneFloor, WallStateVersion

log = logging.getLogger("opswall.replay")

TABLE = "wall_states"


def record(db: Database, state: WallState, action: str) -> None:
    """Append `state` (stamped `at_ms` by the action that made it)."""
    with db.session() as s:
        s.add(
            WallStateVersion(
                version=state.version,
                at_ms=state.at_ms,
                by=state.by[:64],
                action=action[:32],
                state=state.to_json(),
            )
        )


def record_quietly(db: Database | None, state: WallState, action: str) -> None:
    """The control action took effect in Redis already: a failing database is logged, never
    undoes it (the replay of that instant then shows the version before)."""
    if db is None:
        return
    try:
        record(db, state, action)
    except Exception:
        log.exception("wall state version %d not stored for replay", state.version)


def at(db: Database, at_ms: int) -> WallState | None:
    """The state in force at `at_ms`: the newest version stamped at or before it; None when
    none is kept (before the first, or older than retention)."""
    query = (
        select(WallStateVersion.state)
        .where(WallStateVersion.at_ms <= at_ms)
        .order_by(WallStateVersion.at_ms.desc(), WallStateVersion.id.desc())
        .limit(1)
    )
    with db.session() as s:
        text = s.scalar(query)
    return WallState.from_json(text) if text is not None else None


def versions(db: Database, start_ms: int, end_ms: int) -> list[tuple[int, WallState]]:
    """(at_ms, state) of the versions stamped in (start_ms, end_ms], oldest first."""
    query = (
        select(WallStateVersion.at_ms, WallStateVersion.state)
        .where(WallStateVersion.at_ms > start_ms, WallStateVersion.at_ms <= end_ms)
        .order_by(WallStateVersion.at_ms, WallStateVersion.id)
    )
    with db.session() as s:
        return [(int(at), WallState.from_json(text)) for at, text in s.execute(query)]


def between(db: Database, start_ms: int, end_ms: int) -> list[tuple[int, str, str]]:
    """(at_ms, action, by) of the versions stamped in (start_ms, end_ms], oldest first."""
    query = (
        select(WallStateVersion.at_ms, WallStateVersion.action, WallStateVersion.by)
        .where(WallStateVersion.at_ms > start_ms, WallStateVersion.at_ms <= end_ms)
        .order_by(WallStateVersion.at_ms, WallStateVersion.id)
    )
    with db.session() as s:
        return [(int(a), str(b), str(c)) for a, b, c in s.execute(query)]


def floor(db: Database) -> int:
    """The newest prune floor: nothing older is kept (0: never pruned)."""
    with db.session() as s:
        return _floor(s)


def _floor(s: Session) -> int:
    return max(s.scalars(select(PruneFloor.before_ms).where(PruneFloor.tbl == TABLE)), default=0)


def prune(db: Database, before_ms: int, by: str = "retention") -> int:
    """Drop versions older than `before_ms`, keeping the newest of them (it is still in force
    at `before_ms`, so every kept instant can be replayed). The floor is declared first."""
    with db.session() as s:
        keep = s.scalar(
            select(WallStateVersion.id)
            .where(WallStateVersion.at_ms < before_ms)
            .order_by(WallStateVersion.at_ms.desc(), WallStateVersion.id.desc())
            .limit(1)
        )
        if keep is None:
            return 0
        kept_at = s.get_one(WallStateVersion, keep).at_ms
        if kept_at <= _floor(s):
            # Older rows are gone already; the kept one stays in force.
            return 0
        s.add(PruneFloor(tbl=TABLE, before_ms=kept_at, by=by))
        s.flush()
        result = s.execute(delete(WallStateVersion).where(WallStateVersion.at_ms < kept_at))
        return int(getattr(result, "rowcount", 0) or 0)
