"""chart: the first figure writes numbers and times as the tile's locale does (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.tiles import default_registry
from opswall.tiles.base import RenderContext
from opswall.tiles.chart import ChartTile, figure

FIXTURES = Path(__file__).parents[1] / "fixtures"


def chart(screen: str, tile_id: str) -> tuple[ChartTile, RenderContext, RenderContext]:
    config = load_config(FIXTURES / "locale.yaml", default_registry())
    found = config.screen(screen)
    assert found is not None
    tile = next(t for t in found.tiles if t.id == tile_id)
    assert isinstance(tile, ChartTile)
    return tile, RenderContext(config, "vi"), RenderContext(config, "en")


@pytest.mark.parametrize(("locale", "separators"), [("vi", ",."), ("en", ".,")])
def test_axes_group_digits_and_mark_decimals_as_the_locale_does(
    locale: str, separators: str
) -> None:
    """Both locales group digits on the value axis (42.230 / 42,230, never 42.23k); the
    separators say which mark is which, and hover text is formatted alike."""
    tile, vi, en = chart("tiles", "chart")
    layout = figure(tile, vi if locale == "vi" else en)["layout"]
    assert layout["separators"] == separators
    assert layout["yaxis"]["tickformat"] == ",~r"
    assert layout["yaxis"]["hoverformat"] == ",~r"


def test_time_axis_reads_24_hours_with_seconds_only_for_short_windows() -> None:
    """A one-minute chart's labels carry seconds; an hour's do not (shorter labels, more fit)."""
    tile, vi, _ = chart("tiles", "chart")
    assert figure(tile, vi)["layout"]["xaxis"]["tickformat"] == "%H:%M:%S"
    hourly = tile.model_copy(update={"window": 3600.0})
    assert figure(hourly, vi)["layout"]["xaxis"]["tickformat"] == "%H:%M"
