"""`kpi`: one big number with its unit, change vs the previous value, as-of time and age."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import FeedBinding, Identifier, TileBase
from opswall.tiles.base import RenderContext, data, tile_root
from opswall.tiles.registry import TileType


class KpiTile(TileBase):
    type: Literal["kpi"]
    feed: Identifier
    field: str = Field("value", min_length=1)
    unit: str | None = Field(None, description="overrides the feed's unit")
    decimals: int | None = Field(None, ge=0, le=6, description="default: as the value comes")

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)


def render(tile: KpiTile, ctx: RenderContext) -> html.Div:
    unit = tile.unit if tile.unit is not None else ctx.feed_unit(tile.feed)
    body = [
        html.Div(
            [
                html.Span("—", className="kpi-value", **data(role="value", value="")),
                html.Span(unit, className="kpi-unit"),
            ],
            className="kpi-main",
        ),
        html.Div(
            [
                html.Span("", className="kpi-delta", **data(role="delta")),
                html.Span("", className="kpi-asof", **data(role="asof")),
            ],
            className="kpi-foot",
        ),
    ]
    client = {"feed": tile.feed, "field": tile.field, "decimals": tile.decimals}
    return tile_root(tile, ctx.text(tile.title, ctx.feed_label(tile.feed)), body, client)


TILE = TileType(
    name="kpi",
    model=KpiTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="One large figure with unit, change vs previous value, as-of time and age.",
)
