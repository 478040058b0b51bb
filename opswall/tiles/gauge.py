"""`gauge`: a dial from `min` to `max` (percent of plan, by default), coloured by thresholds."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field, model_validator

from opswall.config.models import FeedBinding, Identifier, TileBase
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.kpi import Thresholds
from opswall.tiles.registry import TileType


class GaugeTile(TileBase):
    type: Literal["gauge"]
    feed: Identifier = Field(description="the feed to show")
    field: str = Field("value", min_length=1, description="which field of its entries")
    min: float = Field(0.0, description="the dial's start")
    max: float = Field(100.0, description="the dial's end (e.g. the plan)")
    thresholds: Thresholds | None = None
    decimals: int | None = Field(1, ge=0, le=6)

    @model_validator(mode="after")
    def _range(self) -> GaugeTile:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max:g}) must be above min ({self.min:g})")
        return self

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)


def render(tile: GaugeTile, ctx: RenderContext) -> html.Div:
    body = [
        html.Div(className="gauge-dial", **data(role="dial")),
        html.Div(
            [
                html.Span("—", className="gauge-value", **data(role="value", value="")),
                html.Span(ctx.feed_unit(tile.feed), className="gauge-unit"),
            ],
            className="gauge-readout",
        ),
    ]
    if tile.thresholds:
        # The level by shape and word as well as colour, as a KPI shows it (README).
        level = [
            html.Span("", className="kpi-level", **data(role="level")),
            html.Span("", className="gauge-level-word", **data(role="level-word")),
        ]
        body.append(html.Div(level, className="gauge-level"))
    client = client_options(tile)
    return tile_root(tile, ctx.text(tile.title, ctx.feed_label(tile.feed)), body, client)


TILE = TileType(
    name="gauge",
    model=GaugeTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="A dial from min to max (percent of plan), coloured by direction-aware thresholds.",
)
