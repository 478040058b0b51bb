"""Config errors name file:line:column, the document path, and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.errors import WallConfigError
from opswall.tiles import default_registry
from tests.conftest import config_errors

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def test_minimal_fixture_and_demo_config_are_valid() -> None:
    """The fixture and the shipped demo wall both load into typed models."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    assert [s.id for s in config.screens] == ["main", "second", "third", "fourth"]
    assert config.feed("power_load").stream_key == "feed:power_load"
    assert config.feed("power_load").cadence == 1.0
    demo = load_config(Path(__file__).parents[2] / "wall_config.yaml", default_registry())
    assert len(demo.feeds) >= 25


def test_unknown_tile_type_lists_known_types(tmp_path: Path) -> None:
    """A misspelt tile type points at the type value and lists the known types."""
    text = BASE.replace("{id: clock, type: clock", "{id: clock, type: clokc")
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:24:27: screens[0].tiles[2].type: "
        "unknown tile type 'clokc' (known: alerts, bar, chart, clock, conference, gauge, iframe, image, kpi, map, reporting, table, text, ticker, video)"
    ]


def test_errors_after_an_unknown_tile_keep_their_own_location(tmp_path: Path) -> None:
    """A tile after one of unknown type is still reported at its own line and index."""
    text = BASE.replace("type: chart", "type: chrat").replace(
        "{id: clock, type: clock, at: {col: 10", "{id: clock, type: clock, at: {col: 0"
    )
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:20:15: screens[0].tiles[1].type: "
        "unknown tile type 'chrat' (known: alerts, bar, chart, clock, conference, gauge, iframe, image, kpi, map, reporting, table, text, ticker, video)",
        "wall_config.yaml:24:44: screens[0].tiles[2].at.col: "
        "Input should be greater than or equal to 1 (got 0)",
    ]


def test_unknown_key_points_at_the_key_and_lists_allowed(tmp_path: Path) -> None:
    """An unknown key is reported at the key itself, with the keys that are allowed there."""
    text = BASE.replace(
        "w: 3, h: 2}, feed: power_load, field", "w: 3, h: 2, z: 1}, feed: power_load, field"
    )
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:18:64: screens[0].tiles[0].at.z: unknown key 'z' (allowed: col, h, row, w)"
    ]


def test_overlap_out_of_grid_and_unknown_feed_are_all_reported(tmp_path: Path) -> None:
    """Grid and reference rules report every problem, each naming the tiles involved."""
    text = BASE.replace("at: {col: 10, row: 1, w: 3, h: 2}}", "at: {col: 9, row: 1, w: 3, h: 2}}")
    text = text.replace(
        "{id: load, type: kpi, at: {col: 1, row: 1, w: 2, h: 2}, feed: power_load}",
        "{id: load, type: kpi, at: {col: 5, row: 1, w: 3, h: 2}, feed: power_lod}",
    )
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:24:38: screens[0].tiles[2].at: tile 'clock' overlaps tile 'load-chart'",
        "wall_config.yaml:29:35: screens[1].tiles[0].at: "
        "tile 'load' spans columns 5-7, rows 1-2, outside the 6x16 grid",
        "wall_config.yaml:29:71: screens[1].tiles[0].feed: "
        "unknown feed 'power_lod' (known: power_load, rivers)",
    ]


def test_bad_values_say_what_is_expected(tmp_path: Path) -> None:
    """Bad durations, locales and missing keys each get a located, specific message."""
    text = BASE.replace("locale: en", "locale: fr").replace(
        "cadence: 1s\n    source: {kind: redis}\n  - id: rivers",
        "cadence: soon\n    source: {kind: redis}\n  - id: rivers",
    )
    text = text.replace("  - id: second\n    title: Second\n", "  - id: second\n")
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:2:35: wall.locale: 'fr' is not allowed (allowed: 'vi' or 'en')",
        "wall_config.yaml:7:14: feeds[0].cadence: "
        "'soon' is not a duration (use e.g. 30s, 10m, 1h30m, 500ms)",
        "wall_config.yaml:25:5: screens[1].title: is required but missing",
    ]


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    """Broken YAML syntax is reported at the place the parser stopped."""
    text = BASE.replace(
        'wall: {name: "Test wall", locale: en, theme: dark}', "wall: {name: x\n  locale: en"
    )
    [message] = config_errors(tmp_path, text)
    assert message.startswith("wall_config.yaml:3:9: YAML syntax error: ")


def test_duplicate_ids_and_keys(tmp_path: Path) -> None:
    """Duplicate feed ids and duplicate mapping keys are errors, not silent overrides."""
    text = BASE.replace(
        '  - id: rivers\n    label: {vi: "Mực nước", en: "River levels"}',
        '  - id: power_load\n    label: {vi: "Mực nước", en: "River levels"}',
    )
    assert (
        "duplicate feed id 'power_load' (first used at feeds[0])"
        in config_errors(tmp_path, text)[0]
    )
    text = BASE.replace("    unit: MW\n", "    unit: MW\n    unit: kW\n")
    assert config_errors(tmp_path, text) == [
        "wall_config.yaml:7:5: feeds[0].unit: duplicate key 'unit'"
    ]


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    """A missing or empty file is a located error, not a traceback."""
    with pytest.raises(WallConfigError, match="cannot read"):
        load_config(tmp_path / "absent.yaml", default_registry())
    assert config_errors(tmp_path, "") == ["wall_config.yaml:1:1: the file is empty"]


def test_control_character_is_located(tmp_path: Path) -> None:
    """A stray control character (pasted from a spreadsheet) points at its line and column."""
    text = BASE.replace("title: Second", "title: Sec\x07ond", 1)
    assert text != BASE
    (issue,) = config_errors(tmp_path, text)
    line = next(i for i, row in enumerate(text.split("\n"), 1) if "\x07" in row)
    column = text.split("\n")[line - 1].index("\x07") + 1
    assert issue == f"wall_config.yaml:{line}:{column}: character #x0007 is not allowed"
