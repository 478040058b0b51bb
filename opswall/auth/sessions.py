"""People's sessions, kept on the server (issue 17, part 3).

Why a table and not a revocation list: the signed cookie holds only a random session id, and a
request is signed in only while a row with that id's SHA-256 exists (an allow-list). Removing
the row ends every copy of the cookie; nothing has to be remembered "forever" to stay revoked,
a lost or flushed Redis cannot bring a revoked session back (Redis is optional here anyway),
and the same rows are the list of a person's sessions admins see and revoke.

Cost per request: one indexed query (the unique `sid_hash`, joined to its user), which replaces
the user lookup each request made before; `last_seen_at` is written at most once a minute.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from opswall.auth.passwords import secret_digest
from opswall.auth.principals import Principal
from opswall.store.db import Database
from opswall.store.schema import User, WebSession, utcnow

LIFETIME = timedelta(hours=12)
SEEN_EVERY = timedelta(minutes=1)  # how stale `last_seen_at` may get, to spare a write a request
AGENT_SHOWN = 60  # characters of the user agent the admin page shows


@dataclass(frozen=True)
class SessionInfo:
    id: int
    username: str
    created_at: datetime
    last_seen_at: datetime
    address: str
    user_agent: str

    @property
    def agent_short(self) -> str:
        agent = self.user_agent
        return agent if len(agent) <= AGENT_SHOWN else agent[: AGENT_SHOWN - 1] + "…"


@dataclass(frozen=True)
class Client:
    """Where a session is opened from (shown to admins)."""

    address: str = ""
    user_agent: str = ""


class Sessions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open(self, username: str, client: Client) -> str | None:
        """A new session for an existing person; the id to put in the signed cookie."""
        sid = secrets.token_urlsafe(32)
        now = utcnow()
        with self.db.session() as s:
            user_id = s.scalar(select(User.id).where(User.username == username))
            if user_id is None:
                return None
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
            s.add(
                WebSession(
                    sid_hash=secret_digest(sid),
                    user_id=user_id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + LIFETIME,
                    address=client.address[:64],
                    user_agent=client.user_agent[:255],
                )
            )
        return sid

    def person(self, sid: str) -> Principal | None:
        """Who a live session belongs to; None once it is ended, expired or its user gone."""
        if not sid or len(sid) > 100:
            return None
        query = (
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.sid_hash == secret_digest(sid))
        )
        now = utcnow()
        with self.db.session() as s:
            found = s.execute(query).first()
            if found is None:
                return None
            row, user = found
            if _aware(row.expires_at) <= now or user.disabled:
                return None
            if now - _aware(row.last_seen_at) > SEEN_EVERY:
                row.last_seen_at = now
        return Principal(user.username, user.role, user.clearance)

    def digest(self, sid: str) -> str:
        """What a session is known by outside the web process (a websocket ticket carries it)."""
        return secret_digest(sid)

    def live_digests(self, digests: set[str]) -> set[str]:
        """Which of these sessions (by digest) are still open: one query for every socket."""
        query = select(WebSession.sid_hash).where(
            WebSession.sid_hash.in_(digests), WebSession.expires_at > utcnow()
        )
        with self.db.session() as s:
            return set(s.scalars(query).all())

    def end(self, sid: str) -> None:
        with self.db.session() as s:
            s.execute(delete(WebSession).where(WebSession.sid_hash == secret_digest(sid)))

    def end_one(self, session_id: int) -> str | None:
        """End one session by its row id (an admin's "revoke"); whose it was, or None."""
        with self.db.session() as s:
            found = s.execute(
                select(User.username)
                .join(WebSession, User.id == WebSession.user_id)
                .where(WebSession.id == session_id)
            ).scalar()
            s.execute(delete(WebSession).where(WebSession.id == session_id))
        return found

    def end_all(self, username: str) -> int:
        """End every session of one person (sign out everywhere); how many there were."""
        with self.db.session() as s:
            user_id = s.scalar(select(User.id).where(User.username == username))
            result = s.execute(delete(WebSession).where(WebSession.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)

    def live(self) -> list[SessionInfo]:
        """Every live session, by person then newest first (the admin's list)."""
        query = (
            select(WebSession, User.username)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.expires_at > utcnow())
            .order_by(User.username, WebSession.created_at.desc())
        )
        with self.db.session() as s:
            rows = s.execute(query).all()
        return [
            SessionInfo(
                r.id, name, _aware(r.created_at), _aware(r.last_seen_at), r.address, r.user_agent
            )
            for r, name in rows
        ]


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["Client", "SessionInfo", "Sessions"]
