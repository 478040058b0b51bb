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
from opswall.build import page_build
from opswall.config.live import Snapshot
from opswall.config.models import LOCALES, Locale, Screen, TileBase, WallConfig, look_back
from opswall.config.spans import geometry_of, span_geometry, span_style
from opswall.control.views import View, candidate_layouts
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
    keep = look_back(tiles)  # how far back any tile of the page looks, per feed
    return {
        feed.id: {
            "stale_ms": int(feed.stale_window(config.wall.stale_after) * 1000),
            "unit": feed.unit or "",
            "keep_ms": int(keep[feed.id] * 1000),
        }
        for feed in config.feeds
        if feed.id in keep
    }


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


def visible_tiles(config: WallConfig, layout: Screen, principal: Principal) -> list[TileBase]:
    """A layout's tiles this viewer may see: an uncleared one gets restricted ones as empty
    slots, never their figures (issue 17)."""
    return [t for t in layout.tiles if principal.clearance or not config.is_restricted(t)]


def page_layouts(config: WallConfig, screen: Screen, view: View) -> list[Screen]:
    """Every layout a screen's page holds: those it can show under any scene, and the view's
    (a tile from elsewhere, focused here)."""
    layouts = candidate_layouts(config, screen)
    if view.layout not in layouts:
        layouts.append(view.layout)
    return [layout for layout in map(config.screen, layouts) if layout is not None]


def _restricted_slot(tile: TileBase, locale: Locale) -> html.Div:
    at = tile.at
    return html.Div(
        html.Span(catalog(locale)["restricted"], className="tile-restricted-label"),
        className="tile tile-restricted",
        style={"gridColumn": f"{at.col} / span {at.w}", "gridRow": f"{at.row} / span {at.h}"},
    )


def _title(config: WallConfig, screen: Screen, view: View) -> str:
    """The screen's title; on a span, the span layout's, the same on each of its screens."""
    layout = config.screen(view.layout)
    if layout is not None and _span_data(config, layout, view):
        return layout.title.get(config.wall.locale)
    return screen.title.get(config.wall.locale)


def _header(config: WallConfig, screen: Screen, view: View) -> html.Header:
    """Badges for every mode are present; the client shows the ones the view calls for."""
    locale = config.wall.locale
    messages = catalog(locale)
    scene = config.scene(view.scene) if view.scene else None
    return html.Header(
        [
            html.Span(config.wall.name.get(locale), className="wall-name"),
            html.H1(
                _title(config, screen, view),
                className="screen-title",
                **data(own_title=screen.title.get(locale)),
            ),
            html.Span(
                messages["takeover"],
                className="badge badge-alert",
                hidden=not view.badges["takeover-badge"],
                **data(role="takeover-badge"),
            ),
            html.Span(
                messages["focused"],
                className="badge badge-focus",
                hidden=not view.badges["focus-badge"],
                **data(role="focus-badge"),
            ),
            html.Span(
                scene.title.get(locale) if scene else "",
                className="badge badge-scene",
                hidden=not view.badges["scene-badge"],
                **data(role="scene-badge"),
            ),
            html.Span("", className="link-state", **data(role="link", state="down")),
        ],
        className="wall-header",
    )


def _layout_grid(
    snapshot: Snapshot,
    layout: Screen,
    view: View,
    access: PageAccess,
    registry: TileRegistry,
) -> tuple[html.Div, list[TileBase]]:
    """One layout's grid: its tiles (restricted ones as empty slots), hidden unless shown."""
    config = snapshot.config
    shown = view.layout == layout.id
    focus = view.focus if shown else None
    tiles = visible_tiles(config, layout, access.principal)
    rendered = []
    for tile in layout.tiles:
        if tile not in tiles:
            rendered.append(_restricted_slot(tile, config.wall.locale))
            continue
        element = _render_tile(tile, snapshot, registry, view.vars)
        if tile.id == focus:
            element.className = f"{element.className} is-focused"
        rendered.append(element)
    grid = html.Div(
        rendered,
        className="wall-grid" + (" has-focus" if focus else ""),
        hidden=not shown,
        style={
            "gridTemplateColumns": f"repeat({layout.grid.cols}, minmax(0, 1fr))",
            "gridTemplateRows": f"repeat({layout.grid.rows}, minmax(0, 1fr))",
        },
        **data(
            layout=layout.id, rev=snapshot.revisions[layout.id], **_span_data(config, layout, view)
        ),
    )
    return grid, tiles


def _span_data(config: WallConfig, layout: Screen, view: View) -> dict[str, str]:
    """A span layout's canvas and this screen's slice of it (span.js sizes the page by it), and
    its title, which the header shows on every screen of the span alike (issue 23)."""
    geometry = span_geometry(config, layout)
    if geometry is None or geometry.slice_of(view.screen) is None:
        return {}
    span = json.dumps(geometry.wire(view.screen))
    return {"span": span, "title": layout.title.get(config.wall.locale)}


def _root_span(config: WallConfig, view: View) -> tuple[str, dict[str, str]]:
    """The root's class and style when the view's layout spans screens: drawn right in the
    first paint, before the client runs (span.js keeps it so on every switch)."""
    geometry = geometry_of(config, view.layout)
    cut = geometry.slice_of(view.screen) if geometry else None
    if geometry is None or cut is None:
        return "", {}
    return " wall-span", span_style(geometry.wire(view.screen))


def wall_page(
    snapshot: Snapshot,
    screen: Screen,
    view: View,
    access: PageAccess,
    registry: TileRegistry,
    settings: Settings,
) -> html.Main:
    config = snapshot.config
    locale = config.wall.locale
    grids, tiles = [], []
    for layout in page_layouts(config, screen, view):
        grid, shown = _layout_grid(snapshot, layout, view, access, registry)
        grids.append(grid)
        tiles += shown
    banner = html.Div("", className="wall-banner", **data(role="banner"), hidden=True)
    alert = html.Div("", className="wall-alert", **data(role="alert-banner"), hidden=True)
    scene_titles = {scene.id: scene.title.get(locale) for scene in config.scenes}
    span_class, span_css = _root_span(config, view)
    return html.Main(
        [_header(config, screen, view), banner, alert, *grids],
        id="wall-screen",
        className=f"wall theme-{config.wall.theme} wall-{view.mode}{span_class}",
        style=span_css,
        **data(
            screen=screen.id,
            layout=view.layout,
            scene=view.scene or "",
            focus=view.focus or "",
            takeover=view.takeover or "",
            view_key=view.key,
            vars=json.dumps(view.vars, ensure_ascii=False),
            scenes=json.dumps(scene_titles, ensure_ascii=False),
            rev=snapshot.revisions[view.layout],
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
            build=page_build(),  # reported to the gateway: an old page reloads (issue 21)
            link="down",
        ),
    )
