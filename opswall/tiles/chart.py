"""`chart`: a rolling time-series window of one or more series, appended in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from dash import dcc
from pydantic import Field, model_validator

from opswall.config.models import Duration, FeedBinding, Frozen, Text, TileBase
from opswall.tiles.base import SERIES_COLOURS, RenderContext, client_options, tile_root
from opswall.tiles.registry import TileType


class Series(FeedBinding):
    """One line of a chart: a feed's field, with an optional label and #rrggbb colour."""

    label: Text | None = None
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")


BAND_FILL = {
    "good": "rgba(61, 220, 151, 0.12)",
    "warning": "rgba(255, 178, 36, 0.16)",
    "critical": "rgba(255, 107, 91, 0.20)",
}


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


def _trace(series: Series, index: int, style: str, ctx: RenderContext) -> dict[str, Any]:
    colour = series.color or SERIES_COLOURS[index % len(SERIES_COLOURS)]
    return {
        "type": "scatter",
        "mode": "lines",
        "x": [],
        "y": [],
        "name": ctx.text(series.label, ctx.feed_label(series.feed)),
        "line": {"width": 3, "color": colour, "shape": "linear"},
        "fill": "tozeroy" if style == "area" else "none",
        "hoverinfo": "skip",
    }


def tick_clock(window: float) -> str:
    """The time axis' labels: seconds only where the window is short enough to need them."""
    return "%H:%M:%S" if window < 1800 else "%H:%M"


def figure(tile: ChartTile, ctx: RenderContext) -> dict[str, Any]:
    ink = "#e8eef7" if ctx.config.wall.theme == "dark" else "#0c1420"
    grid = "rgba(160,180,210,0.18)" if ctx.config.wall.theme == "dark" else "rgba(0,0,0,0.12)"
    axis = {"gridcolor": grid, "zeroline": False, "color": ink, "automargin": True}
    clock = tick_clock(tile.window)
    return {
        "data": [_trace(s, i, tile.style, ctx) for i, s in enumerate(tile.series)],
        "layout": {
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"color": ink, "size": 18, "family": "Noto Sans, DejaVu Sans, sans-serif"},
            "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
            "showlegend": len(tile.series) > 1,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            # One locale on a wall (issue 18): digits grouped and a decimal mark as the tile's
            # locale writes them (the separators), times in 24 h, in the wall's zone (chart.js).
            "xaxis": {
                **axis,
                "type": "date",
                "tickformat": clock,
                "hoverformat": clock,
                "tickangle": 0,
            },
            "yaxis": {**axis, "tickformat": ",~r", "hoverformat": ",~r"},
            "separators": ",." if ctx.locale == "vi" else ".,",
            "uirevision": tile.id,
            "shapes": [
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "yref": "y",
                    "y0": band.from_,
                    "y1": band.to,
                    "fillcolor": BAND_FILL[band.level],
                    "line": {"width": 0},
                    "layer": "below",
                }
                for band in tile.bands
            ],
        },
    }


def render(tile: ChartTile, ctx: RenderContext) -> Any:
    graph = dcc.Graph(
        id=f"graph-{tile.id}",
        figure=figure(tile, ctx),
        config={"staticPlot": True, "displayModeBar": False, "responsive": True},
        className="chart-graph",
        style={"height": "100%", "width": "100%"},
    )
    # The widest time label: how many fit side by side follows the chart's width.
    sample = "00:00:00" if tick_clock(tile.window) == "%H:%M:%S" else "00:00"
    client = client_options(tile, tick_sample=sample)
    title = ctx.text(tile.title, ctx.feed_label(tile.series[0].feed))
    return tile_root(tile, title, [graph], client)


TILE = TileType(
    name="chart",
    model=ChartTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Rolling time-series window (line or area), several series, appended in place.",
)
