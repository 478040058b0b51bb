"""chart: the first render gives chart.js what it draws, in the tile's locale, and no Plotly
graph (issue 22: the chart is drawn as SVG, so Dash never loads plotly.js on a wall page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opswall.config.loader import load_config
from opswall.tiles import default_registry
from opswall.tiles.base import SERIES_COLOURS, RenderContext
from opswall.tiles.chart import ChartTile, render

FIXTURES = Path(__file__).parents[1] / "fixtures"


def chart(screen: str, tile_id: str) -> tuple[ChartTile, RenderContext, RenderContext]:
    config = load_config(FIXTURES / "locale.yaml", default_registry())
    found = config.screen(screen)
    assert found is not None
    tile = next(t for t in found.tiles if t.id == tile_id)
    assert isinstance(tile, ChartTile)
    return tile, RenderContext(config, "vi"), RenderContext(config, "en")


def client_of(root: Any) -> dict[str, Any]:
    return dict(json.loads(root.to_plotly_json()["props"]["data-client"]))


def components(node: Any) -> list[Any]:
    """Every component under `node` (the first render's tree), `node` first."""
    found = [node]
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += components(child)
    return found


def test_no_plotly_graph_only_a_box_chart_js_draws_in() -> None:
    """The chart renders no dcc.Graph (whose presence makes Dash load plotly.js), only the box
    chart.js draws its SVG in."""
    tile, vi, _ = chart("tiles", "chart")
    root = render(tile, vi)
    assert "Graph" not in [type(c).__name__ for c in components(root)]
    roles = [c.to_plotly_json()["props"].get("data-role") for c in components(root)]
    assert "plot" in roles


def test_series_names_follow_the_locale_and_colours_default_to_okabe_ito() -> None:
    """Each line's name is in the tile's language; its colour is its own or the palette's."""
    tile, vi, en = chart("tiles", "chart")
    two = tile.model_copy(
        update={"series": (tile.series[0], tile.series[0].model_copy(update={"color": "#123456"}))}
    )
    lines_vi, lines_en = client_of(render(two, vi))["lines"], client_of(render(two, en))["lines"]
    assert [line["color"] for line in lines_vi] == [SERIES_COLOURS[0], "#123456"]
    assert lines_vi[0]["name"] == vi.feed_label("load") and lines_en[0]["name"] == en.feed_label(
        "load"
    )


def test_time_axis_reads_seconds_only_for_short_windows() -> None:
    """A one-minute chart's widest time label has seconds; an hour's does not (more fit)."""
    tile, vi, _ = chart("tiles", "chart")
    assert client_of(render(tile, vi))["tick_sample"] == "00:00:00"
    hourly = tile.model_copy(update={"window": 3600.0})
    assert client_of(render(hourly, vi))["tick_sample"] == "00:00"
