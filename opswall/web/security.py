"""Sessions, CSRF, who is asking, and login rate limiting for the Flask side of the web app.

People sign in with a password and get a session (12 h) kept on the server (`auth/sessions.py`:
the signed cookie carries only its id, so signing out ends every copy of it); wall screens
present a device token once (`/wall/<screen>?token=...`) and keep it in a long-lived cookie, so a
screen never lands on a login page because something expired. Sign-in limits: `auth/throttle.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass, field

from flask import Flask, abort, current_app, g, request, session
from itsdangerous import BadSignature, URLSafeTimedSerializer
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError

from opswall import keys
from opswall.auth import throttle
from opswall.auth.accounts import Accounts
from opswall.auth.audit import Origin
from opswall.auth.principals import Principal
from opswall.auth.sessions import LIFETIME as SESSION_LIFETIME
from opswall.auth.sessions import Client, Sessions
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient
from opswall.store.schema import Setting

log = logging.getLogger("opswall.web")

DEVICE_COOKIE = "opswall_device"
DEVICE_COOKIE_AGE = 10 * 365 * 86400
CSRF_HEADER = "X-CSRF-Token"
# Producers' API: a bearer token, never a cookie, so a forged cross-site request carries nothing.
PRODUCER_PATHS = ("/api/feeds/", "/api/reports")
CSRF_EXEMPT = ("/_dash-", *PRODUCER_PATHS)  # Dash's own rendering requests change nothing
POW_SALT = "opswall-login-work"
POW_MAX_AGE = 600  # seconds a login form's work nonce stays good


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
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,  # the cookie ends with its server-side row
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
        abort(403, "refused_csrf")  # an i18n key: the error page says it (access.py)


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
    sessions: Sessions = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = Sessions(self.accounts.db)

    def person(self) -> Principal | None:
        """The signed-in person: the live server-side session the cookie names, looked up once
        per request (the guard and the view both ask)."""
        if "person" not in g:
            sid = session.get("sid")
            g.person = self.sessions.person(str(sid)) if sid else None
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

    def sign_in(self, who: Principal) -> None:
        self.sign_out()
        client = Client(request.remote_addr or "", request.headers.get("User-Agent", ""))
        sid = self.sessions.open(who.name, client)
        session.permanent = True
        if sid:
            session["sid"] = sid
        csrf_token()

    def sign_out(self) -> None:
        """End this browser's session on the server (every copy of its cookie) and here."""
        if sid := session.get("sid"):
            self.sessions.end(str(sid))
        language = session.get("lang")  # a page language picked before signing in stays
        session.clear()
        if language:
            session["lang"] = language
        g.pop("person", None)
        g.pop("principal", None)


class LoginLimiter:
    """Counts wrong passwords per (address, name), per address and per name in Redis (shared
    by replicas) and judges each try by `throttle.judge`; spends proof-of-work nonces."""

    def __init__(self, client: SyncClient | None) -> None:
        self.redis = client

    @staticmethod
    def _keys(username: str, address: str) -> list[str]:
        # One hash tag: the counters are read in one MGET, which a Redis Cluster allows only
        # within a slot. Names are compared case-folded, as sign-in refuses look-alike names.
        name = username.casefold()
        return [keys.login_pair(address, name), keys.login_address(address), keys.login_user(name)]

    def verdict(self, username: str, address: str) -> throttle.Verdict:
        if self.redis is None:
            return throttle.Verdict()
        try:
            pair, addr, user = (int(c or 0) for c in self.redis.mget(self._keys(username, address)))
        except RedisError as exc:
            log.warning("login rate limit unavailable (%s)", exc)
            return throttle.Verdict()
        return throttle.judge(throttle.Counts(pair, addr, user))

    def failed(self, username: str, address: str) -> None:
        if self.redis is None:
            return
        try:
            with self.redis.pipeline() as pipe:
                for key in self._keys(username, address):
                    pipe.incr(key)
                    pipe.expire(key, throttle.WINDOW, nx=True)
                pipe.execute()
        except RedisError as exc:
            log.warning("login rate limit unavailable (%s)", exc)

    def work_done(self, nonce: str, answer: str, bits: int) -> bool:
        """A nonce this server issued lately, solved to `bits`, and not used before."""
        try:
            _serializer().loads(nonce, max_age=POW_MAX_AGE)
        except BadSignature:
            return False
        if not throttle.solved(nonce, answer, bits) or self.redis is None:
            return False
        try:
            key = keys.login_work(hashlib.sha256(nonce.encode()).hexdigest())
            return bool(self.redis.set(key, "1", nx=True, ex=POW_MAX_AGE))
        except RedisError:
            return False


def work_nonce() -> str:
    """A fresh nonce for the login form's proof of work (signed, so only ours count)."""
    return _serializer().dumps(secrets.token_urlsafe(12))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.secret_key), salt=POW_SALT)
