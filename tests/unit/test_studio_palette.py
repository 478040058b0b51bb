"""The studio's palette (issue 20): every registered tile type, with a form made from its
options model; a tile added from it is written as one line and judged by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.config.primitives import format_duration, parse_duration
from opswall.studio.board_model import board_model
from opswall.studio.drafts import check
from opswall.studio.palette import palette
from opswall.studio.surgery import Add
from opswall.tiles import default_registry

SHIPPED = Path(__file__).parents[2] / "wall_config.yaml"


def test_every_tile_type_has_a_form_from_its_options_model() -> None:
    """Enums are choices, feeds the configured ones, Text two boxes, durations typed as text,
    lists and nested models left to the file; the studio's own keys are not in the form."""
    registry = default_registry()
    config = load_config(SHIPPED, registry)
    forms = {entry["type"]: entry for entry in palette(registry, config)}
    assert sorted(forms) == sorted(registry.names())
    kpi = {f["name"]: f for f in forms["kpi"]["fields"]}
    assert not {"id", "type", "at"} & kpi.keys()
    assert kpi["feed"]["kind"] == "feed" and kpi["feed"]["required"] is True
    assert kpi["feed"]["choices"] == [feed.id for feed in config.feeds]
    assert kpi["title"]["kind"] == "text" and kpi["title"]["label"]["vi"] == "Tiêu đề"
    assert (kpi["sparkline"]["kind"], kpi["thresholds"]["kind"]) == ("duration", "file")
    assert (kpi["decimals"]["kind"], kpi["compact"]["kind"]) == ("int", "bool")
    chart = {f["name"]: f for f in forms["chart"]["fields"]}
    assert chart["style"]["kind"] == "enum" and "line" in chart["style"]["choices"]
    assert chart["window"] == {**chart["window"], "kind": "duration", "default": "5m"}
    assert chart["series"]["kind"] == "file" and chart["series"]["required"] is True


def test_the_studio_shows_durations_as_the_file_writes_them() -> None:
    """A tile's duration options and a rotation's dwells in units (`10m`, `40s`), not the
    model's seconds; `format_duration` reads back to the same number, `1h30m` included."""
    config = load_config(SHIPPED, default_registry())
    layouts = {layout["id"]: layout for layout in board_model(config, "vi")}
    tiles = {tile["id"]: tile for tile in layouts["main"]["tiles"]}
    assert tiles["load-chart"]["options"]["window"] == "10m"
    assert layouts["overview"]["rotation"][0] == {"scene": "routine", "dwell": "40s"}
    for seconds, text in ((600, "10m"), (5400, "1h30m"), (0.5, "500ms"), (90061, "1d1h1m1s")):
        assert format_duration(seconds) == text and parse_duration(text) == seconds
    assert parse_duration("1.5h") == 5400 and parse_duration(" 2m 30s ") == 150
    for bad in ("30m1h", "1h1h", "1hm", "ms", ""):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)


def test_a_tile_from_the_palette_is_one_line_and_validated() -> None:
    """A KPI added with a feed is valid; one with an unknown feed gets a located error."""
    text, registry = SHIPPED.read_text(encoding="utf-8"), default_registry()
    tile = {"id": "cpi2", "type": "kpi", "at": {"col": 1, "row": 1, "w": 1, "h": 1}}
    crowded = check(text, [Add("main", {**tile, "feed": "cpi"})], SHIPPED, registry)
    assert crowded.issues and all("overlap" in i.message for i in crowded.issues)
    unknown = check(text, [Add("main", {**tile, "feed": "nope"})], SHIPPED, registry)
    assert any("nope" in i.message for i in unknown.issues)
    added_line = "+      - {id: cpi2, type: kpi, at: {col: 1, row: 1, w: 1, h: 1}, feed: nope}"
    assert added_line in unknown.diff
