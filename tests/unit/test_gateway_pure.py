"""The gateway's pure parts: the per-feed cache, the screen protocol, and screen plans."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import is_after, parse_id, stream_items
from opswall.gateway.cache import FeedCache
from opswall.gateway.joins import history_by_feed
from opswall.gateway.protocol import ProtocolError, data_frame, parse_hello
from opswall.gateway.scope import layout_feeds, redact_state, screen_scopes
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"


def entry(ms: int, seq: int = 0, value: float = 1.0) -> FeedEntry:
    return FeedEntry(f"{ms}-{seq}", ms, {"value": value})


def test_stream_ids_compare_numerically() -> None:
    """'10-0' comes after '9-5': ids are compared as numbers, not strings."""
    assert parse_id("1700-2") == (1700, 2)
    assert is_after("10-0", "9-5")
    assert not is_after("9-5", "10-0")
    assert is_after("5-1", "5-0") and not is_after("5-0", "5-0")
    assert is_after("1-0", None)


def test_cache_resumes_after_an_id_and_knows_when_it_cannot() -> None:
    """The cache serves entries after an id, or None once older entries fell out of it."""
    cache = FeedCache(size=3)
    for ms in (1, 2, 3, 4):
        cache.add(entry(ms))
    assert [e.id for e in cache.after("2-0") or []] == ["3-0", "4-0"]
    assert [e.id for e in cache.after("1-0") or []] == ["2-0", "3-0", "4-0"]
    assert cache.after("0-9") is None  # 1-0 was evicted: the gap must be read from Redis
    cache.add(entry(4))  # a resumed read returning what we hold is ignored
    assert [e.id for e in cache.entries] == ["2-0", "3-0", "4-0"]


def test_cache_seeded_from_a_longer_stream_knows_it_is_partial() -> None:
    """A cache filled from a stream's tail cannot vouch for ids older than what it holds."""
    cache = FeedCache(size=10)
    for ms in (5, 6):
        cache.add(entry(ms))
    cache.mark_partial()
    assert cache.after("4-0") is None
    assert [e.id for e in cache.after("5-0") or []] == ["6-0"]


def test_cache_entries_stay_out_of_the_collectors_passes() -> None:
    """Numeric entries are held in a form CPython stops tracking, so a full cache does not
    lengthen the collector's full passes (lag spikes on every screen); entries with nested
    JSON come back intact."""
    cache = FeedCache(size=10)
    cache.add(entry(1, value=2.5))
    nested = FeedEntry("2-0", 2, {"rows": [{"a": 1}], "name": "x"})
    cache.add(nested)
    for _ in range(3):  # the collector untracks a tuple once its items are: inner ones first
        gc.collect()
    assert not gc.is_tracked(cache.held[0])
    assert cache.entries == [entry(1, value=2.5), nested]
    assert cache.oldest() == entry(1, value=2.5)
    assert cache.newest(1) == [nested] and len(cache) == 2


def test_cache_recent_keeps_at_least_two_entries() -> None:
    """A snapshot carries the window, and never fewer than 2 entries (for a KPI's change)."""
    cache = FeedCache(size=10)
    for ms in (100, 200, 300):
        cache.add(entry(ms))
    assert [e.asof_ms for e in cache.recent(since_ms=250)] == [200, 300]
    assert [e.asof_ms for e in cache.recent(since_ms=150)] == [200, 300]
    assert [e.asof_ms for e in cache.recent(since_ms=0)] == [100, 200, 300]


def test_hello_parsing_rejects_garbage() -> None:
    """A hello must be JSON with type hello and stream ids; anything else is refused."""
    hello = parse_hello('{"type": "hello", "rev": "abc", "last": {"power_load": "17-3"}}')
    assert hello.rev == "abc" and hello.last == {"power_load": "17-3"}
    for frame, why in [
        ("nope", "not JSON"),
        ('{"type": "data"}', "first frame"),
        ('{"type": "hello", "last": {"x": "abc"}}', "not a stream id"),
        ('{"type": "hello", "last": [1]}', "must be an object"),
    ]:
        with pytest.raises(ProtocolError, match=why):
            parse_hello(frame)


def test_data_frame_is_one_json_message() -> None:
    """Entries of several feeds travel together in one frame, in order."""
    frame = json.loads(data_frame([("a", entry(1)), ("b", entry(2))]))
    assert frame == {
        "type": "data",
        "entries": [["a", "1-0", 1, {"value": 1.0}], ["b", "2-0", 2, {"value": 1.0}]],
    }


def test_feed_history_and_layout_feeds() -> None:
    """Each feed is replayed as far back as its longest-looking tile; layouts know their feeds."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    # power_load: a 1 min sparkline and 10 s of map markers; rivers: 6 h of alerts
    assert history_by_feed(config) == {"power_load": 60_000, "rivers": 21_600_000}
    assert layout_feeds(config, "main") == {"power_load"}
    assert layout_feeds(config, "second") == {"power_load", "rivers"}
    assert layout_feeds(config, "nope") == frozenset()


def test_a_screens_scope_is_every_layout_its_scenes_can_show() -> None:
    """`left` shows its own layout and the economy and disaster layouts; `side` only scenes'."""
    config = load_config(FIXTURES / "session.yaml", default_registry())
    scopes = screen_scopes(config)
    assert scopes["left"] == {"wind", "secret_ops", "power_load", "rivers"}
    assert scopes["side"] == {"power_load", "rivers", "wind"}
    assert "economy-layout" not in scopes  # a layout only, not a screen


def test_uncleared_panels_get_classified_rules_without_their_value() -> None:
    """Only the value of a rule in the classified set is removed; the warning stays."""
    state = {
        "version": 3,
        "warnings": [{"rule": "secret", "value": 9.5}, {"rule": "storm", "value": 95}],
    }
    redacted = redact_state(state, frozenset({"secret"}))
    assert redacted["warnings"] == [
        {"rule": "secret", "value": None},
        {"rule": "storm", "value": 95},
    ]
    assert state["warnings"][0]["value"] == 9.5  # the original is left alone


def test_stream_items_accepts_resp2_and_resp3_shapes() -> None:
    """XREAD answers are read the same in RESP2 (list) and RESP3 (map) form."""
    items = [(b"k", [(b"1-0", {b"v": b"1"})])]
    assert list(stream_items(items)) == items
    assert list(stream_items({b"k": [(b"1-0", {b"v": b"1"})]})) == items
    assert list(stream_items(None)) == []
