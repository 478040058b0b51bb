"""kpi options: validation with exact messages, and the first render's structure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opswall.config.live import snapshot_of
from opswall.config.loader import load_config
from opswall.tiles import default_registry
from tests.conftest import config_errors, first_render

FIXTURES = Path(__file__).parents[1] / "fixtures"
TEXT = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def test_thresholds_must_be_ordered_for_their_direction(tmp_path: Path) -> None:
    """critical must lie beyond warning in the bad direction; the message says which way."""
    text = TEXT.replace("warning: 45000, critical: 48000", "warning: 45000, critical: 40000")
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:44:21: screens[1].tiles[2].thresholds: "
        "with lower_is_better, critical (40000) must not be below warning (45000)"
    ]
    text = TEXT.replace("direction: lower_is_better", "direction: higher_is_better")
    assert config_errors(tmp_path, text)[0].endswith(
        "with higher_is_better, critical (48000) must not be above warning (45000)"
    )


def test_unknown_kpi_option_lists_the_allowed_ones(tmp_path: Path) -> None:
    """A misspelt option is rejected at its key, listing every kpi option."""
    text = TEXT.replace("        compact: true\n", "        compakt: true\n")
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:41:9: screens[1].tiles[2].compakt: unknown key 'compakt' (allowed: at, "
        "classified, compact, decimals, feed, field, follows, id, locale, period_field, sparkline, target, thresholds, title, type, unit)"
    ]


def test_first_render_carries_the_client_options() -> None:
    """The tile renders its level, target and sparkline slots and hands its options to the client."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    screen = config.screen("second")
    assert screen is not None
    page = first_render(snapshot_of(config), screen)
    tile = next(t for t in page.children[-1].children if getattr(t, "data-tile") == "load-level")
    client = json.loads(getattr(tile, "data-client"))
    assert client["thresholds"] == {
        "direction": "lower_is_better",
        "warning": 45000.0,
        "critical": 48000.0,
    }
    assert (
        client["target"] == 50000 and client["sparkline_ms"] == 60000 and client["compact"] is True
    )
    roles = str(tile)
    for role in ("data-role='level'", "data-role='target-fill'", "data-role='sparkline'"):
        assert role in roles


def test_map_shapes_must_be_a_bundled_file(tmp_path: Path) -> None:
    """A map's shape file must exist under opswall/assets/; the error lists the bundled ones."""
    text = TEXT.replace(
        'max_points: 2, highlight: "42"}',
        'max_points: 2, highlight: "42", shapes: geo/vn-64.geojson}',
    )
    assert text != TEXT  # the fixture still reads as this test expects
    [message] = config_errors(tmp_path, text)
    assert message.endswith(
        "screens[1].tiles[4].shapes: no shape file 'geo/vn-64.geojson' under "
        "opswall/assets/ (bundled: vn-34.geojson, vn-63.geojson)"
    )
    text = TEXT.replace('highlight: "42"}', 'highlight: "42", shapes: ../../pyproject.toml}')
    assert "no shape file '../../pyproject.toml'" in config_errors(tmp_path, text)[0]


def test_bundled_shapes_hold_the_34_and_63_provinces_with_the_islands() -> None:
    """vn-34 has the 34 units (with Hoàng Sa in Đà Nẵng, Trường Sa in Khánh Hòa); vn-63 the 63."""
    geo = Path(__file__).parents[2] / "opswall" / "assets" / "geo"
    new = json.loads((geo / "vn-34.geojson").read_text(encoding="utf-8"))
    old = json.loads((geo / "vn-63.geojson").read_text(encoding="utf-8"))
    assert len(new["features"]) == 34 and len(old["features"]) == 63
    by_code = {f["id"]: f for f in new["features"]}
    assert by_code["42"]["properties"]["name_vi"] == "Hà Tĩnh"
    assert by_code["79"]["properties"]["name_en"] == "Ho Chi Minh City"

    def longitudes(coordinates: object) -> list[float]:
        if (
            isinstance(coordinates, list)
            and coordinates
            and isinstance(coordinates[0], int | float)
        ):
            return [float(coordinates[0])]
        return [lon for part in coordinates for lon in longitudes(part)]  # type: ignore[attr-defined]

    def reaches_east_of(feature: dict[str, Any], longitude: float) -> bool:
        return max(longitudes(feature["geometry"]["coordinates"])) > longitude

    # Hoàng Sa lies around 111-112.5°E, 16-17°N; Trường Sa around 111.5-117°E, 7-11°N.
    assert reaches_east_of(by_code["48"], 111.0)  # Đà Nẵng includes Hoàng Sa
    assert reaches_east_of(by_code["56"], 113.0)  # Khánh Hòa includes Trường Sa
    assert not reaches_east_of(by_code["01"], 107.0)


def test_chart_bands_validate_and_render_as_shapes(tmp_path: Path) -> None:
    """Bands need to > from and a known level; they become tinted shapes behind the lines."""
    text = TEXT.replace(
        "        window: 1m\n",
        "        window: 1m\n        bands: [{from: 5, to: 3, level: warning}]\n",
    )
    [message] = config_errors(tmp_path, text)
    assert (
        message
        == "wall_config.yaml:23:17: screens[0].tiles[1].bands[0]: to (3) must be above from (5)"
    )
    text = TEXT.replace(
        "        window: 1m\n",
        "        window: 1m\n        bands: [{form: 1, to: 3, level: bad}]\n",
    )
    messages = config_errors(tmp_path, text)
    assert any(
        m.endswith("bands[0].form: unknown key 'form' (allowed: from, level, to)") for m in messages
    )
    assert any(m.endswith("bands[0].from: is required but missing") for m in messages)
    assert any("bands[0].level: 'bad' is not allowed" in m for m in messages)
    path = tmp_path / "ok.yaml"
    path.write_text(
        TEXT.replace(
            "        window: 1m\n",
            "        window: 1m\n        bands: [{from: 40000, to: 45000, level: critical}]\n",
        ),
        encoding="utf-8",
    )
    config = load_config(path, default_registry())
    from opswall.tiles.base import RenderContext
    from opswall.tiles.chart import render

    chart = config.screens[0].tiles[1]
    root = render(chart, RenderContext(config, "en"))  # type: ignore[arg-type]
    [band] = json.loads(root.to_plotly_json()["props"]["data-client"])["bands"]
    assert (band["from_"], band["to"], band["level"]) == (40000, 45000, "critical")


def test_image_and_iframe_only_show_this_servers_content(tmp_path: Path) -> None:
    """Outside URLs are refused for images and frames: a wall loads nothing from elsewhere."""
    text = TEXT.replace("src: /wall/main}", "src: https://example.com/}").replace(
        "src: img/opswall-logo.svg", "src: https://cdn.example.com/logo.png"
    )
    assert [m.split(": ", 1)[1] for m in config_errors(tmp_path, text)] == [
        "screens[1].tiles[9].src: no file 'https://cdn.example.com/logo.png' under opswall/assets/",
        "screens[1].tiles[10].src: 'https://example.com/' must be a path on this server, starting with one '/'",
    ]
