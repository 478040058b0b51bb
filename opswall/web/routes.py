"""People-facing routes: sign-in and first-run setup, the panel and its API, operator pages.

Every route decides who may use it in `guard()` (one place), before Flask dispatches; state
changes also need the session's CSRF token (`security.check_csrf`).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, abort, jsonify, redirect, render_template, request, session
from redis.exceptions import RedisError
from werkzeug.wrappers import Response as BaseResponse

from opswall.auth import audit
from opswall.auth.accounts import Accounts
from opswall.auth.names import name_problem, normalise
from opswall.auth.passwords import MAX_LENGTH, MIN_LENGTH
from opswall.auth.principals import Principal
from opswall.config.live import ConfigSource
from opswall.config.models import Locale
from opswall.control.actions import LEADER_ACTIONS, ActionError
from opswall.control.store import ControlStore
from opswall.control.warnings import history as warning_history
from opswall.control.warnings import record_step
from opswall.i18n import both, catalog
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient
from opswall.web import pages
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.panel import panel_model
from opswall.web.security import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    PRODUCER_PATHS,
    Identity,
    LoginLimiter,
    check_csrf,
    csrf_token,
    origin,
    work_nonce,
)
from opswall.web.video_states import shows_video

TICKET_TTL = 60


@dataclass
class WebContext:
    source: ConfigSource
    settings: Settings
    db: Database
    accounts: Accounts
    identity: Identity
    redis: SyncClient | None
    limiter: LoginLimiter

    @property
    def control(self) -> ControlStore | None:
        return ControlStore(self.redis) if self.redis is not None else None


# Paths anyone may reach: static files, health, Dash's machinery (its render callback checks
# who is asking itself), sign-in and first-run setup.
# Producers' paths are here too: they authenticate with their own bearer tokens.
OPEN = (
    "/assets/",
    "/_dash-",
    "/_opswall/",
    "/_reload-hash",
    "/healthz",
    "/login",
    "/setup/",
    "/metrics",  # checks an operator session or a metrics token itself
    *PRODUCER_PATHS,
)
NEEDS = {"/admin/users": "admin", "/admin/": "operator", "/control": "leader", "/api/": "leader"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme or host): no open redirect after sign-in."""
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not (target or "/").startswith("/"):
        return "/"
    return target or "/"


def locale_of(ctx: WebContext) -> Locale:
    return pages.page_locale(ctx.source.current.config.wall.locale)


def _wall_clock(ctx: WebContext) -> tuple[Locale, str]:
    wall = ctx.source.current.config.wall
    return wall.locale, wall.timezone


def _forbidden(ctx: WebContext) -> tuple[str, int]:
    text = catalog(locale_of(ctx))["not_authorised"]
    return render_template("message.html", title="403", message=text), 403


def register(server: Flask, ctx: WebContext) -> None:
    accounts, identity = ctx.accounts, ctx.identity
    pages.install(server, lambda: _wall_clock(ctx))

    @server.before_request
    def guard() -> Any:
        check_csrf()
        path = request.path
        if any(path.startswith(prefix) for prefix in OPEN):
            return None
        if path.startswith("/wall/"):
            return _screen_access(ctx, path)
        if path.startswith("/media/"):
            return _media_access(ctx)
        who = identity.person()
        wanted = next((role for prefix, role in NEEDS.items() if path.startswith(prefix)), "leader")
        if who is None:
            if path.startswith("/api/"):
                abort(401)
            return redirect(f"/login?next={path}")
        if not who.may(wanted):
            abort(403)
        return None

    @server.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        return _sign_in(ctx) if request.method == "POST" else login_page(ctx)

    @server.post("/logout")
    def logout() -> Any:
        who = identity.person()
        if who:
            audit.record(ctx.db, who, "logout", who.name, origin=origin())
        identity.sign_out()
        return redirect("/login")

    @server.route("/setup/<token>", methods=["GET", "POST"])
    def setup(token: str) -> Any:
        if accounts.setup_token() != token:
            locale = locale_of(ctx)
            return render_template(
                "message.html",
                title=pages.text("setup", locale),
                message=pages.text("setup_spent", locale),
            ), 404
        error = ""
        if request.method == "POST":
            username = request.form.get("username", "")
            password = request.form.get("password", "")
            error = _setup_problem(username, password)
            if not error:
                return _first_admin(ctx, token, username, password)
        return render_template("setup.html", csrf=csrf_token(), error=error, token=token)

    @server.get("/control")
    def control_page() -> Any:
        who = identity.person()
        assert who is not None
        locale = locale_of(ctx)
        model = panel_model(ctx.source.current.config, who, locale)
        return render_template(
            "control.html",
            model=json.dumps(model, ensure_ascii=False),
            csrf=csrf_token(),
            gateway=ctx.settings.browser_gateway(),
            locale=locale,
            who=who,
        )

    @server.post("/api/ticket")
    def ticket() -> Any:
        """A one-time pass for this person's next websocket (panel, or a screen preview)."""
        who = identity.person()
        assert who is not None
        if ctx.redis is None:
            abort(503)
        value = secrets.token_urlsafe(24)
        # The session's digest comes along: the gateway cuts the socket once it ends.
        sid = str(session.get("sid", ""))
        grant = {
            "name": who.name,
            "role": who.role,
            "clearance": who.clearance,
            "session": identity.sessions.digest(sid) if sid else "",
        }
        try:
            ctx.redis.set(f"ticket:{value}", json.dumps(grant), ex=TICKET_TTL)
        except RedisError:
            abort(503)
        return jsonify(ticket=value)

    @server.post("/api/control")
    def control_action() -> Any:
        who = identity.person()
        assert who is not None
        try:
            action = json_body()
        except BodyRefused as exc:
            return jsonify(error=exc.error), exc.status
        if not isinstance(action, dict) or action.get("action") not in LEADER_ACTIONS:
            return jsonify(error=f"action must be one of {', '.join(LEADER_ACTIONS)}"), 400
        store = ctx.control
        if store is None:
            abort(503)
        try:
            before, after = store.apply(action, who.name, ctx.source.current.config)
        except ActionError as exc:
            return jsonify(error=str(exc)), 400
        except RedisError:
            return jsonify(error="the wall state store (Redis) is unreachable"), 503
        audit.record(
            ctx.db,
            who,
            f"control.{action['action']}",
            _target(action),
            {k: v for k, v in action.items() if k != "action"},
            origin=origin(),
        )
        if action["action"] == "ack" and after is not before:
            warning = after.warning(str(action.get("warning"))) or before.warning(
                str(action.get("warning"))
            )
            if warning is not None:
                record_step(
                    ctx.db,
                    warning.id,
                    "acknowledged",
                    who.name,
                    warning.rule,
                    warning.severity,
                    warning.message.get("en", ""),
                )
        return jsonify(version=after.version, changed=after is not before)

    @server.get("/admin/audit")
    def audit_page() -> Any:
        who = identity.person()
        return render_template(
            "audit.html",
            rows=audit.recent(ctx.db, 500),
            warnings=warning_history(ctx.db),
            who=who,
            csrf=csrf_token(),
        )

    from opswall.web import people  # it imports this module's WebContext

    people.register(server, ctx)


def _setup_problem(username: str, password: str) -> str:
    """What is wrong with the first administrator's form, in both languages ("" if nothing)."""
    if len(password) < MIN_LENGTH:
        return pages.both("password_short", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return pages.both("password_long", n=MAX_LENGTH)
    return "" if username else pages.both("setup_no_name")


def login_page(ctx: WebContext, error: str = "", status: int = 200, **form: Any) -> Any:
    """The sign-in form; `error` is an i18n key, shown in both languages like every refusal
    on these pages (whoever is refused can read why, whichever language the page speaks)."""
    text = both(error) if error else ""
    page = render_template(
        "login.html",
        csrf=csrf_token(),
        error=text,
        setup=not ctx.accounts.has_users(),
        nonce=work_nonce() if ctx.limiter.redis is not None else "",
        bits=form.get("bits", 0),
        username=form.get("username", ""),
    )
    return page, status


def _sign_in(ctx: WebContext) -> Any:
    username = normalise(request.form.get("username", "")[:64])
    address = request.remote_addr or ""
    verdict = ctx.limiter.verdict(username, address)
    if verdict.blocked:
        # A blocked address is one row a minute whatever names it tries.
        name = "*" if verdict.blocked == "address" else username
        _refused(ctx, name, "login.blocked")
        return login_page(ctx, "login_wait", 429)
    bits = verdict.work_bits
    form = request.form
    if bits and not ctx.limiter.work_done(form.get("pow_nonce", ""), form.get("pow", ""), bits):
        _refused(ctx, username, "login.blocked")
        return login_page(ctx, "login_work", 429, bits=bits, username=username)
    who = ctx.accounts.authenticate(username, form.get("password", ""))
    if who is None:
        ctx.limiter.failed(username, address)
        _refused(ctx, username, "login.failed")
        bits = ctx.limiter.verdict(username, address).work_bits  # what the next try needs
        return login_page(ctx, "login_wrong", bits=bits, username=username)
    ctx.identity.sign_in(who)
    audit.record(ctx.db, who, "login", who.name, origin=origin())
    return redirect(_safe_next(request.args.get("next")))


def _refused(ctx: WebContext, username: str, action: str) -> None:
    # Recorded under the name tried (it may not exist), rolled up per name, address, minute.
    tried = Principal(username or "?", "viewer")
    audit.record_refusal(ctx.db, tried, action, username, origin())


def _first_admin(ctx: WebContext, token: str, username: str, password: str) -> Any:
    name = normalise(username)
    if problem := name_problem(name):  # before the one-time link is spent
        return render_template("setup.html", csrf=csrf_token(), error=problem.both(), token=token)
    if not ctx.accounts.consume_setup_token(token):
        abort(404)
    ctx.accounts.create_user(name, password, "admin", True)
    who = Principal(name, "admin", True)
    audit.record(ctx.db, who, "user.create", name, {"role": "admin"}, origin=origin())
    ctx.identity.sign_in(who)
    return redirect("/")


def _target(action: dict[str, Any]) -> str:
    for key in ("scene", "screen", "warning", "var"):
        if action.get(key):
            return str(action[key])
    return ""


def _media_access(ctx: WebContext) -> None:
    """Clips and recordings: for signed-in people and wall screens that play video, never for
    a producer's, agency's or metrics token presented as a device cookie."""
    who = ctx.identity.current()
    if who is None:
        abort(401)
    if ctx.identity.person() is None and not shows_video(ctx.source.current.config, who.screen):
        abort(403)


def _screen_access(ctx: WebContext, path: str) -> Any:
    """A wall screen: a device token (once in the URL, then a cookie), or a signed-in person."""
    screen = path.split("/")[2] if len(path.split("/")) > 2 else ""
    token = request.args.get("token")
    if token:
        device = ctx.accounts.device(token)
        if device is None or not device.may_show(screen):
            return _forbidden(ctx)
        rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
        response: BaseResponse = redirect(f"{path}?{rest}" if rest else path)
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
        audit.record(ctx.db, device, "device.enrol", screen, origin=origin())
        return response
    who = ctx.identity.current()
    if who is None:
        if ctx.identity.device_token():
            return _forbidden(ctx)  # a revoked or unknown token: say so, never a login page
        return redirect(f"/login?next={path}")
    if not who.may_show(screen):
        return _forbidden(ctx)
    return None


__all__ = ["WebContext", "locale_of", "register"]
