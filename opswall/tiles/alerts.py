"""`alerts`: active warnings (severity, area, text, time), newest first, counted by severity.

A feed may carry the whole active list in one field (`{"alerts": [...]}`), or one alert per entry
with `id`, `severity`, `area`, `text` and `state: raised | cleared`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import Duration, FeedBinding, Identifier, TileBase
from opswall.i18n import message
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType

SEVERITIES = ("critical", "warning", "info")


class AlertsTile(TileBase):
    """A feed may send the whole active list in one field, or one alert per entry with `id`,
    `severity` (`critical`, `warning`, `info`), `area`, `text` and `state: raised | cleared`."""

    type: Literal["alerts"]
    feed: Identifier = Field(description="the feed of warnings")
    field: str = Field("alerts", min_length=1, description="the field holding a whole list")
    max_items: int = Field(8, ge=1, le=30, description="how many to list (counts include all)")
    window: Duration = Field(6 * 3600.0, description="how far back a screen rebuilds the list")

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)

    def history_seconds(self) -> float:
        return self.window


def render(tile: AlertsTile, ctx: RenderContext) -> html.Div:
    counts = html.Div(
        [
            html.Span(
                [
                    html.Span(className="alert-icon"),
                    html.Span("0", **data(role=f"count-{s}")),
                    html.Span(message(f"severity_{s}", ctx.locale), className="alert-count-label"),
                ],
                className=f"alert-count severity-{s}",
            )
            for s in SEVERITIES
        ],
        className="alert-counts",
    )
    body = [counts, html.Ul([], className="alert-list", **data(role="list"))]
    title = ctx.text(tile.title, ctx.feed_label(tile.feed))
    return tile_root(tile, title, body, client_options(tile))


TILE = TileType(
    name="alerts",
    model=AlertsTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Active warnings, newest first, with counts by severity; critical ones pulse.",
)
