"""A studio draft's tiles against the legibility rule, with no browser (issue 20, part 2), and
what the studio writes of a feed's latest value on its tiles (part 1)."""

from __future__ import annotations

from pathlib import Path

from opswall.config.loader import load_config_text
from opswall.studio.drafts import check
from opswall.studio.legible import too_small
from opswall.studio.surgery import Delete
from opswall.studio.values import short
from opswall.tiles import default_registry

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"
WALL = 'wall: {name: "Test wall", locale: en, theme: dark}'


def text_at(distance: str) -> str:
    sized = WALL[:-1] + f", viewing_distance: {distance}, hardware: {{diagonal_in: 55}}}}"
    return MINIMAL.read_text(encoding="utf-8").replace(WALL, sized)


def test_a_tile_too_small_for_the_distance_is_named_where_it_stands() -> None:
    text = text_at("8m")
    config = load_config_text(text, MINIMAL, default_registry())
    small = too_small(config, text, MINIMAL)
    second = next(i for i, s in enumerate(config.screens) if s.id == "second")
    assert small, "the 6x16 grid's two-row tiles are too small from 8 m"
    assert all(w.path.startswith(f"screens[{second}].") for w in small)  # main's are big enough
    load = small[0]
    assert "tile 'load'" in load.message and "16'" in load.message
    assert text.splitlines()[load.line - 1].lstrip().startswith("- {id: load")


def test_near_enough_or_unsized_walls_have_no_warning() -> None:
    for text in (text_at("3m"), MINIMAL.read_text(encoding="utf-8")):
        config = load_config_text(text, MINIMAL, default_registry())
        assert too_small(config, text, MINIMAL) == []


def test_a_draft_carries_the_warnings_and_stays_applicable() -> None:
    text = text_at("8m")
    before = check(text, [], MINIMAL, default_registry())
    after = check(text, [Delete("second", "load")], MINIMAL, default_registry())
    assert after.issues == () and after.config is not None
    assert any("'load'" in w.message for w in before.small)
    assert not any("'load'" in w.message for w in after.small)
    assert len(after.small) == len(before.small) - 1  # the other small tiles still named


def test_a_feeds_latest_value_in_a_few_words() -> None:
    """What the studio writes on a tile reading the feed (studio/values.py)."""
    assert short({"value": 43210.5}, "MW") == "43\u202f210.5 MW"
    assert short({"value": 7}, "") == "7"
    assert short({"rows": [{"a": 1}, {"a": 2}]}, "") == "2 ×"
    assert len(short({"value": "x" * 100}, "MW")) == 40
