"""Users and device tokens in the database. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opswall.auth.passwords import hash_password, password_problem, verify_password
from opswall.auth.principals import ROLES, Principal
from opswall.errors import OpswallError
from opswall.store.db import Database
from opswall.store.schema import DeviceToken, Setting, User, utcnow

SETUP_KEY = "setup_token"


class AccountError(OpswallError):
    """A refused account change (weak password, taken name, unknown role...)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    id: int
    label: str
    screen: str
    clearance: bool
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- users -------------------------------------------------------------------------------
    def has_users(self) -> bool:
        with self.db.session() as s:
            return (s.scalar(select(func.count()).select_from(User)) or 0) > 0

    def create_user(self, username: str, password: str, role: str, clearance: bool) -> None:
        if role not in ROLES[1:]:
            raise AccountError(f"role must be one of {', '.join(ROLES[1:])}")
        if not username or len(username) > 64:
            raise AccountError("a user name has 1 to 64 characters")
        problem = password_problem(password)
        if problem:
            raise AccountError(problem)
        with self.db.session() as s:
            if s.scalar(select(User).where(User.username == username)):
                raise AccountError(f"user {username!r} exists")
            s.add(
                User(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    clearance=clearance,
                    disabled=False,
                )
            )

    def authenticate(self, username: str, password: str) -> Principal | None:
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
        if user is None or user.disabled:
            verify_password(password, _DUMMY_HASH)  # same cost either way: no user enumeration
            return None
        if not verify_password(password, user.password_hash):
            return None
        return Principal(user.username, user.role, user.clearance)

    def user(self, username: str) -> Principal | None:
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
        if user is None or user.disabled:
            return None
        return Principal(user.username, user.role, user.clearance)

    def users(self) -> list[Principal]:
        with self.db.session() as s:
            rows = s.scalars(select(User).order_by(User.username)).all()
        return [Principal(u.username, u.role, u.clearance) for u in rows if not u.disabled]

    # -- first start -------------------------------------------------------------------------
    def setup_token(self) -> str | None:
        """With no user yet: a one-time token for creating the first admin (None otherwise)."""
        if self.has_users():
            return None
        with self.db.session() as s:
            row = s.get(Setting, SETUP_KEY)
            if row is None:
                row = Setting(key=SETUP_KEY, value=secrets.token_urlsafe(24))
                s.add(row)
            return row.value

    def consume_setup_token(self, token: str) -> bool:
        with self.db.session() as s:
            row = s.get(Setting, SETUP_KEY)
            if row is None or not secrets.compare_digest(row.value, token) or self._any_user(s):
                return False
            s.delete(row)
            return True

    @staticmethod
    def _any_user(s: Session) -> bool:
        return s.scalar(select(User.id).limit(1)) is not None

    # -- device tokens -----------------------------------------------------------------------
    def create_token(self, label: str, screen: str, clearance: bool, by: str) -> tuple[int, str]:
        token = secrets.token_urlsafe(32)
        with self.db.session() as s:
            row = DeviceToken(
                label=label,
                screen=screen,
                token_hash=token_digest(token),
                clearance=clearance,
                created_by=by,
            )
            s.add(row)
            s.flush()
            return row.id, token

    def device(self, token: str) -> Principal | None:
        """The screen a valid, unrevoked token stands for."""
        if not token or len(token) > 200:
            return None
        with self.db.session() as s:
            row = s.scalar(select(DeviceToken).where(DeviceToken.token_hash == token_digest(token)))
        if row is None or row.revoked_at is not None:
            return None
        return Principal(f"device:{row.id}", "viewer", row.clearance, row.screen)

    def revoke_token(self, token_id: int, by: str) -> bool:
        with self.db.session() as s:
            row = s.get(DeviceToken, token_id)
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = utcnow()
            row.revoked_by = by
            return True

    def tokens(self) -> list[TokenInfo]:
        with self.db.session() as s:
            rows = s.scalars(select(DeviceToken).order_by(DeviceToken.id)).all()
        return [
            TokenInfo(
                r.id, r.label, r.screen, r.clearance, r.created_at, r.created_by, r.revoked_at
            )
            for r in rows
        ]


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
