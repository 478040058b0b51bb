"""`video`: one live picture (a camera, a bridge point) that starts, fails and recovers by itself.

With `follows: province` the pane plays the site of the province the leader drilled into (or a
scene set), so a province's bridge point sits beside that province's figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from dash import html
from pydantic import Field, model_validator

from opswall.config.models import Identifier, Text, TileBase
from opswall.config.video import VideoSource
from opswall.tiles.base import RenderContext, client_options, tile_root
from opswall.tiles.panes import descriptor, pane, site_descriptor
from opswall.tiles.registry import TileType

Fit = Literal["contain", "cover"]


class VideoTile(TileBase):
    type: Literal["video"]
    site: Identifier | None = Field(None, description="a site under `sites` (or give `source`)")
    source: VideoSource | None = Field(None, description="a source of this tile's own")
    label: Text | None = Field(None, description="with `source`: the name on the pane")
    fit: Fit = Field("cover", description="fill the pane and crop, or fit inside it")

    @model_validator(mode="after")
    def _one_source(self) -> VideoTile:
        # A tile that follows the province may name no site: it plays the province's own.
        if self.site is not None and self.source is not None:
            raise ValueError("give exactly one of site, source")
        if self.site is None and self.source is None and not self.follows:
            raise ValueError("give exactly one of site, source (or follows: province)")
        return self

    def site_refs(self) -> tuple[tuple[tuple[str | int, ...], str], ...]:
        return ((("site",), self.site),) if self.site else ()


def _choices(tile: VideoTile, ctx: RenderContext) -> dict[str, Any]:
    """Province code -> site, for a pane that follows the drilled province."""
    if not tile.follows:
        return {}
    return {site.province: site_descriptor(site, ctx) for site in ctx.config.sites if site.province}


def render(tile: VideoTile, ctx: RenderContext) -> html.Div:
    choices = _choices(tile, ctx)
    default: dict[str, Any] | None = None
    if tile.source is not None:
        default = descriptor(tile.id, ctx.text(tile.label or tile.title, tile.id), tile.source)
    elif tile.site is not None and (site := ctx.config.site(tile.site)) is not None:
        default = site_descriptor(site, ctx)
    followed = ctx.followed(tile, None)
    shown = choices.get(followed) if followed else None
    shown = shown or default or next(iter(choices.values()), None)
    if shown is None:  # follows a province, and no site has one: nothing to play
        shown = {"site": tile.id, "name": ctx.text(tile.title, tile.id), "kind": "file", "url": ""}
        shown |= {"problem": "no site to play", "stall_ms": 6000, "loop": True}
    # The raw source stays back: the pane descriptors carry what the browser may dial.
    client = client_options(
        tile, frozenset({"source"}), pane=shown, default=default, choices=choices
    )
    return tile_root(tile, ctx.text(tile.title), [pane(shown, ctx, tile.fit)], client)


TILE = TileType(
    name="video",
    model=VideoTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="One live picture (WHEP, HLS, file, MJPEG or a web room) that recovers by itself.",
)
