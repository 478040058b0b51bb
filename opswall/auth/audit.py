"""The audit trail: every control action, login, token change and config reload, appended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from opswall.auth.principals import Principal
from opswall.store.db import Database
from opswall.store.schema import AuditCount, AuditEvent, utcnow

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
        s.add(_event(who, action, target, detail or {}, origin))


def _event(
    who: Principal, action: str, target: str, detail: dict[str, Any], origin: Origin
) -> AuditEvent:
    return AuditEvent(
        actor=who.name[:64],
        role=who.role,
        action=action,
        target=target[:255],
        detail=detail,
        device=origin.device[:255],
        address=origin.address[:64],
    )


def record_refusal(
    db: Database, who: Principal, action: str, target: str, origin: Origin, minute: str = ""
) -> None:
    """A refused sign-in, rolled up: the first of its (action, name, address, minute) is an
    audit row; the rest add to that row's count in `audit_counts`. Audit rows are append-only
    (never updated), so the count lives beside them; a flood of tries from one place makes one
    row a minute instead of pushing real events off the audit page."""
    minute = minute or utcnow().strftime("%Y-%m-%dT%H:%M")
    key = "|".join((action, who.name, origin.address, minute))[:255]
    for _ in range(2):  # a second pass when another request made the row at the same moment
        if _count_one_more(db, key):
            return
        try:
            with db.session() as s:
                event = _event(who, action, target, {"minute": minute}, origin)
                s.add(event)
                s.flush()
                s.add(AuditCount(key=key, audit_id=event.id, count=1))
            return
        except IntegrityError:
            continue


def _count_one_more(db: Database, key: str) -> bool:
    with db.session() as s:
        done = s.execute(
            update(AuditCount).where(AuditCount.key == key).values(count=AuditCount.count + 1)
        )
    return bool(getattr(done, "rowcount", 0))


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
    count: int = 1  # how many refused sign-ins a rolled-up row stands for


def recent(db: Database, limit: int = 200, action: str | None = None) -> list[AuditRow]:
    query = (
        select(AuditEvent, AuditCount.count)
        .outerjoin(AuditCount, AuditCount.audit_id == AuditEvent.id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if action:
        query = query.where(AuditEvent.action == action)
    with db.session() as s:
        rows = s.execute(query).all()
    return [
        AuditRow(
            r.at, r.actor, r.role, r.action, r.target, dict(r.detail), r.device, r.address, n or 1
        )
        for r, n in rows
    ]
