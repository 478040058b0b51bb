"""`/wall/<screen>`: one physical screen, a grid of tiles filling the viewport.

The root element carries what the browser client needs (revision, gateway address, locale, feed
cadences) as data attributes, so the page works from its own HTML with no extra request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dash import html

from opswall.auth.principals import Principal
from opswall.config.models import LOCALES, At, Grid, Locale, Screen, TileBase, WallConfig
from opswall.config.source import Snapshot
from opswall.control.views import View
from opswall.i18n import catalog, number_locale
from opswall.settings import Settings
from opswall.tiles.base import RenderContext, data
from opswall.tiles.registry import TileRegistry


@dataclass(frozen=True)
class PageAccess:
    """Who is looking, and what the page's socket presents to the gateway."""

    principal: Principal
    token: str = ""  # a wall screen's device token; people get a ticket with `csrf`
    csrf: str = ""


def _feed_meta(config: WallConfig, tiles: list[TileBase]) -> dict[str, dict[str, object]]:
    meta = {}
    wanted = {binding.feed for tile in tiles for _, binding in tile.bindings()}
    for feed in config.feeds:
        if feed.id not in wanted:
            continue
        factor = feed.stale_after or config.wall.stale_after
        meta[feed.id] = {"stale_ms": int(feed.cadence * factor * 1000), "unit": feed.unit or ""}
    return meta


def _shown_tiles(
    config: WallConfig, layout: Screen, view: View, principal: Principal
) -> tuple[Grid, list[TileBase], int]:
    """The tiles the page shows (a focused tile fills the screen); restricted ones dropped."""
    grid, tiles = layout.grid, list(layout.tiles)
    if view.focus and (focused := layout.tile(view.focus)) is not None:
        grid, tiles = Grid(cols=1, rows=1), [focused.model_copy(update={"at": At(col=1, row=1)})]
    visible = [t for t in tiles if principal.clearance or not config.is_restricted(t)]
    return grid, visible, len(tiles) - len(visible)


def _render_tile(
    tile: TileBase, snapshot: Snapshot, registry: TileRegistry, vars_: dict[str, Any]
) -> Any:
    """A tile's first render, in its own locale when it overrides the wall's."""
    wall_locale = snapshot.config.wall.locale
    rendered = registry.get(tile.type).render(
        tile, RenderContext(snapshot.config, tile.locale or wall_locale, vars_)
    )
    if tile.locale and tile.locale != wall_locale:
        setattr(rendered, "data-locale", tile.locale)  # the client formats this tile likewise
    return rendered


def _restricted_slot(tile: TileBase, locale: Locale) -> html.Div:
    at = tile.at
    return html.Div(
        html.Span("🔒 " + catalog(locale)["restricted"], className="tile-restricted-label"),
        className="tile tile-restricted",
        style={"gridColumn": f"{at.col} / span {at.w}", "gridRow": f"{at.row} / span {at.h}"},
    )


def _header(config: WallConfig, screen: Screen, view: View) -> html.Div:
    locale = config.wall.locale
    messages = catalog(locale)
    scene = config.scene(view.scene) if view.scene else None
    badges = []
    if view.takeover:
        badges.append(html.Span(messages["takeover"], className="badge badge-alert"))
    elif view.focus:
        badges.append(html.Span(messages["focused"], className="badge badge-focus"))
    if scene is not None:
        badges.append(html.Span(scene.title.get(locale), className="badge badge-scene"))
    return html.Div(
        [
            html.Span(config.wall.name.get(locale), className="wall-name"),
            html.Span(screen.title.get(locale), className="screen-title"),
            *badges,
            html.Span("", className="link-state", **data(role="link", state="down")),
        ],
        className="wall-header",
    )


def wall_page(
    snapshot: Snapshot,
    screen: Screen,
    view: View,
    access: PageAccess,
    registry: TileRegistry,
    settings: Settings,
) -> html.Div:
    config = snapshot.config
    locale = config.wall.locale
    layout = config.screen(view.layout) or screen
    grid, tiles, _hidden = _shown_tiles(config, layout, view, access.principal)
    shown = {t.id for t in tiles}
    rendered = [_render_tile(tile, snapshot, registry, view.vars) for tile in tiles]
    if not view.focus:
        rendered += [_restricted_slot(t, locale) for t in layout.tiles if t.id not in shown]
    banner = html.Div("", className="wall-banner", **data(role="banner"), hidden=True)
    alert = html.Div("", className="wall-alert", **data(role="alert-banner"), hidden=True)
    body = html.Div(
        rendered,
        className="wall-grid",
        style={
            "gridTemplateColumns": f"repeat({grid.cols}, minmax(0, 1fr))",
            "gridTemplateRows": f"repeat({grid.rows}, minmax(0, 1fr))",
        },
    )
    mode = "takeover" if view.takeover else ("focus" if view.focus else "normal")
    return html.Div(
        [_header(config, screen, view), banner, alert, body],
        id="wall-screen",
        className=f"wall theme-{config.wall.theme} wall-{mode}",
        **data(
            screen=screen.id,
            layout=layout.id,
            scene=view.scene or "",
            focus=view.focus or "",
            view_key=view.key,
            rev=snapshot.revisions[layout.id],
            gateway=settings.browser_gateway(),
            token=access.token,
            csrf=access.csrf,
            locale=locale,
            number_locale=number_locale(locale),
            tz=config.wall.timezone,
            messages=json.dumps(catalog(locale), ensure_ascii=False),
            catalogs=json.dumps(
                {
                    other: {"messages": catalog(other), "number_locale": number_locale(other)}
                    for other in LOCALES
                    if other != locale
                },
                ensure_ascii=False,
            ),
            feeds=json.dumps(_feed_meta(config, tiles)),
            link="down",
        ),
    )
