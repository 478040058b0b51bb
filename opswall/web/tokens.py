"""`/admin/tokens`: device tokens (screens, producers, agencies, metrics). `access.guard` lets
operators reach the page; what a role may mint is re-checked here on every POST
(`auth/scopes.py`), never taken from the form.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from opswall.auth import audit
from opswall.auth.principals import Principal
from opswall.auth.scopes import Choices, MintRefused, ScopeError, TokenKind, TokenScope
from opswall.auth.scopes import requested_scope as scope_of_form
from opswall.config.feed_sources import HttpPushSource
from opswall.i18n import both
from opswall.web.context import WebContext, person, web
from opswall.web.security import csrf_token, origin

blueprint = Blueprint("tokens", __name__)


@blueprint.route("/admin/tokens", methods=["GET", "POST"])
def tokens() -> Any:
    ctx, who = web(), person()
    created, error, status = None, "", 200
    if request.method == "POST" and request.form.get("revoke"):
        _revoke_token(ctx, who, request.form["revoke"])
    elif request.method == "POST":
        try:
            created = _mint(ctx, who, choices(ctx))
        except ScopeError as exc:
            error = both(exc.i18n, **exc.fields) if exc.i18n else str(exc)
            status = 403 if isinstance(exc, MintRefused) else 400
    return render_template(
        "tokens.html",
        csrf=csrf_token(),
        tokens=ctx.accounts.tokens(),
        created=created,
        choices=choices(ctx),
        kinds=[k for k in TokenKind if who.may("admin") or k is TokenKind.SCREEN],
        error=error,
        who=who,
    ), status


def choices(ctx: WebContext) -> Choices:
    """What a token may name: the wall's screens, its pushed feeds, the catalogue's agencies."""
    config = ctx.source.current.config
    held = ctx.catalogue.get()
    return Choices(
        screens=tuple(s.id for s in config.displays()),
        feeds=tuple(f.id for f in config.feeds if isinstance(f.source, HttpPushSource)),
        agencies=tuple(held.agencies()) if held else (),
    )


def _revoke_token(ctx: WebContext, who: Principal, value: str) -> None:
    if not value.isdigit():
        abort(400, "refused_token_number")  # an i18n key: the error page says it (access.py)
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
