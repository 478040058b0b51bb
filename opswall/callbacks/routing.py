"""The one page callback: which page a path shows, re-run when the wall's view changes.

It decides who is looking itself (Dash's own requests pass the route guard): a wall page is
rendered in the view the wall state gives that screen right now, for that viewer's clearance.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from dash import Dash, Input, Output, State, html
from redis.exceptions import RedisError

from opswall.callbacks.draft import draft_page
from opswall.clock import now_ms
from opswall.control.state import WallState
from opswall.control.views import view_of
from opswall.i18n import catalog
from opswall.layouts.index import index_page, unknown_screen_page
from opswall.layouts.replay import replay_page
from opswall.layouts.wall import PageAccess, wall_page
from opswall.studio.preview import draft_config, preview_snapshot
from opswall.web.context import WebContext
from opswall.web.first_values import first_values
from opswall.web.security import csrf_token


def _state(ctx: WebContext) -> WallState:
    store = ctx.control
    if store is None:
        return WallState()
    try:
        return store.read()
    except RedisError:
        return WallState()  # the screen re-renders when the gateway reports the real view


def register(app: Dash, ctx: WebContext) -> None:
    source = ctx.source

    @app.callback(
        Output("page", "children"),
        Input("url", "pathname"),
        Input("layout-rev", "data"),
        State("url", "search"),
    )
    def render_page(pathname: str | None, _layout_rev: Any, search: str | None) -> Any:
        source.refresh()  # a valid edit shows even before the watcher notices it
        snapshot = source.current
        locale = snapshot.config.wall.locale
        who = ctx.identity.current()
        parts = (pathname or "/").strip("/").split("/")
        asked = dict(parse_qsl((search or "").lstrip("?")))
        if len(parts) == 2 and parts[0] == "wall" and "at" in asked:
            return replay_page(ctx, who, parts[1], asked)  # issue 24: never the live state
        if len(parts) == 2 and parts[0] == "wall":
            screen = snapshot.config.screen(parts[1])
            if screen is None or not screen.display:
                return unknown_screen_page(snapshot.config, parts[1])
            if who is None or not who.may_show(screen.id):
                return html.Div(catalog(locale)["not_authorised"], className="index-page")
            view = view_of(snapshot.config, screen, _state(ctx), now_ms())
            if view.preview:  # a studio draft shown on this screen only (issue 20)
                draft = draft_config(ctx.redis, view.preview, source.path, source.registry)
                snapshot = preview_snapshot(snapshot, view, draft)
                screen = snapshot.config.screen(screen.id) or screen
            person = ctx.identity.person() is not None
            access = PageAccess(
                who,
                token="" if person else ctx.identity.device_token(),
                csrf=csrf_token() if person else "",
            )
            page = wall_page(snapshot, screen, view, access, source.registry, ctx.settings)
            if _layout_rev is None and not view.preview:  # a first load: not a re-render
                first = first_values(ctx.streams, ctx.db, snapshot, screen, view, who)
                if first is not None:
                    setattr(page, "data-first", first)  # painted before the socket is up
            return page
        if len(parts) == 3 and parts[0] == "draft":  # the studio's preview window (issue 20)
            return draft_page(ctx, parts[1], parts[2])
        if who is None or not who.may("leader"):
            return html.Div(catalog(locale)["not_authorised"], className="index-page")
        return index_page(snapshot.config, source.last_error)
