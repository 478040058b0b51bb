"""Every tile type's options: one bad value each, with the exact located message; and the
first render of every tile in the fixture config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opswall.config.live import snapshot_of
from opswall.config.loader import load_config
from opswall.tiles import default_registry
from tests.conftest import config_errors, first_render

FIXTURES = Path(__file__).parents[1] / "fixtures"
TEXT = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")

CASES = [
    (
        "alerts",
        "max_items: 3}",
        "max_items: 0}",
        "wall_config.yaml:46:97: screens[1].tiles[3].max_items: Input should be greater than or equal to 1 (got 0)",
    ),
    (
        "bar",
        "top: 3,",
        "top: 3, order: middle,",
        "wall_config.yaml:48:97: screens[1].tiles[5].order: 'middle' is not allowed (allowed: 'top' or 'bottom')",
    ),
    (
        "gauge",
        "max: 50000,",
        "max: -5,",
        "wall_config.yaml:49:9: screens[1].tiles[6]: max (-5) must be above min (0)",
    ),
    (
        "text",
        "field: bulletin}",
        "field: bulletin, markdown: Hi}",
        "wall_config.yaml:54:9: screens[1].tiles[11]: give either markdown or feed (exactly one)",
    ),
    (
        "ticker",
        "{id: news, type: ticker, at: {col: 1, row: 11, w: 6, h: 2}, feed: rivers}",
        "{id: news, type: ticker, at: {col: 1, row: 11, w: 6, h: 2}, feed: rivers, speed: 0}",
        "wall_config.yaml:51:90: screens[1].tiles[8].speed: Input should be greater than 0 (got 0)",
    ),
    (
        "clock",
        "{id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}",
        "{id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}, zones: [{tz: Asia/Hanoii}]}",
        "wall_config.yaml:24:82: screens[0].tiles[2].zones[0].tz: "
        "unknown time zone 'Asia/Hanoii' (use an IANA name like Asia/Ho_Chi_Minh)",
    ),
    (
        "table",
        "          - {key: name, label: Station}\n",
        "          - {key: name, label: Station, format: money}\n",
        "wall_config.yaml:35:49: screens[1].tiles[1].columns[0].format: "
        "'money' is not allowed (allowed: 'text', 'number', 'percent' or 'time')",
    ),
]


@pytest.mark.parametrize(("tile_type", "old", "new", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_option_is_reported_at_its_place(
    tmp_path: Path, tile_type: str, old: str, new: str, message: str
) -> None:
    """A wrong option of each tile type gets one located message saying what is allowed."""
    assert old in TEXT
    assert config_errors(tmp_path, TEXT.replace(old, new, 1)) == [message]


def test_every_fixture_tile_renders_its_state_attributes() -> None:
    """Every tile's first render carries its id, type, freshness, as-of and client options."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    snapshot = snapshot_of(config)
    rendered_types = set()
    for screen in config.screens:
        page = first_render(snapshot, screen)
        for tile, component in zip(screen.tiles, page.children[-1].children, strict=True):
            props = component.to_plotly_json()["props"]
            assert props["data-tile"] == tile.id and props["data-tile-type"] == tile.type
            assert props["data-fresh"] == "down" and props["data-asof"] == ""
            assert isinstance(json.loads(props["data-client"]), dict)
            assert props["style"]["gridColumn"] == f"{tile.at.col} / span {tile.at.w}"
            rendered_types.add(tile.type)
    assert rendered_types == set(default_registry().names())


def test_light_theme_is_applied_to_the_screen(tmp_path: Path) -> None:
    """theme: light switches the screen's palette class."""
    path = tmp_path / "wall.yaml"
    path.write_text(TEXT.replace("theme: dark", "theme: light"), encoding="utf-8")
    config = load_config(path, default_registry())
    screen = config.screens[0]
    page = first_render(snapshot_of(config), screen)
    assert "theme-light" in page.className
