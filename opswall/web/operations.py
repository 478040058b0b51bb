"""Operators' view of the connections: `/admin/feeds` (a page) and `/metrics` (Prometheus).

`/metrics` answers an operator's session or a bearer token made with
`opswall token create --metrics` (what a Prometheus scrape job sends).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from redis.exceptions import RedisError

from opswall.auth.scopes import TokenKind, TokenScope
from opswall.clock import now_ms
from opswall.control.fleet_store import read_fleet, screen_metrics
from opswall.feeds.health import FeedHealth, metrics_text, probe
from opswall.web.context import WebContext, person, web
from opswall.web.security import csrf_token
from opswall.web.video_states import PaneHealth, panes

blueprint = Blueprint("operations", __name__)

METRICS_SCOPE = TokenScope(TokenKind.METRICS)


def _report(ctx: WebContext) -> list[FeedHealth]:
    if ctx.redis is None:
        abort(503)
    try:
        return probe(ctx.redis, ctx.source.current.config)
    except RedisError:
        abort(503)  # the error page says why, in the page's language (access.py)


def _panes(ctx: WebContext) -> list[PaneHealth]:
    assert ctx.redis is not None  # _report() answered 503 without it
    try:
        return panes(ctx.redis, now_ms())
    except RedisError:
        abort(503)  # the error page says why, in the page's language (access.py)


def _metrics_allowed(ctx: WebContext) -> bool:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        device = ctx.accounts.device(header.removeprefix("Bearer ").strip())
        return device is not None and device.holds(METRICS_SCOPE)
    who = ctx.identity.person()
    return who is not None and who.may("operator")


@blueprint.get("/admin/feeds")
def feeds_page() -> Any:
    ctx, who = web(), person()
    config = ctx.source.current.config
    report = _report(ctx)
    hidden = {f.id for f in config.feeds if f.classified and not who.clearance}
    order = {"failing": 0, "silent": 1, "late": 2, "waiting": 3, "ok": 4}
    report.sort(key=lambda h: (order[h.state], h.feed))
    return render_template(
        "feeds.html",
        report=report,
        panes=_panes(ctx),
        now_ms=now_ms(),
        labels={f.id: f.label.get(config.wall.locale) for f in config.feeds},
        hidden=hidden,
        counts={s: sum(1 for h in report if h.state == s) for s in order},
        generated=datetime.now(UTC),  # written on the wall's clock by the `when` filter
        csrf=csrf_token(),
        who=who,
    )


@blueprint.get("/metrics")
def metrics() -> Any:
    ctx = web()
    if not _metrics_allowed(ctx):
        response = Response("metrics need an operator or a metrics token\n", status=401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="opswall"'
        return response
    text = metrics_text(_report(ctx)) + _screens(ctx)
    # content_type, not mimetype: Flask appends its own charset to a mimetype.
    return Response(text, content_type="text/plain; version=0.0.4; charset=utf-8")


def _screens(ctx: WebContext) -> str:
    """The screen fleet's metrics (issue 21): up, devices, paint age, errors, state."""
    assert ctx.redis is not None  # _report() answered 503 without it
    now = now_ms()
    try:
        return screen_metrics(read_fleet(ctx.redis, ctx.source.current.config, now, {}), now)
    except RedisError:
        abort(503, "Redis is unavailable")
