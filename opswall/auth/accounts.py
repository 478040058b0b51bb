"""Users and device tokens in the database. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opswall.auth.names import NameProblem, name_problem, normalise
from opswall.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    password_problem,
    secret_digest,
    verify_password,
)
from opswall.auth.principals import ROLES, Principal
from opswall.auth.scopes import TokenScope
from opswall.auth.sessions import Sessions
from opswall.errors import OpswallError
from opswall.store.db import Database
from opswall.store.schema import DeviceToken, Setting, User, utcnow

SETUP_KEY = "setup_token"


class AccountError(OpswallError):
    """A refused account change (weak password, taken name, unknown role...)."""

    def __init__(
        self, text: str, problem: NameProblem | None = None, i18n: str = "", **fields: object
    ) -> None:
        super().__init__(text)
        self.problem = problem  # a refused user name: located, in both languages
        self.i18n, self.fields = i18n, fields  # the pages' i18n key and its fields, for the form


@dataclass(frozen=True)
class TokenInfo:
    id: int
    label: str
    scope: TokenScope
    clearance: bool
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @property
    def screen(self) -> str:
        """The stored scope string ("main", "*", "push:<feed>", ...)."""
        return str(self.scope)


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- users -------------------------------------------------------------------------------
    def has_users(self) -> bool:
        with self.db.session() as s:
            return (s.scalar(select(func.count()).select_from(User)) or 0) > 0

    def create_user(self, username: str, password: str, role: str, clearance: bool) -> str:
        """Add a person; the name as stored (NFKC). Raises AccountError with the reason."""
        username = normalise(username)
        _check_role(role)
        if problem := name_problem(username):
            raise AccountError(str(problem), problem)
        _check_password(password)
        with self.db.session() as s:
            taken = s.scalars(select(User.username)).all()
            if twin := next((t for t in taken if t.casefold() == username.casefold()), None):
                # "Admin" beside "admin": one would pass for the other in the audit trail.
                raise AccountError(
                    f"user {twin!r} exists" + (" (same letters)" * (twin != username)),
                    i18n="user_exists",
                    name=twin,
                )
            s.add(
                User(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    clearance=clearance,
                    disabled=False,
                )
            )
        return username

    def set_role(self, username: str, role: str) -> None:
        """A new role; every session of that person ends (they sign in again under it)."""
        _check_role(role)
        if role != "admin" and self._admins() == [username]:
            raise AccountError(
                f"{username!r} is the last admin: make another admin first",
                i18n="user_last_admin",
                name=username,
            )
        self._change(username, role=role)

    def _admins(self) -> list[str]:
        with self.db.session() as s:
            query = select(User.username).where(User.role == "admin", User.disabled.is_(False))
            return list(s.scalars(query).all())

    def set_password(self, username: str, password: str) -> None:
        """A new password; every session of that person ends."""
        _check_password(password)
        self._change(username, password_hash=hash_password(password))

    def _change(self, username: str, **values: str) -> None:
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountError(f"no user {username!r}", i18n="user_unknown", name=username)
            for key, value in values.items():
                setattr(user, key, value)
        Sessions(self.db).end_all(username)

    def authenticate(self, username: str, password: str) -> Principal | None:
        username = normalise(username)
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
        if user is None or user.disabled:
            verify_password(password, _DUMMY_HASH)  # same cost either way: no user enumeration
            return None
        if not verify_password(password, user.password_hash):
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
    def create_token(
        self, label: str, scope: TokenScope | str, clearance: bool, by: str
    ) -> tuple[int, str]:
        """A new token for `scope` (a string is read as `TokenScope.parse` reads it); the id
        and the token, which is shown only now."""
        typed = scope if isinstance(scope, TokenScope) else TokenScope.parse(scope)
        token = secrets.token_urlsafe(32)
        with self.db.session() as s:
            row = DeviceToken(
                label=label[:128],
                kind=typed.kind.value,
                screen=str(typed)[:64],
                token_hash=secret_digest(token),
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
        digest = secret_digest(token)
        with self.db.session() as s:
            row = s.scalar(select(DeviceToken).where(DeviceToken.token_hash == digest))
        if row is None or row.revoked_at is not None:
            return None
        scope = TokenScope.read(row.kind, row.screen)
        return Principal(f"device:{row.id}", "viewer", row.clearance, row.screen, scope)

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
                r.id,
                r.label,
                TokenScope.read(r.kind, r.screen),
                r.clearance,
                r.created_at,
                r.created_by,
                r.revoked_at,
            )
            for r in rows
        ]


def _check_role(role: str) -> None:
    if role not in ROLES[1:]:
        roles = ", ".join(ROLES[1:])
        raise AccountError(f"role must be one of {roles}", i18n="role_unknown", roles=roles)


def _check_password(password: str) -> None:
    if problem := password_problem(password):
        key = "password_short" if len(password) < MIN_LENGTH else "password_long"
        raise AccountError(
            problem, i18n=key, n=MIN_LENGTH if key == "password_short" else MAX_LENGTH
        )


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
