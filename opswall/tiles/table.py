"""`table`: the latest rows carried in an entry's `json` field (e.g. river stations)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import FeedBinding, Frozen, Identifier, Text, TileBase
from opswall.tiles.base import RenderContext, client_options, tile_root
from opswall.tiles.registry import TileType


class CellLevels(Frozen):
    """Levels of a cell: each bound is a number, or the key of another column of the same row
    (a river station's own alarm levels)."""

    direction: Literal["higher_is_better", "lower_is_better"] = "lower_is_better"
    warning: float | str
    critical: float | str


class Column(Frozen):
    """One column: the row key it shows, its header, how to format it, optional levels."""

    key: str = Field(min_length=1)
    label: Text | None = None
    format: Literal["text", "number", "percent", "time"] = "text"
    decimals: int | None = Field(None, ge=0, le=6)
    levels: CellLevels | None = None


class TableTile(TileBase):
    type: Literal["table"]
    feed: Identifier = Field(description="the feed whose entries carry the rows")
    field: str = Field("rows", min_length=1, description="the field holding a list of rows")
    columns: tuple[Column, ...] = Field(
        min_length=1,
        max_length=8,
        description="`{key, label, format: text|number|percent|time, decimals, levels}`",
    )
    max_rows: int = Field(10, ge=1, le=50, description="rows shown, from the top of the list")

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),)


def render(tile: TableTile, ctx: RenderContext) -> html.Div:
    head = html.Thead(
        html.Tr(
            [html.Th(ctx.text(c.label, c.key), className=f"col-{c.format}") for c in tile.columns]
        )
    )
    table = html.Table([head, html.Tbody([])], className="wall-table")
    title = ctx.text(tile.title, ctx.feed_label(tile.feed))
    return tile_root(tile, title, [table], client_options(tile))


TILE = TileType(
    name="table",
    model=TableTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Latest rows from a json field, with per-column number/percent/time formats.",
)
