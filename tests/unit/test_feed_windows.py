"""A feed's stale window and look-back are computed in one place each (issue 19, part 5)."""

from __future__ import annotations

from pathlib import Path

from opswall.config.loader import load_config
from opswall.config.models import Feed, look_back
from opswall.feeds.health import StreamFacts, assess
from opswall.layouts.wall import _feed_meta
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"


def feed(**extra: object) -> Feed:
    return Feed.model_validate(
        {"id": "load", "label": "Load", "cadence": "2s", "source": {"kind": "redis"}, **extra}
    )


def test_the_stale_window_is_cadences_times_the_feeds_own_factor_else_the_walls() -> None:
    """2 s cadence: 3 cadences by the wall's factor, 10 by the feed's own."""
    assert feed().stale_window(3.0) == 6.0
    assert feed(stale_after=10).stale_window(3.0) == 20.0


def test_the_health_page_reports_the_same_window() -> None:
    """The operators' `expected_s` is the feed's stale window, not a second computation."""
    health = assess(feed(stale_after=4), 3.0, StreamFacts(last_id=None), 0)
    assert health.expected_s == feed(stale_after=4).stale_window(3.0) == 8.0


def test_look_back_is_the_longest_look_of_any_tile_per_feed() -> None:
    """power_load: a 1 min sparkline and 10 s of map markers; rivers: 6 h of alerts."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    assert config.look_back() == {"power_load": 60.0, "rivers": 21600.0}
    assert look_back(()) == {}


def test_the_page_keeps_each_feed_for_its_look_back_and_judges_by_its_window() -> None:
    """The wall page's feed metadata carries the same two windows the models compute."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    screen = config.screens[0]
    meta = _feed_meta(config, list(screen.tiles))
    keep = look_back(screen.tiles)
    assert set(meta) == set(keep)
    for feed_id, shown in meta.items():
        window = config.feed(feed_id).stale_window(config.wall.stale_after)
        assert shown["stale_ms"] == int(window * 1000)
        assert shown["keep_ms"] == int(keep[feed_id] * 1000)
