"""Sessions, CSRF, who is asking, and login rate limiting for the Flask side of the web app.

People sign in with a password and get a session (12 h); wall screens present a device token
once (`/wall/<screen>?token=...`) and keep it in a long-lived cookie, so a screen never lands on
a login page because something expired.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, abort, g, request, session
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError

from opswall.auth.accounts import Accounts
from opswall.auth.audit import Origin
from opswall.auth.principals import Principal
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient
from opswall.store.schema import Setting

log = logging.getLogger("opswall.web")

DEVICE_COOKIE = "opswall_device"
DEVICE_COOKIE_AGE = 10 * 365 * 86400
SESSION_HOURS = 12
CSRF_HEADER = "X-CSRF-Token"
# Producers' API: a bearer token, never a cookie, so a forged cross-site request carries nothing.
PRODUCER_PATHS = ("/api/feeds/", "/api/reports")
CSRF_EXEMPT = ("/_dash-", *PRODUCER_PATHS)  # Dash's own rendering requests change nothing
LOGIN_LIMIT_USER = 8  # failed attempts per user name ...
LOGIN_LIMIT_ADDRESS = 30  # ... and per address (a control room may share one) ...
LOGIN_WINDOW = 300  # ... in this many seconds


def shared_secret(db: Database) -> str:
    """The session-signing key: OPSWALL_SECRET_KEY, else one made once and kept in the database
    (so every web replica and every restart agrees)."""
    if os.environ.get("OPSWALL_SECRET_KEY"):
        return os.environ["OPSWALL_SECRET_KEY"]
    try:
        with db.session() as s:
            if (row := s.get(Setting, "secret_key")) is None:
                s.add(row := Setting(key="secret_key", value=secrets.token_urlsafe(48)))
            return row.value
    except IntegrityError:  # another process made it at the same moment
        with db.session() as s:
            row = s.get(Setting, "secret_key")
            assert row is not None
            return row.value


def configure_sessions(server: Flask, db: Database) -> None:
    server.secret_key = shared_secret(db)
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("OPSWALL_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
    )
    trusted = int(os.environ.get("OPSWALL_TRUSTED_PROXIES") or 0)
    if trusted:
        # Behind TLS-terminating proxies: take the client address and scheme from the headers
        # those proxies set, so sign-in limits and the audit name the real address.
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=trusted, x_proto=trusted
        )


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return str(session["csrf"])


def check_csrf() -> None:
    """Refuse a state-changing request that does not carry this session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if any(request.path.startswith(prefix) for prefix in CSRF_EXEMPT):
        return
    if _is_pane_report():
        return
    sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token") or ""
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(403, "missing or wrong CSRF token")


def _is_pane_report() -> bool:
    """A wall screen's video-pane report: JSON only (another site cannot send that without a
    CORS preflight we never grant) and the device cookie is SameSite=Lax; it records telemetry."""
    path = request.path
    return path.startswith("/wall/") and path.endswith("/video-state") and request.is_json


def origin() -> Origin:
    return Origin(request.headers.get("User-Agent", ""), request.remote_addr or "")


@dataclass
class Identity:
    accounts: Accounts

    def person(self) -> Principal | None:
        """The signed-in person, looked up once per request (the guard and the view both ask)."""
        if "person" not in g:
            name = session.get("user")
            g.person = self.accounts.user(str(name)) if name else None
        return g.person  # type: ignore[no-any-return]

    def device_token(self) -> str:
        return request.cookies.get(DEVICE_COOKIE, "")

    def device(self) -> Principal | None:
        token = self.device_token()
        return self.accounts.device(token) if token else None

    def current(self) -> Principal | None:
        """A signed-in person first (an operator previewing a screen), else the device."""
        if "principal" not in g:
            g.principal = self.person() or self.device()
        return g.principal  # type: ignore[no-any-return]

    @staticmethod
    def sign_in(who: Principal) -> None:
        session.clear()
        g.pop("person", None)
        g.pop("principal", None)
        session.permanent = True
        session["user"] = who.name
        csrf_token()


class LoginLimiter:
    """Counts failed sign-ins per address and per user name in Redis (shared by replicas)."""

    def __init__(self, client: SyncClient | None) -> None:
        self.redis = client

    def _keys(self, username: str, address: str) -> list[str]:
        # One hash tag: both counters are read in one MGET, which a Redis Cluster allows only
        # within a slot.
        return [
            f"{{ratelimit}}:login:addr:{address}",
            f"{{ratelimit}}:login:user:{username.lower()}",
        ]

    def blocked(self, username: str, address: str) -> bool:
        if self.redis is None:
            return False
        try:
            counts = self.redis.mget(self._keys(username, address))
        except RedisError as exc:
            log.warning("login rate limit unavailable (%s)", exc)
            return False
        limits = (LOGIN_LIMIT_ADDRESS, LOGIN_LIMIT_USER)
        return any(int(c or 0) >= limit for c, limit in zip(counts, limits, strict=True))

    def failed(self, username: str, address: str) -> None:
        if self.redis is None:
            return
        try:
            with self.redis.pipeline() as pipe:
                for key in self._keys(username, address):
                    pipe.incr(key)
                    pipe.expire(key, LOGIN_WINDOW, nx=True)
                pipe.execute()
        except RedisError as exc:
            log.warning("login rate limit unavailable (%s)", exc)
