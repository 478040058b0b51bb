"""Admin pages for who may use the wall: `/admin/tokens` (device tokens) and `/admin/users`
(people, their roles, passwords and live sessions). `routes.guard` lets operators reach the
first and only admins the second; what a role may mint is re-checked here on every POST
(`auth/scopes.py`), never taken from the form.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, render_template, request
from werkzeug.datastructures import MultiDict

from opswall.auth import audit
from opswall.auth.accounts import AccountError
from opswall.auth.principals import ROLES, Principal
from opswall.auth.scopes import Choices, MintRefused, ScopeError, TokenKind, TokenScope
from opswall.auth.scopes import requested_scope as scope_of_form
from opswall.config.feed_sources import HttpPushSource
from opswall.i18n import both
from opswall.indicators.catalogue import CatalogueCache
from opswall.web.routes import WebContext
from opswall.web.security import csrf_token, origin

USER_ACTIONS = ("create", "role", "password", "sign_out", "revoke")


def register(server: Flask, ctx: WebContext) -> None:
    catalogue = CatalogueCache(ctx.source)

    def choices() -> Choices:
        config = ctx.source.current.config
        held = catalogue.get()
        return Choices(
            screens=tuple(s.id for s in config.displays()),
            feeds=tuple(f.id for f in config.feeds if isinstance(f.source, HttpPushSource)),
            agencies=tuple(held.agencies()) if held else (),
        )

    @server.route("/admin/tokens", methods=["GET", "POST"])
    def tokens() -> Any:
        who = _person(ctx)
        created, error, status = None, "", 200
        if request.method == "POST" and request.form.get("revoke"):
            _revoke_token(ctx, who, request.form["revoke"])
        elif request.method == "POST":
            try:
                created = _mint(ctx, who, choices())
            except ScopeError as exc:
                error = both(exc.i18n, **exc.fields) if exc.i18n else str(exc)
                status = 403 if isinstance(exc, MintRefused) else 400
        return render_template(
            "tokens.html",
            csrf=csrf_token(),
            tokens=ctx.accounts.tokens(),
            created=created,
            choices=choices(),
            kinds=[k for k in TokenKind if who.may("admin") or k is TokenKind.SCREEN],
            error=error,
            who=who,
        ), status

    @server.route("/admin/users", methods=["GET", "POST"])
    def users() -> Any:
        who = _person(ctx)
        error = _change_people(ctx, who, request.form) if request.method == "POST" else ""
        people, sessions = ctx.accounts.users(), ctx.identity.sessions.live()
        return render_template(
            "users.html",
            csrf=csrf_token(),
            users=people,
            sessions={u.name: [s for s in sessions if s.username == u.name] for u in people},
            roles=ROLES[1:],
            error=error,
            who=who,
        ), 400 if error else 200


def _person(ctx: WebContext) -> Principal:
    who = ctx.identity.person()
    assert who is not None  # routes.guard sent anyone else away
    return who


def _revoke_token(ctx: WebContext, who: Principal, value: str) -> None:
    if not value.isdigit():
        abort(400, "field 'revoke': a token number")
    if ctx.accounts.revoke_token(int(value), who.name):
        audit.record(ctx.db, who, "token.revoke", value, origin=origin())


def _mint(ctx: WebContext, who: Principal, offered: Choices) -> dict[str, str]:
    """Create the token the form asks for, if this person may; what to show once."""
    scope = scope_of_form(who.role, request.form.to_dict(), offered)
    screen_token = scope.kind is TokenKind.SCREEN
    clearance = screen_token and request.form.get("clearance") == "on" and who.clearance
    label = (request.form.get("label") or _default_label(scope))[:128]
    token_id, token = ctx.accounts.create_token(label, scope, clearance, who.name)
    detail = {"kind": scope.kind.value, "scope": str(scope), "label": label}
    detail["clearance"] = clearance  # type: ignore[assignment]
    audit.record(ctx.db, who, "token.create", str(token_id), detail, origin=origin())
    return {"kind": scope.kind.value, "use": _use(ctx, scope, token), "token": token}


def _default_label(scope: TokenScope) -> str:
    return {
        TokenKind.SCREEN: f"screen {scope.target}",
        TokenKind.PRODUCER: f"producer of {scope.target}",
        TokenKind.AGENCY: f"reports of {scope.target}",
        TokenKind.METRICS: "metrics scrape",
    }[scope.kind]


def _use(ctx: WebContext, scope: TokenScope, token: str) -> str:
    """How the token is used: a screen's one-time link, or the request a producer sends."""
    base = request.host_url
    if scope.kind is TokenKind.SCREEN:
        target = scope.target if scope.target != "*" else ctx.source.current.config.displays()[0].id
        return f"{base}wall/{target}?token={token}"
    return {
        TokenKind.PRODUCER: f"POST {base}api/feeds/{scope.target}/entries",
        TokenKind.AGENCY: f"POST {base}api/reports?agency={scope.target}",
        TokenKind.METRICS: f"GET {base}metrics",
    }[scope.kind] + f"  Authorization: Bearer {token}"


def _change_people(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    """One change from the users page; an error to show ("" when done)."""
    action = form.get("do") or "create"
    if action not in USER_ACTIONS:
        return f"field 'do': {action!r} is not one of {', '.join(USER_ACTIONS)}"
    try:
        return _CHANGES[action](ctx, who, form)
    except AccountError as exc:
        return exc.problem.both() if exc.problem else str(exc)


def _create(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    role = form.get("role", "leader")
    name = ctx.accounts.create_user(
        form.get("username", ""), form.get("password", ""), role, form.get("clearance") == "on"
    )
    audit.record(ctx.db, who, "user.create", name, {"role": role}, origin=origin())
    return ""


def _set_role(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    name, role = form.get("user", ""), form.get("role", "")
    ctx.accounts.set_role(name, role)  # ends that person's sessions
    audit.record(ctx.db, who, "user.role", name, {"role": role}, origin=origin())
    return ""


def _set_password(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    name = form.get("user", "")
    ctx.accounts.set_password(name, form.get("password", ""))  # ends that person's sessions
    audit.record(ctx.db, who, "user.password", name, origin=origin())
    return ""


def _sign_out_everywhere(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    name = form.get("user", "")
    ended = ctx.identity.sessions.end_all(name)
    audit.record(ctx.db, who, "session.end_all", name, {"sessions": ended}, origin=origin())
    return ""


def _revoke_session(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    value = form.get("session", "")
    if not value.isdigit():
        return "field 'session': a session number"
    owner = ctx.identity.sessions.end_one(int(value))
    if owner is not None:
        audit.record(ctx.db, who, "session.end", owner, {"session": int(value)}, origin=origin())
    return ""


_CHANGES = {
    "create": _create,
    "role": _set_role,
    "password": _set_password,
    "sign_out": _sign_out_everywhere,
    "revoke": _revoke_session,
}
