"""`image`: a picture bundled with the wall (logo, diagram, floor plan)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from dash import html
from pydantic import AfterValidator, Field

from opswall.config.models import Text, TileBase
from opswall.tiles.base import RenderContext, client_options, tile_root
from opswall.tiles.internal import asset_path
from opswall.tiles.registry import TileType


class ImageTile(TileBase):
    type: Literal["image"]
    src: Annotated[str, AfterValidator(asset_path)] = Field(
        description="a file under opswall/assets/, e.g. img/opswall-logo.svg"
    )
    fit: Literal["contain", "cover"] = Field("contain", description="fit inside, or fill and crop")
    alt: Text | None = Field(None, description="what the picture shows, for screen readers")


def render(tile: ImageTile, ctx: RenderContext) -> html.Div:
    picture = html.Img(src=tile.src, alt=ctx.text(tile.alt), className=f"image-{tile.fit}")
    return tile_root(tile, ctx.text(tile.title), [picture], client_options(tile))


TILE = TileType(
    name="image",
    model=ImageTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="A picture bundled with the wall: logo, diagram, floor plan.",
)
