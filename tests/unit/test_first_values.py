"""A wall page's first values (issue 22, part 4), pure: which feeds, which entries, how much."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opswall.auth.principals import Principal
from opswall.config.live import snapshot_of
from opswall.config.loader import load_config
from opswall.control.state import WallState
from opswall.control.views import all_views
from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import RawEntry
from opswall.runtime.ports import free_port
from opswall.store.db import Database
from opswall.store.redis_client import connect
from opswall.tiles.registry import default_registry
from opswall.web.first_values import (
    FIRST_BYTES,
    FIRST_ENTRIES,
    Wanted,
    first_frames,
    first_values,
    first_window,
    wanted,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
T = 1_800_000_000_000
VIEWER = Principal("device:wall", "viewer")
CLEARED = Principal("device:ops", "viewer", clearance=True)


@pytest.fixture(scope="module")
def snapshot():  # type: ignore[no-untyped-def]
    return snapshot_of(load_config(FIXTURES / "session.yaml", default_registry()))


def wants(snapshot, screen: str, who: Principal) -> dict[str, Wanted]:  # type: ignore[no-untyped-def]
    config = snapshot.config
    view = all_views(config, WallState(), T)[screen]
    return {w.feed: w for w in wanted(config, config.screen(screen), view, who, T)}


def tail(*values: tuple[int, str]) -> list[RawEntry]:
    """Stream entries newest first, as XREVRANGE gives them (ms, value)."""
    return [(f"{ms}-0", {b"value": value.encode()}) for ms, value in reversed(values)]


def no_history(feed: str, since: int, before: str | None) -> list[FeedEntry]:
    return []


def test_an_uncleared_page_wants_no_classified_feed(snapshot) -> None:  # type: ignore[no-untyped-def]
    """The feeds follow the socket's scope and the tiles shown; cleared screens get both."""
    assert sorted(wants(snapshot, "left", VIEWER)) == ["wind"]
    assert sorted(wants(snapshot, "left", CLEARED)) == ["secret_ops", "wind"]


def test_a_feed_is_read_as_far_back_as_the_page_looks(snapshot) -> None:  # type: ignore[no-untyped-def]
    """The chart's minute on `main`; a KPI alone needs the newest two (and a spare few)."""
    main = wants(snapshot, "main", VIEWER)
    assert main["power_load"].since_ms == T - 60_000
    assert main["power_load"].count == FIRST_ENTRIES
    left = wants(snapshot, "left", VIEWER)
    assert left["wind"].since_ms == T and left["wind"].count < 20


def test_a_window_is_what_the_gateway_would_send() -> None:
    """As of the page's look-back, never fewer than two; malformed entries skipped."""
    want = Wanted("load", "feed:load", T - 60_000, FIRST_ENTRIES)
    read = tail((T - 90_000, "1"), (T - 50_000, "2"), (T - 40_000, "\x07"), (T - 10_000, "3"))
    read[0] = (read[0][0], {b"value": b"\xff"})  # not UTF-8: set aside, as the control character
    window = first_window(want, read, no_history)
    assert window is not None and [e.fields["value"] for e in window] == [1, 2]
    recent = tail((T - 90_000, "1"), (T - 50_000, "2"), (T - 20_000, "4"), (T - 1000, "5"))
    window = first_window(want, recent, no_history)
    assert window is not None and [e.fields["value"] for e in window] == [2, 4, 5]


def test_the_history_database_fills_what_the_stream_lost() -> None:
    """A short stream is completed from the record, as the gateway completes its cache."""
    asked: list[tuple[str, int, str | None]] = []

    def history(feed: str, since: int, before: str | None) -> list[FeedEntry]:
        asked.append((feed, since, before))
        return [FeedEntry(f"{T - 30_000}-0", T - 30_000, {"value": 0})]

    want = Wanted("load", "feed:load", T - 60_000, FIRST_ENTRIES)
    window = first_window(want, tail((T - 1000, "5")), history)
    assert asked == [("load", T - 60_000, f"{T - 1000}-0")]
    assert window is not None and [e.fields["value"] for e in window] == [0, 5]


def test_a_window_longer_than_a_page_carries_is_left_to_the_socket() -> None:
    """The stream holds more of the window than was read: no first values for that feed."""
    want = Wanted("load", "feed:load", T - 3_600_000, 3)
    assert (
        first_window(want, tail((T - 3000, "1"), (T - 2000, "2"), (T - 1000, "3")), no_history)
        is None
    )


def test_first_frames_stay_within_their_bound() -> None:
    """Whole feeds only: one that would pass the bound is left out, the others carried."""
    big = [FeedEntry(f"{T}-{i}", T, {"text": "x" * 60_000}) for i in range(5)]
    small = [FeedEntry(f"{T}-0", T, {"value": 1})]
    text = first_frames("rev", {"big": big, "small": small}, T)
    welcome, data = json.loads(text)
    assert welcome == {"type": "welcome", "rev": "rev", "now": T, "redis": True}
    assert data == {"type": "data", "entries": [["small", f"{T}-0", T, {"value": 1}]]}
    assert len(first_frames("rev", {"big": big[:3]}, T).encode()) <= FIRST_BYTES + 200


def test_with_redis_down_a_page_carries_no_first_values(snapshot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Nothing answers at Redis's address: the page renders as before, waiting for its socket."""
    config = snapshot.config
    view = all_views(config, WallState(), T)["main"]
    down = connect(f"redis://127.0.0.1:{free_port()}", socket_timeout=1)
    db = Database(f"sqlite:///{tmp_path / 'record.db'}")
    assert first_values(down, db, snapshot, config.screen("main"), view, VIEWER) is None
