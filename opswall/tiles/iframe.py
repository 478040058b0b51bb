"""`iframe`: another page of this server inside a tile (e.g. a second screen, shrunk)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from dash import html
from pydantic import AfterValidator, Field

from opswall.config.models import TileBase
from opswall.tiles.base import RenderContext, client_options, tile_root
from opswall.tiles.internal import same_origin_path
from opswall.tiles.registry import TileType


class IframeTile(TileBase):
    type: Literal["iframe"]
    src: Annotated[str, AfterValidator(same_origin_path)] = Field(
        description="a path on this server, e.g. /wall/emergency"
    )


def render(tile: IframeTile, ctx: RenderContext) -> html.Div:
    frame = html.Iframe(src=tile.src, className="tile-frame", title=ctx.text(tile.title, tile.src))
    return tile_root(tile, ctx.text(tile.title), [frame], client_options(tile))


TILE = TileType(
    name="iframe",
    model=IframeTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Another page of this server inside a tile, such as a second screen.",
)
