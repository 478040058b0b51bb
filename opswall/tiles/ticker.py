"""`ticker`: the latest events of a feed scrolling sideways, news style."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import Duration, FeedBinding, Identifier, TileBase
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType


class TickerTile(TileBase):
    """Each entry is one item: its `field` (default `text`), prefixed by `area` when present."""

    type: Literal["ticker"]
    feed: Identifier = Field(description="the feed of events")
    field: str = Field("text", min_length=1, description="which field holds an item's text")
    items: int = Field(12, ge=1, le=50, description="how many latest items scroll")
    speed: float = Field(120.0, gt=0, le=1000, description="scroll speed, pixels per second")
    window: Duration = Field(3600.0, description="how far back a screen rebuilds the items")

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)

    def history_seconds(self) -> float:
        return self.window


def render(tile: TickerTile, ctx: RenderContext) -> html.Div:
    body = [
        html.Div(
            html.Div("", className="ticker-track", **data(role="track")), className="ticker-window"
        )
    ]
    client = client_options(tile)
    return tile_root(tile, ctx.text(tile.title, ctx.feed_label(tile.feed)), body, client)


TILE = TileType(
    name="ticker",
    model=TickerTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="The latest events of a feed scrolling sideways, news style.",
)
