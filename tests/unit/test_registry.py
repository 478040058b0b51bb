"""The tile registry, and a meta-test: every tile type has tests, docs and a demo example."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.tiles import TileRegistry, default_registry
from opswall.tiles.kpi import TILE as KPI

ROOT = Path(__file__).parents[2]


def test_duplicate_registration_fails_at_start_up() -> None:
    """Registering a type name twice is an error, not a silent override."""
    registry = TileRegistry()
    registry.register(KPI)
    with pytest.raises(ValueError, match="tile type 'kpi' is registered twice"):
        registry.register(KPI)


def test_a_registry_only_accepts_its_own_types(tmp_path: Path) -> None:
    """A config is validated against the registry it is loaded with (no global state)."""
    only_kpi = TileRegistry()
    only_kpi.register(KPI)
    with pytest.raises(Exception, match=r"unknown tile type 'chart' \(known: kpi\)"):
        load_config(ROOT / "tests/fixtures/minimal.yaml", only_kpi)
    assert default_registry().names() == [
        "alerts",
        "bar",
        "chart",
        "clock",
        "conference",
        "gauge",
        "iframe",
        "image",
        "kpi",
        "map",
        "reporting",
        "table",
        "text",
        "ticker",
        "video",
    ]


@pytest.mark.parametrize("name", default_registry().names())
def test_every_tile_type_has_a_client_script_docs_tests_and_a_demo(name: str) -> None:
    """Each built-in type ships its client script, a README section, browser coverage and a demo tile."""
    tile_type = default_registry().get(name)
    script = tile_type.client_script()
    assert "export function mount(" in script  # the contract: tests/unit/test_tile_contract.py
    assert f"### `{name}`" in (ROOT / "README.md").read_text(encoding="utf-8")
    demo = load_config(ROOT / "wall_config.yaml", default_registry())
    assert any(tile.type == name for screen in demo.screens for tile in screen.tiles)
    fixture = (ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8")
    assert f"type: {name}" in fixture  # so the browser tests render it
    config = load_config(ROOT / "tests/fixtures/minimal.yaml", default_registry())
    ids = {tile.id for screen in config.screens for tile in screen.tiles if tile.type == name}
    browser_tests = (ROOT / "tests/browser/test_wall.py").read_text(encoding="utf-8")
    assert any(f"'{tile_id}'" in browser_tests for tile_id in ids), (
        f"no browser test drives a {name} tile"
    )
