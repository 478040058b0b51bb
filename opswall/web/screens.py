"""`/admin/screens` (operators, issue 21): every screen of the wall against the devices the
gateways serve, worst first, kept live by a small module polling `/admin/screens.json`; and
the commands an operator sends a screen from there (identify, reload one or all), audited."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request
from redis.exceptions import RedisError

from opswall.clock import now_ms
from opswall.control.fleet import STATES
from opswall.control.fleet_store import FleetError, issue, labels, read_fleet
from opswall.control.views import all_views
from opswall.i18n import PAGES
from opswall.web.context import WebContext, locale_of, person, web
from opswall.web.security import csrf_token

blueprint = Blueprint("screens", __name__)
POLL_MS = 2000


def fleet(ctx: WebContext) -> dict[str, Any]:
    """The fleet as the page and its module read it."""
    if ctx.redis is None:
        abort(503)
    config = ctx.source.current.config
    try:
        rows = read_fleet(ctx.redis, config, now_ms(), labels(ctx.accounts))
    except RedisError:
        abort(503, "Redis is unavailable")
    views = all_views(config, ctx.control.read(), now_ms()) if ctx.control else {}
    titles = {s.id: s.title.get(locale_of(ctx)) for s in config.displays()}
    order = {screen: i for i, screen in enumerate(titles)}  # the config's, for the miniatures

    def meant(screen: str) -> dict[str, Any]:
        """What the screen should show now, and why (a schedule, a leader, a takeover...)."""
        view = views.get(screen)
        if view is None:
            return {}
        return {"scene": view.scene, "layout": view.layout, "source": view.source} | {
            "dim": view.care.dim
        }

    shown = [
        r
        | {
            "title": titles.get(r["screen"], ""),
            "view": meant(r["screen"]),
            "order": order.get(r["screen"], len(order)),
        }
        for r in rows
    ]
    return {"now": now_ms(), "screens": shown}


@blueprint.get("/admin/screens")
def screens_page() -> Any:
    ctx = web()
    locale = locale_of(ctx)
    wanted = ("fleet_", "pane_", "ago")
    words = {k: v[locale] for k, v in PAGES.items() if k.startswith(wanted)}
    return render_template(
        "screens.html",
        fleet=json.dumps(fleet(ctx), ensure_ascii=False),
        words=json.dumps(words, ensure_ascii=False),
        tz=ctx.source.current.config.wall.timezone,
        poll_ms=POLL_MS,
        states=STATES,
        csrf=csrf_token(),
        who=person(),
    )


@blueprint.get("/admin/screens.json")
def screens_json() -> Response:
    response = jsonify(fleet(web()))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/admin/screens")
def command() -> Any:
    """A form's command (its module posts the same form): 303 back to the page, or 400."""
    ctx = web()
    if ctx.redis is None:
        abort(503)
    action, screen = request.form.get("command", ""), request.form.get("screen", "")
    try:
        issue(ctx.redis, ctx.db, person(), ctx.source.current.config, action, screen)
    except FleetError as exc:
        abort(400, str(exc))
    except RedisError:
        abort(503, "Redis is unavailable")
    return redirect("/admin/screens", 303)
