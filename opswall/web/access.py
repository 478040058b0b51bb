"""Who may reach which path: one guard before every request of the app (people, screens,
producers), before Flask dispatches; state changes also need the session's CSRF token
(`security.check_csrf`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from opswall.auth import audit
from opswall.i18n import PAGES, both, catalog
from opswall.web import pages
from opswall.web.context import WebContext, locale_of, web
from opswall.web.security import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    PRODUCER_PATHS,
    check_csrf,
    origin,
)
from opswall.web.video_states import shows_video

blueprint = Blueprint("access", __name__)

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
# Leaders may look at the layout studio and check drafts; its apply and rollback ask for more.
NEEDS = {
    "/admin/users": "admin",
    "/admin/layout": "leader",
    "/admin/": "operator",
    "/control": "leader",
    "/api/": "leader",
}
# Paths that machines read (APIs, Dash's requests, media, probes): their errors stay plain.
MACHINE = (
    "/api/",
    "/_dash-",
    "/_opswall/",
    "/_reload-hash",
    "/assets/",
    "/healthz",
    "/metrics",
    "/media/",
)


@blueprint.before_app_request
def guard() -> Any:
    check_csrf()
    ctx, path = web(), request.path
    if any(path.startswith(prefix) for prefix in OPEN):
        return None
    if path.startswith("/wall/"):
        return _screen_access(ctx, path)
    if path.startswith("/media/"):
        return _media_access(ctx)
    who = ctx.identity.person()
    wanted = next((role for prefix, role in NEEDS.items() if path.startswith(prefix)), "leader")
    if who is None:
        if path.startswith("/api/"):
            abort(401)
        return redirect(f"/login?next={path}")
    if not who.may(wanted):
        abort(403)
    return None


@blueprint.app_errorhandler(HTTPException)
def error_page(exc: HTTPException) -> Any:
    """An HTTP error on a page people read says what happened in the page's language (issue 18,
    part 6); an abort's description may be an i18n key (its reason). Machines get it plain."""
    key = f"http_{exc.code}"
    reason = exc.description if exc.description in PAGES else f"{key}_why"
    if key not in PAGES:
        return exc
    if any(request.path.startswith(prefix) for prefix in MACHINE):
        exc.description = pages.text(reason, "en")
        return exc
    locale = locale_of(web())
    title, text = pages.text(key, locale), pages.text(reason, locale)
    return render_template("message.html", title=title, message=text), exc.code


def forbidden(ctx: WebContext) -> tuple[str, int]:
    text = catalog(locale_of(ctx))["not_authorised"]
    return render_template(
        "message.html", title=pages.text("http_403", locale_of(ctx)), message=text
    ), 403


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
        return _enrol(ctx, path, screen, token)
    who = ctx.identity.current()
    if who is None:
        if ctx.identity.device_token():
            return forbidden(ctx)  # a revoked or unknown token: say so, never a login page
        return redirect(f"/login?next={path}")
    if not who.may_show(screen):
        return forbidden(ctx)
    if "at" in request.args and not may_replay(ctx):
        return replay_refused(ctx, path)
    return None


def may_replay(ctx: WebContext) -> bool:
    """Replays (issue 24) are for signed-in leaders and operators, never a device token."""
    who = ctx.identity.person()
    return who is not None and who.may("leader")


def replay_refused(ctx: WebContext, path: str) -> tuple[str, int]:
    """Where and why, in both languages: the wall's PCs are not people."""
    message = f"{path}?at=… — {both('replay_refused')}"
    return render_template(
        "message.html", title=pages.text("http_403", locale_of(ctx)), message=message
    ), 403


def _enrol(ctx: WebContext, path: str, screen: str, token: str) -> Any:
    """A screen's one-time link: the token becomes a cookie and leaves the address bar."""
    device = ctx.accounts.device(token)
    if device is None or not device.may_show(screen):
        return forbidden(ctx)
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
