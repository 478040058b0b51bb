"""A wall page paints the values its own HTML carries before its socket says anything (issue 22,
part 4), judged by their true age, and its socket takes over from them without a gap."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import WebSocketRoute

from tests.browser.conftest import Wall, tile_state
from tests.browser.test_wall import history_ids, wait_for
from tests.conftest import FIXTURES, redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

TEN_MINUTES_MS = 10 * 60 * 1000


@pytest.fixture
def wall_config(tmp_path: Path) -> Path:
    """The minimal wall, power_load's cadence a minute: a value written just before a load on a
    busy machine is still live when the page paints it (its window is 3 cadences)."""
    path = tmp_path / "wall_config.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("    cadence: 1s\n", "    cadence: 60s\n", 1), encoding="utf-8")
    return path


def test_a_page_paints_its_values_before_its_socket_delivers_anything(wall: Wall) -> None:
    """The socket is held back (opened, never answered): the KPI shows its value live, the
    table's ten-minute-old rows show stale at once, the link reads "first" (no banner), the
    hello resumes after the ids the page holds, and with no welcome the link turns down after
    the heartbeat timeout."""
    r = redis_client(wall.redis.url)
    old = int(time.time() * 1000) - TEN_MINUTES_MS
    rows = {"rows": [{"name": "Sông Hồng", "value": 9.126}]}
    r.xadd("feed:rivers", {"json": json.dumps(rows), "ts": str(old)})
    r.xadd("feed:power_load", {"value": "41000"})
    newest = r.xadd("feed:power_load", {"value": "42000"})
    said: list[str] = []

    def hold(ws: WebSocketRoute) -> None:  # never connected to the gateway
        ws.on_message(lambda message: said.append(str(message)))

    page = wall.new_page("second")
    page.route_web_socket(re.compile(r"/ws/"), hold)
    page.goto(f"{wall.url}/wall/second?token={wall.record.viewer_token}")
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '42000'")
    load = tile_state(page, "load")
    assert load["text"] == "42,000" and load["fresh"] == "live"
    rivers = tile_state(page, "rivers")
    assert rivers["fresh"] == "stale" and rivers["age"].startswith("⚠ STALE · 10 min")
    assert page.inner_text("[data-tile='rivers'] tbody") == "Sông Hồng\t9.13"
    assert page.get_attribute("#wall-screen", "data-link") == "first"
    assert not page.is_visible("[data-role=banner]")
    page.wait_for_function("() => window.opswall.ws && window.opswall.ws.readyState === 1")
    page.wait_for_timeout(300)  # the hello, sent on open
    hello = json.loads(said[0])
    assert hello["type"] == "hello" and hello["last"]["power_load"] == newest
    page.wait_for_selector("#wall-screen[data-link=down]", timeout=12000)
    assert tile_state(page, "load")["fresh"] == "down"
    assert wall.console_errors == []


def test_the_socket_goes_on_from_the_first_values_without_gap_or_repeat(wall: Wall) -> None:
    """Entries written before the load come with the page (the chart's window too); those
    written after come over the socket; each is applied once, in order."""
    r = redis_client(wall.redis.url)
    before = [r.xadd("feed:power_load", {"value": str(v)}) for v in (1, 2, 3)]
    page = wall.open("main")
    assert history_ids(page, "power_load") == before
    after = [r.xadd("feed:power_load", {"value": str(v)}) for v in (4, 5)]
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '5'")
    assert history_ids(page, "power_load") == before + after
    assert page.evaluate("() => window.opswall.redundant") == 0
    assert tile_state(page, "load")["fresh"] == "live"
    assert wall.console_errors == []
