"""`/wall/<screen>`: one physical screen, a grid of tiles filling the viewport.

The root element carries what the browser client needs (revision, gateway address, locale, feed
cadences) as data attributes, so the page works from its own HTML with no extra request.
"""

from __future__ import annotations

import json
from typing import Any

from dash import html

from opswall.config.models import LOCALES, Screen, TileBase
from opswall.config.source import Snapshot
from opswall.i18n import catalog, number_locale
from opswall.settings import Settings
from opswall.tiles.base import RenderContext, data
from opswall.tiles.registry import TileRegistry


def _feed_meta(snapshot: Snapshot, screen: Screen) -> dict[str, dict[str, object]]:
    config = snapshot.config
    meta = {}
    for feed in config.screen_feeds(screen):
        factor = feed.stale_after or config.wall.stale_after
        meta[feed.id] = {"stale_ms": int(feed.cadence * factor * 1000), "unit": feed.unit or ""}
    return meta


def _render_tile(tile: TileBase, snapshot: Snapshot, registry: TileRegistry) -> Any:
    """A tile's first render, in its own locale when it overrides the wall's."""
    wall_locale = snapshot.config.wall.locale
    rendered = registry.get(tile.type).render(
        tile, RenderContext(snapshot.config, tile.locale or wall_locale)
    )
    if tile.locale and tile.locale != wall_locale:
        setattr(rendered, "data-locale", tile.locale)  # the client formats this tile likewise
    return rendered


def wall_page(
    snapshot: Snapshot, screen: Screen, registry: TileRegistry, settings: Settings
) -> html.Div:
    config = snapshot.config
    locale = config.wall.locale
    tiles = [_render_tile(tile, snapshot, registry) for tile in screen.tiles]
    header = html.Div(
        [
            html.Span(config.wall.name.get(locale), className="wall-name"),
            html.Span(screen.title.get(locale), className="screen-title"),
            html.Span("", className="link-state", **data(role="link", state="down")),
        ],
        className="wall-header",
    )
    banner = html.Div("", className="wall-banner", **data(role="banner"), hidden=True)
    grid = html.Div(
        tiles,
        className="wall-grid",
        style={
            "gridTemplateColumns": f"repeat({screen.grid.cols}, minmax(0, 1fr))",
            "gridTemplateRows": f"repeat({screen.grid.rows}, minmax(0, 1fr))",
        },
    )
    return html.Div(
        [header, banner, grid],
        id="wall-screen",
        className=f"wall theme-{config.wall.theme}",
        **data(
            screen=screen.id,
            rev=snapshot.revisions[screen.id],
            gateway=settings.browser_gateway(),
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
            feeds=json.dumps(_feed_meta(snapshot, screen)),
            link="down",
        ),
    )
