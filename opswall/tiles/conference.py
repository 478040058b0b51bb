"""`conference`: bridge points of a session in a grid, the selected or speaking one large.

Which site is large and whose audio is live are scene variables (`large_var`, `audio_var`), set
by the leader's panel; with `follows: province` the drilled province's site is large too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dash import html
from pydantic import Field, model_validator

from opswall.config.models import Identifier, TileBase
from opswall.tiles.base import RenderContext, client_options, data, tile_root
from opswall.tiles.panes import pane, site_descriptor
from opswall.tiles.registry import TileType

CELLS = {"2x2": 4, "3x3": 9, "1+5": 6}


class ConferenceTile(TileBase):
    type: Literal["conference"]
    sites: tuple[Identifier, ...] = Field((), description="sites in order (default: every site)")
    layout: Literal["2x2", "3x3", "1+5"] = Field(
        "1+5", description="1+5: one large and five small; grids: equal panes, selected first"
    )
    large: Identifier | None = Field(None, description="the large site until one is picked")
    large_var: Identifier = Field("site", description="scene variable naming the large site")
    audio_var: Identifier = Field("audio", description="scene variable naming the site heard")
    follow_speaker: bool = Field(
        False, description="the speaking site goes large when none is picked"
    )
    fit: Literal["contain", "cover"] = "cover"

    @model_validator(mode="after")
    def _large_listed(self) -> ConferenceTile:
        if self.large and self.sites and self.large not in self.sites:
            raise ValueError(f"large: '{self.large}' is not in sites")
        return self

    def site_refs(self) -> tuple[tuple[tuple[str | int, ...], str], ...]:
        refs: list[tuple[tuple[str | int, ...], str]] = [
            (("sites", i), site) for i, site in enumerate(self.sites)
        ]
        if self.large:
            refs.append((("large",), self.large))
        return tuple(refs)


def render(tile: ConferenceTile, ctx: RenderContext) -> html.Div:
    wanted = tile.sites or tuple(site.id for site in ctx.config.sites)
    sites = [s for s in (ctx.config.site(i) for i in wanted) if s is not None]
    described = [site_descriptor(site, ctx) for site in sites]
    default_large = tile.large or (sites[0].id if sites else None)
    large = ctx.vars.get(tile.large_var) or default_large
    client = client_options(tile, sites=described, cells=CELLS[tile.layout], large=default_large)
    panes = [pane(d, ctx, tile.fit) for d in described]
    grid = html.Div(
        panes,
        className=f"conference-grid conference-{tile.layout.replace('+', 'p')}",
        **data(large=str(large or "")),
    )
    return tile_root(tile, ctx.text(tile.title), [grid], client)


TILE = TileType(
    name="conference",
    model=ConferenceTile,
    render=render,
    script=Path(__file__).with_suffix(".js"),
    summary="Bridge points of a session in a 2x2, 3x3 or 1+5 grid; the leader picks who is large.",
)
