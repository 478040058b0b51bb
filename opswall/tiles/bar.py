"""`bar`: a ranking: the top (or bottom) N rows of a list by one field, with one row highlighted."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import FeedBinding, Identifier, TileBase
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.map import bundled_shapes
from opswall.tiles.registry import TileType


class BarTile(TileBase):
    """Rows come as a list in one field (`[{name: "42", value: 88.1}, ...]`). With `names_from`, row
    keys that are province codes are shown by name, taken from that bundled shape file."""

    type: Literal["bar"]
    feed: Identifier = Field(description="the feed whose entries carry the rows")
    field: str = Field("rows", min_length=1, description="the field holding the list of rows")
    key: str = Field("name", min_length=1, description="the row field naming each bar")
    value: str = Field("value", min_length=1, description="the row field to rank by")
    top: int = Field(10, ge=1, le=40, description="how many bars")
    order: Literal["top", "bottom"] = Field("top", description="the highest or the lowest")
    highlight: str | None = Field(None, description="a row key to mark (the leader's province)")
    names_from: str | None = Field(
        None, description="shape file naming codes, e.g. geo/vn-34.geojson"
    )
    decimals: int | None = Field(1, ge=0, le=6)

    _names_bundled = bundled_shapes("names_from")

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)


def render(tile: BarTile, ctx: RenderContext) -> html.Div:
    body = [html.Ol([], className="bar-list", **data(role="bars"))]
    client = client_options(
        tile,
        highlight=ctx.followed(tile, tile.highlight),
        highlight_default=tile.highlight,
        names_from=f"/assets/{tile.names_from}" if tile.names_from else None,
    )
    return tile_root(tile, ctx.text(tile.title, ctx.feed_label(tile.feed)), body, client)


TILE = TileType(
    name="bar",
    model=BarTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="A ranking of the top or bottom N rows by a field, sorted, one row highlighted.",
)
