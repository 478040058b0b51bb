"""`reporting`: how complete the indicator record is - connected indicators, and by agency
how many reported on time, late, or not at all for the newest closed period."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import FeedBinding, Identifier, TileBase
from opswall.i18n import message
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType

STATES = ("on_time", "late", "missing", "pending")


class ReportingTile(TileBase):
    type: Literal["reporting"]
    feed: Identifier = Field(description="a feed with `source: {kind: reporting}`")
    max_rows: int = Field(8, ge=1, le=30, description="agencies listed, most overdue first")

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field="connected")),)


def render(tile: ReportingTile, ctx: RenderContext) -> html.Div:
    headline = html.Div(
        [
            html.Span("—", className="rep-connected", **data(role="connected")),
            html.Span(message("rep_connected", ctx.locale), className="rep-connected-label"),
        ],
        className="rep-headline",
    )
    states = html.Div(
        [
            html.Div(
                [
                    html.Span("—", className="rep-count", **data(role=state)),
                    html.Span(message(f"rep_{state}", ctx.locale), className="rep-state-label"),
                ],
                className=f"rep-state rep-{state}",
            )
            for state in STATES
        ],
        className="rep-states",
    )
    head = html.Thead(
        html.Tr(
            [html.Th(message("rep_agency", ctx.locale))]
            + [html.Th(message(f"rep_{s}", ctx.locale), className="col-number") for s in STATES]
            + [html.Th(message("rep_last", ctx.locale), className="col-time")]
        )
    )
    table = html.Table([head, html.Tbody([])], className="wall-table rep-table")
    client = client_options(tile, states=list(STATES))
    title = ctx.text(tile.title, ctx.feed_label(tile.feed))
    return tile_root(tile, title, [headline, states, table], client)


TILE = TileType(
    name="reporting",
    model=ReportingTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Indicator reporting completeness: connected, on time / late / missing by agency.",
)
