"""`text`: markdown written in the config (per language), or the latest text of a feed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from dash import dcc, html
from pydantic import Field, model_validator

from opswall.config.models import FeedBinding, Identifier, Text, TileBase
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType


class TextTile(TileBase):
    """Give `markdown` (fixed text, in both languages) or `feed` (its latest `field`). Feed text
    supports **bold**, *italic* and `- ` lists; it is escaped first, so a feed cannot inject
    markup into the wall."""

    type: Literal["text"]
    markdown: Text | None = Field(None, description="fixed text, markdown, per language")
    feed: Identifier | None = Field(None, description="a feed whose latest text to show")
    field: str = Field("text", min_length=1, description="which field holds the text")

    @model_validator(mode="after")
    def _one_source(self) -> TextTile:
        if (self.markdown is None) == (self.feed is None):
            raise ValueError("give either markdown or feed (exactly one)")
        return self

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        return (((), FeedBinding(feed=self.feed, field=self.field)),) if self.feed else ()


def render(tile: TextTile, ctx: RenderContext) -> html.Div:
    body: list[Any]
    if tile.markdown is not None:
        body = [dcc.Markdown(ctx.text(tile.markdown), className="text-body")]
    else:
        body = [html.Div("", className="text-body", **data(role="text"))]
    title = ctx.text(tile.title, ctx.feed_label(tile.feed) if tile.feed else "")
    # Fixed markdown is rendered here, by the server: the client never sees it.
    return tile_root(tile, title, body, client_options(tile, frozenset({"markdown"})))


TILE = TileType(
    name="text",
    model=TextTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Markdown from the config in both languages, or the latest text from a feed.",
)
