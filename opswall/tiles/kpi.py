"""`kpi`: one big number with its unit, change vs the previous value, as-of time and age.

Optional: thresholds that colour the tile (with an icon, never colour alone) in the direction
that is good for this indicator, progress towards a target, a sparkline, compact large numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from dash import html
from pydantic import Field, model_validator

from opswall.config.models import Duration, FeedBinding, Frozen, Identifier, TileBase
from opswall.i18n import message
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType


class Thresholds(Frozen):
    """Good up to `warning`, critical past `critical`, in the bad `direction`."""

    direction: Literal["higher_is_better", "lower_is_better"] = "higher_is_better"
    warning: float
    critical: float

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.direction == "higher_is_better" and self.critical > self.warning:
            raise ValueError(
                f"with higher_is_better, critical ({self.critical:g}) must not be above "
                f"warning ({self.warning:g})"
            )
        if self.direction == "lower_is_better" and self.critical < self.warning:
            raise ValueError(
                f"with lower_is_better, critical ({self.critical:g}) must not be below "
                f"warning ({self.warning:g})"
            )
        return self


class KpiTile(TileBase):
    """Shows the change vs the previous value as ▲ ▼ ■ with its sign, never by colour alone.
    With `thresholds` the tile is coloured good / warning / critical and draws a different shape
    for each (circle, triangle, octagon); the change turns green or red by whether it improves."""

    type: Literal["kpi"]
    feed: Identifier = Field(description="the feed to show")
    field: str = Field("value", min_length=1, description="which field of its entries")
    unit: str | None = Field(None, description="overrides the feed's unit")
    decimals: int | None = Field(None, ge=0, le=6, description="default: as the value comes")
    compact: bool = Field(False, description="12,8 nghìn tỷ / 12.8 trillion for large numbers")
    thresholds: Thresholds | None = None
    target: float | None = Field(None, description="shows progress towards this value")
    sparkline: Duration | None = Field(None, description="a line of this much recent history")
    period_field: str | None = Field(
        None, description="a field with the previous period's value (e.g. same month last year)"
    )

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)

    def history_seconds(self) -> float:
        return self.sparkline or 0.0


def _optional_parts(tile: KpiTile, ctx: RenderContext) -> list[Any]:
    parts: list[Any] = []
    if tile.sparkline:
        parts.append(html.Div(className="kpi-sparkline", **data(role="sparkline")))
    if tile.target is not None:
        parts.append(
            html.Div(
                [
                    html.Div(
                        html.Div(className="kpi-target-fill", **data(role="target-fill")),
                        className="kpi-target-bar",
                    ),
                    html.Span(
                        message("target", ctx.locale),
                        className="kpi-target-label",
                        **data(role="target"),
                    ),
                ],
                className="kpi-target",
            )
        )
    return parts


def _foot(tile: KpiTile) -> list[Any]:
    # The level in words as well as colour and shape (issue 18, part 7): read up close.
    word = html.Span("", className="kpi-level-word", **data(role="level-word"))
    return [
        *([word] if tile.thresholds else []),
        html.Span("", className="kpi-delta", **data(role="delta")),
        html.Span("", className="kpi-asof", **data(role="asof")),
    ]


def render(tile: KpiTile, ctx: RenderContext) -> html.Div:
    unit = tile.unit if tile.unit is not None else ctx.feed_unit(tile.feed)
    main = [
        html.Span("", className="kpi-level", **data(role="level")) if tile.thresholds else None,
        html.Span("—", className="kpi-value", **data(role="value", value="")),
        html.Span(unit, className="kpi-unit"),
    ]
    parts = [
        html.Div([part for part in main if part is not None], className="kpi-main"),
        *_optional_parts(tile, ctx),
        html.Div("", className="kpi-period", **data(role="period")) if tile.period_field else None,
        html.Div(_foot(tile), className="kpi-foot"),
    ]
    body = [part for part in parts if part is not None]
    title = ctx.text(tile.title, ctx.feed_label(tile.feed))
    return tile_root(tile, title, body, client_options(tile))


TILE = TileType(
    name="kpi",
    model=KpiTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="One large figure with unit, change, thresholds, target, sparkline, as-of and age.",
)
