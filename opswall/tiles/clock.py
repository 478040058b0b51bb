"""`clock`: the wall's local time, and optionally other zones. Needs no feed."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field

from opswall.config.models import Frozen, Text, TileBase, TimeZoneName
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.registry import TileType


class Zone(Frozen):
    """A time zone (IANA name) and its label."""

    tz: TimeZoneName
    label: Text | None = None


class ClockTile(TileBase):
    type: Literal["clock"]
    zones: tuple[Zone, ...] = Field((), max_length=4, description="default: the wall's zone")
    seconds: bool = Field(True, description="show seconds")
    date: bool = Field(True, description="show the date under the time")


def render(tile: ClockTile, ctx: RenderContext) -> html.Div:
    zones = tile.zones or (Zone(tz=ctx.config.wall.timezone),)
    rows = [
        html.Div(
            [
                html.Span(ctx.text(z.label, ""), className="clock-label"),
                html.Span("--:--", className="clock-time", **data(role="time", tz=z.tz)),
            ],
            className="clock-zone" + (" clock-main" if i == 0 else ""),
        )
        for i, z in enumerate(zones)
    ]
    rows.append(html.Div("", className="clock-date", **data(role="date")))
    client = client_options(tile, zones=[z.tz for z in zones])
    title = ctx.text(tile.title, "")
    return tile_root(tile, title, rows, client)


TILE = TileType(
    name="clock",
    model=ClockTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Local time with date, and up to three more time zones.",
)
