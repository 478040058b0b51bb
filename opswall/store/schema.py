"""Tables. Rows of `APPEND_ONLY` tables are never updated or deleted (enforced twice: an ORM
guard in `db.py` and database triggers created by the migrations)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # leader | operator | admin
    clearance: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeviceToken(Base):
    """A wall screen's long-lived credential; only its SHA-256 is stored."""

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(128))
    # What the token is for (auth/scopes.py): screen | producer | agency | metrics, and the
    # scope as a string ("main", "*", "push:<feed>", "agency:<code>", "metrics").
    kind: Mapped[str] = mapped_column(String(16), default="screen", server_default="screen")
    screen: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    clearance: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class WebSession(Base):
    """A person's signed-in session. The signed cookie carries only a random id whose SHA-256
    is looked up here on every request: a row removed (sign-out, password or role change, an
    admin's revocation) ends every copy of that cookie at once."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")


class AuditCount(Base):
    """How many refused sign-ins one audit row stands for. Refused sign-ins of one user name
    from one address in one minute make ONE `login.failed`/`login.blocked` audit row (the
    first); the rest only add to its count here, because audit rows are never updated."""

    __tablename__ = "audit_counts"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)  # action|user|address|minute
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # user name, "device:<id>", or "system"
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    device: Mapped[str] = mapped_column(String(255), default="")  # user agent of the request
    address: Mapped[str] = mapped_column(String(64), default="")


class WarningEvent(Base):
    """One step of a warning's life: raised, acknowledged (by whom), cleared."""

    __tablename__ = "warning_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[str] = mapped_column(String(160), index=True)
    step: Mapped[str] = mapped_column(String(16))  # raised | acknowledged | cleared
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by: Mapped[str] = mapped_column(String(64), default="system")
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")


class Setting(Base):
    """Process-shared secrets (session key, one-time setup token), created on first start."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class HistoryPoint(Base):
    """One feed entry as recorded from its stream: the stream id is the key, so recording the
    same entry twice (a replayed read, two recorders) keeps one row. Rows never change; only
    the feed's retention drops old ones."""

    __tablename__ = "history_points"

    feed: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_ms: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entry_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    asof_ms: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)  # for downsampling in SQL
    fields: Mapped[str] = mapped_column(Text)  # the decoded fields, as JSON

    __table_args__ = (Index("ix_history_feed_asof", "feed", "asof_ms"),)


class IndicatorReport(Base):
    """One submitted figure for an indicator, area and period. A correction is a new row with
    the next revision and a reason; rows are never updated or deleted."""

    __tablename__ = "indicator_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(40))  # "national" or a province code
    period: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(32), default="api")  # api | cli | ingest | demo

    __table_args__ = (
        UniqueConstraint("code", "area", "period", "revision", name="uq_report_revision"),
        Index("ix_reports_code_area", "code", "area", "period"),
    )


class ConfigRevision(Base):
    """One wall config that took effect: its full text, who made it (a person, or "file edit"
    for a hand edit picked up by hot reload) and its diff against the one before (issue 20).
    `parent` is the id of the revision it follows (0 for the first) and is unique, so two web
    replicas that notice the same edit append it once: the second insert is refused."""

    __tablename__ = "config_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    diff: Mapped[str] = mapped_column(Text, default="")


class WallStateVersion(Base):
    """One version of the wall state (scene, focus, takeovers, variables, pause, warnings) as
    it took effect, for the time machine (issue 24). Never updated; deleted only below the
    newest prune floor (`store/append_only.create_floor_guards`)."""

    __tablename__ = "wall_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    at_ms: Mapped[int] = mapped_column(BigInteger, index=True)
    by: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(Text)  # WallState.to_json()


class PruneFloor(Base):
    """A retention job's declaration that rows of `tbl` older than `before_ms` go: the only
    thing that lets the database delete them. Itself append-only: every prune leaves its mark."""

    __tablename__ = "prune_floors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tbl: Mapped[str] = mapped_column(String(64))
    before_ms: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by: Mapped[str] = mapped_column(String(64))


APPEND_ONLY = (
    "audit_events",
    "warning_events",
    "indicator_reports",
    "config_revisions",
    "prune_floors",
)
# Retention may delete old rows of these (wall_states only below a prune floor); nothing may
# change one.
NO_UPDATE = ("history_points", "wall_states")

__all__ = [
    "APPEND_ONLY",
    "NO_UPDATE",
    "AuditCount",
    "AuditEvent",
    "Base",
    "ConfigRevision",
    "DeviceToken",
    "HistoryPoint",
    "IndicatorReport",
    "PruneFloor",
    "Setting",
    "User",
    "WallStateVersion",
    "WarningEvent",
    "WebSession",
]
