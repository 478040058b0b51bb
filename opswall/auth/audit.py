"""The audit trail: every control action, login, token change and config reload, appended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from opswall.auth.principals import Principal
from opswall.store.db import Database
from opswall.store.schema import AuditEvent

SYSTEM = Principal("system", "admin")


@dataclass(frozen=True)
class Origin:
    """Where a request came from (the device column of the trail)."""

    device: str = ""
    address: str = ""


def record(
    db: Database,
    who: Principal,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    origin: Origin = Origin(),
) -> None:
    with db.session() as s:
        s.add(
            AuditEvent(
                actor=who.name,
                role=who.role,
                action=action,
                target=target[:255],
                detail=detail or {},
                device=origin.device[:255],
                address=origin.address[:64],
            )
        )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]
    device: str
    address: str


def recent(db: Database, limit: int = 200, action: str | None = None) -> list[AuditRow]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    with db.session() as s:
        rows = s.scalars(query).all()
    return [
        AuditRow(r.at, r.actor, r.role, r.action, r.target, dict(r.detail), r.device, r.address)
        for r in rows
    ]
