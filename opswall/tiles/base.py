"""What every tile's first render shares: the root element and its machine-readable state.

The root carries `data-tile`, `data-tile-type`, `data-fresh` and `data-asof` (kept current by the
browser client) and `data-client`, the JSON the tile's client script is mounted with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dash import html

from opswall.config.models import Locale, Text, TileBase, WallConfig

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
SERIES_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#0072B2", "#D55E00")


@dataclass(frozen=True)
class RenderContext:
    config: WallConfig
    locale: Locale
    vars: Mapping[str, Any] = field(default_factory=dict)  # the scene's (e.g. province)

    def text(self, text: Text | None, fallback: str = "") -> str:
        return text.get(self.locale) if text else fallback

    def feed_label(self, feed_id: str) -> str:
        return self.config.feed(feed_id).label.get(self.locale)

    def followed(self, tile: TileBase, default: str | None) -> str | None:
        """The scene variable the tile follows, when set; else the tile's own `default`."""
        value = self.vars.get(tile.follows) if tile.follows else None
        return default if value is None else str(value)

    def feed_unit(self, feed_id: str) -> str:
        return self.config.feed(feed_id).unit or ""


def data(**attributes: Any) -> dict[str, Any]:
    """`data(role="value")` -> {"data-role": "value"}, for Dash html components."""
    return {f"data-{key.replace('_', '-')}": value for key, value in attributes.items()}


def tile_root(tile: TileBase, title: str, body: list[Any], client: dict[str, Any]) -> html.Div:
    at = tile.at
    head = html.Div(
        [
            html.Span(title, className="tile-title"),
            html.Span("", className="tile-age", **data(role="age")),
        ],
        className="tile-head",
    )
    return html.Div(
        [head, html.Div(body, className="tile-body")],
        className=f"tile tile-{tile.type}",
        style={"gridColumn": f"{at.col} / span {at.w}", "gridRow": f"{at.row} / span {at.h}"},
        **data(
            tile=tile.id,
            tile_type=tile.type,
            follows=tile.follows or "",
            fresh="down",
            asof="",
            client=json.dumps(client, ensure_ascii=False, separators=(",", ":")),
        ),
    )
