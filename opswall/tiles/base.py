"""What every tile's first render shares: the root element and its machine-readable state.

The root carries `data-tile`, `data-tile-type`, `data-fresh` and `data-asof` (kept current by the
browser client) and `data-client`, the JSON the tile's client module is mounted with: the tile's
own options as its model holds them (`client_options`), never copied by hand (docs/tiles.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from dash import html
from pydantic.fields import FieldInfo

from opswall.config.models import Locale, Text, TileBase, WallConfig
from opswall.config.primitives import Duration

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


def _is_duration(info: FieldInfo) -> bool:
    """A `Duration` field, or an optional one (pydantic keeps the alias inside the union)."""
    _, *metadata = get_args(Duration)
    return info.metadata == metadata or Duration in get_args(info.annotation)


def client_options(
    tile: TileBase, exclude: frozenset[str] = frozenset(), **computed: Any
) -> dict[str, Any]:
    """The options a tile's client module is mounted with: every option of the tile's model that
    TileBase does not have, as JSON, a duration `x` (seconds) as `x_ms`; `computed` adds what
    only the first render knows (a followed highlight, a URL, site descriptors); `exclude` keeps
    back what the browser must not see or does not use (a raw video source)."""
    fields = type(tile).model_fields
    own = set(fields) - set(TileBase.model_fields) - exclude
    options: dict[str, Any] = {}
    for name, value in tile.model_dump(mode="json", include=own).items():
        if _is_duration(fields[name]):
            options[f"{name}_ms"] = None if value is None else round(value * 1000)
        else:
            options[name] = value
    return options | computed


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
