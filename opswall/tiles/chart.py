"""`chart`: a rolling time-series window of one or more series, drawn as SVG by chart.js."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from dash import html
from pydantic import Field, model_validator

from opswall.config.models import Duration, FeedBinding, Frozen, Text, TileBase
from opswall.tiles.base import SERIES_COLOURS, RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType


class Series(FeedBinding):
    """One line of a chart: a feed's field, with an optional label and #rrggbb colour."""

    label: Text | None = None
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")


class Band(Frozen):
    """A horizontal band from one value to another, tinted by level."""

    from_: float = Field(alias="from")
    to: float
    level: Literal["good", "warning", "critical"]

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.to <= self.from_:
            raise ValueError(f"to ({self.to:g}) must be above from ({self.from_:g})")
        return self


class ChartTile(TileBase):
    type: Literal["chart"]
    series: tuple[Series, ...] = Field(
        min_length=1, max_length=7, description="1-7 lines; colours default to Okabe-Ito"
    )
    window: Duration = Field(300.0, description="how much history the chart shows")
    style: Literal["line", "area"] = Field("line", description="`area` fills down to zero")
    bands: tuple[Band, ...] = Field(
        (), max_length=6, description="threshold bands: `{from, to, level: good|warning|critical}`"
    )

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return tuple((("series", i), series) for i, series in enumerate(self.series))

    def history_seconds(self) -> float:
        return self.window


def lines(tile: ChartTile, ctx: RenderContext) -> list[dict[str, str]]:
    """Each series' name in the tile's locale and its colour (Okabe-Ito unless set)."""
    return [
        {
            "name": ctx.text(series.label, ctx.feed_label(series.feed)),
            "color": series.color or SERIES_COLOURS[i % len(SERIES_COLOURS)],
        }
        for i, series in enumerate(tile.series)
    ]


def tick_sample(window: float) -> str:
    """The widest time label: seconds only where the window is short enough to need them. How
    many labels fit side by side follows its measured width (chart.js)."""
    return "00:00:00" if window < 1800 else "00:00"


def legend(drawn: list[dict[str, str]]) -> html.Div:
    """A key per line, shown when there is more than one line (the title names a single one)."""
    return html.Div(
        [
            html.Span(
                [
                    html.Span(className="chart-key", style={"backgroundColor": line["color"]}),
                    html.Span(line["name"], className="chart-name"),
                ],
                className="chart-legend-item",
            )
            for line in drawn
        ],
        className="chart-legend",
    )


def render(tile: ChartTile, ctx: RenderContext) -> Any:
    # Drawn by chart.js as SVG, not by Plotly (issue 22): Plotly's redraw of its axes cost about
    # 22 ms of the wall PC's main thread per point (docs/performance.md), and plotly.js was most
    # of a wall page's weight. No dcc.Graph: Dash then never loads plotly.js on a wall page.
    drawn = lines(tile, ctx)
    body = html.Div(
        [
            *([legend(drawn)] if len(drawn) > 1 else []),
            html.Div(className="chart-plot", **data(role="plot")),
        ],
        className="chart-graph",
    )
    client = client_options(tile, tick_sample=tick_sample(tile.window), lines=drawn)
    title = ctx.text(tile.title, ctx.feed_label(tile.series[0].feed))
    return tile_root(tile, title, [body], client)


TILE = TileType(
    name="chart",
    model=ChartTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Rolling time-series window (line or area), several series, drawn as SVG.",
)
