"""The time machine in the browser (issue 24): a live run recorded by real processes, then the
screen replayed at sampled instants shows the same values and freshness; device tokens cannot
open a replay."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from opswall.store.db import Database
from tests.browser.conftest import Wall, tile_state
from tests.browser.test_wall import wait_for
from tests.conftest import OpswallProcess, redis_client
from tests.integration.test_history import wait_for_rows

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.fixture
def recorded(wall: Wall) -> Iterator[Wall]:
    feeds = OpswallProcess(["feeds", "--config", str(wall.config)], wall.redis.url, "", wall.record)
    feeds.start(wait=False)
    yield wall
    feeds.stop()


def sample(wall: Wall, page: Any, value: str) -> tuple[int, dict[str, Any]]:
    """Publish `value`, wait until the live screen shows it, note the instant and the tile."""
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": value})
    wait_for(page, "load", f"el.querySelector('[data-role=value]').dataset.value === '{value}'")
    at = int(time.time() * 1000)
    return at, tile_state(page, "load")


def test_a_replay_shows_each_sampled_instant_as_it_was(recorded: Wall) -> None:
    """Values exact, same freshness, same layout, under the REPLAY banner; the device is refused."""
    wall = recorded
    live = wall.open("main")
    first_at, first = sample(wall, live, "41000")
    wait_for(live, "load", "el.dataset.fresh === 'stale'", timeout=8000)
    stale_at, stale = int(time.time() * 1000), tile_state(live, "load")
    second_at, second = sample(wall, live, "42000")
    wait_for_rows(Database(wall.record.database_url), "power_load", 2)

    leader = wall.new_page("leader")
    wall.sign_in(leader, "operator", "/")
    for at, seen in ((first_at, first), (stale_at, stale), (second_at, second)):
        leader.goto(f"{wall.url}/wall/main?at={at}")
        wait_for(
            leader,
            "load",
            f"el.querySelector('[data-role=value]')?.dataset.value === '{seen['value']}'",
        )
        leader.wait_for_function("() => document.documentElement.dataset.replayAt")
        shown = tile_state(leader, "load")
        assert (shown["value"], shown["text"], shown["fresh"]) == (
            seen["value"],
            seen["text"],
            seen["fresh"],
        ), at
        assert (shown["column"], shown["row"]) == (seen["column"], seen["row"])
        banner = leader.inner_text("[data-role=replay-banner]")
        assert "PHÁT LẠI" in banner and "REPLAY" in banner and "giờ Hà Nội" in banner
    assert leader.evaluate("() => window.opswall.ws") is None  # never the gateway's socket

    # The wall PC's device token cannot open a replay: refused, and told why.
    live.goto(f"{wall.url}/wall/main?at={first_at}")
    assert "mã thiết bị" in live.inner_text("body") and "device token" in live.inner_text("body")
    # The one error the console may show is that refusal's own 403.
    assert [e for e in wall.console_errors if "403" not in e] == []
