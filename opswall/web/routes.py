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
from opswall.auth.accounts import AccountError, Accounts
from opswall.auth.passwords import password_problem
from opswall.auth.principals import ROLES, Principal
from opswall.config.source import ConfigSource
from opswall.control.actions import LEADER_ACTIONS, ActionError
from opswall.control.store import ControlStore
from opswall.control.warnings import history as warning_history
from opswall.control.warnings import record_step
from opswall.i18n import catalog
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient
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
)

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


def _locale(ctx: WebContext) -> str:
    wanted = request.args.get("lang") or session.get("lang")
    return wanted if wanted in ("vi", "en") else ctx.source.current.config.wall.locale


def _forbidden(ctx: WebContext) -> tuple[str, int]:
    text = catalog(ctx.source.current.config.wall.locale)["not_authorised"]
    return render_template("message.html", title="403", message=text), 403


def register(server: Flask, ctx: WebContext) -> None:
    accounts, identity = ctx.accounts, ctx.identity

    @server.before_request
    def guard() -> Any:
        check_csrf()
        path = request.path
        if any(path.startswith(prefix) for prefix in OPEN):
            return None
        if path.startswith("/wall/"):
            return _screen_access(ctx, path)
        if path.startswith("/media/"):
            # Clips and recordings: for wall screens (device cookie) and signed-in people.
            if ctx.identity.current() is None:
                abort(401)
            return None
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
        error = ""
        if request.method == "POST":
            username = request.form.get("username", "")[:64]
            address = request.remote_addr or ""
            # Refused attempts are recorded under the name tried (it may not exist).
            tried = Principal(username or "?", "viewer")
            if ctx.limiter.blocked(username, address):
                audit.record(ctx.db, tried, "login.blocked", username, origin=origin())
                return render_template(
                    "login.html",
                    csrf=csrf_token(),
                    error="Too many attempts: wait 5 minutes.",
                    setup=False,
                ), 429
            who = accounts.authenticate(username, request.form.get("password", ""))
            if who is None:
                ctx.limiter.failed(username, address)
                audit.record(ctx.db, tried, "login.failed", username, origin=origin())
                error = "Wrong user name or password."
            else:
                identity.sign_in(who)
                audit.record(ctx.db, who, "login", who.name, origin=origin())
                return redirect(_safe_next(request.args.get("next")))
        return render_template(
            "login.html", csrf=csrf_token(), error=error, setup=not accounts.has_users()
        )

    @server.post("/logout")
    def logout() -> Any:
        who = identity.person()
        if who:
            audit.record(ctx.db, who, "logout", who.name, origin=origin())
        session.clear()
        return redirect("/login")

    @server.route("/setup/<token>", methods=["GET", "POST"])
    def setup(token: str) -> Any:
        if accounts.setup_token() != token:
            return render_template(
                "message.html", title="Setup", message="This setup link is used or wrong."
            ), 404
        error = ""
        if request.method == "POST":
            username = request.form.get("username", "")
            password = request.form.get("password", "")
            error = password_problem(password) or ("give a user name" if not username else "")
            if not error:
                if not accounts.consume_setup_token(token):
                    abort(404)
                accounts.create_user(username, password, "admin", True)
                who = Principal(username, "admin", True)
                audit.record(
                    ctx.db, who, "user.create", username, {"role": "admin"}, origin=origin()
                )
                identity.sign_in(who)
                return redirect("/")
        return render_template("setup.html", csrf=csrf_token(), error=error, token=token)

    @server.get("/control")
    def control_page() -> Any:
        who = identity.person()
        assert who is not None
        if request.args.get("lang") in ("vi", "en"):
            session["lang"] = request.args["lang"]
        locale = _locale(ctx)
        model = panel_model(ctx.source.current.config, who, locale)  # type: ignore[arg-type]
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
        grant = {"name": who.name, "role": who.role, "clearance": who.clearance}
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

    @server.route("/admin/tokens", methods=["GET", "POST"])
    def tokens() -> Any:
        who = identity.person()
        assert who is not None
        created = None
        if request.method == "POST":
            if request.form.get("revoke"):
                token_id = int(request.form["revoke"])
                if accounts.revoke_token(token_id, who.name):
                    audit.record(ctx.db, who, "token.revoke", str(token_id), origin=origin())
            else:
                screen = request.form.get("screen") or "*"
                clearance = request.form.get("clearance") == "on" and who.clearance
                label = request.form.get("label") or f"screen {screen}"
                token_id, token = accounts.create_token(label, screen, clearance, who.name)
                audit.record(
                    ctx.db,
                    who,
                    "token.create",
                    str(token_id),
                    {"screen": screen, "label": label, "clearance": clearance},
                    origin=origin(),
                )
                target = screen if screen != "*" else ctx.source.current.config.displays()[0].id
                created = f"{request.host_url}wall/{target}?token={token}"
        return render_template(
            "tokens.html",
            csrf=csrf_token(),
            tokens=accounts.tokens(),
            created=created,
            screens=[s.id for s in ctx.source.current.config.displays()],
            who=who,
        )

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

    @server.route("/admin/users", methods=["GET", "POST"])
    def users() -> Any:
        who = identity.person()
        assert who is not None
        error = ""
        if request.method == "POST":
            username = request.form.get("username", "")
            role = request.form.get("role", "leader")
            try:
                accounts.create_user(
                    username,
                    request.form.get("password", ""),
                    role,
                    request.form.get("clearance") == "on",
                )
            except AccountError as exc:
                error = str(exc)
            else:
                audit.record(ctx.db, who, "user.create", username, {"role": role}, origin=origin())
        return render_template(
            "users.html",
            csrf=csrf_token(),
            users=accounts.users(),
            roles=ROLES[1:],
            error=error,
            who=who,
        )


def _target(action: dict[str, Any]) -> str:
    for key in ("scene", "screen", "warning", "var"):
        if action.get(key):
            return str(action[key])
    return ""


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


__all__ = ["WebContext", "register"]
