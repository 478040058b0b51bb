"""The paint budget (issue 22): a wall page whose main thread is busy paints the updates it gets
in fewer frames than it gets them, every update still applied and shown; a free page paints each
update in a frame of its own, as before.

The page is made busy through the DevTools protocol (Emulation.setCPUThrottlingRate: the page's
main thread runs that many times slower, as on a saturated machine). Frames are counted by a
script installed before the page's own that wraps requestAnimationFrame; data frames by one that
listens to the page's websocket.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Wall, module_wall, stop_module_wall
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

KPIS = 20
CONFIG = (
    "version: 1\nwall: {name: Budget, locale: en}\nfeeds:\n"
    + "".join(
        f"  - {{id: f{i}, label: F{i}, cadence: 60s, source: {{kind: redis}}}}\n"
        for i in range(KPIS)
    )
    + "screens:\n  - id: kpis\n    title: KPIs\n    grid: {cols: 5, rows: 4}\n    tiles:\n"
    + "".join(
        f"      - {{id: t{i}, type: kpi, at: {{col: {i % 5 + 1}, row: {i // 5 + 1}}}, feed: f{i}}}\n"
        for i in range(KPIS)
    )
)

COUNT = """(() => {
  const log = window.__budget = { frames: 0, messages: 0 };
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = function (fn) {
    return raf.call(this, function (...a) { log.frames++; return fn.apply(this, a); });
  };
  const Socket = window.WebSocket;
  window.WebSocket = function (...a) {
    const ws = new Socket(...a);
    ws.addEventListener("message", (e) => { if (String(e.data).includes('"data"')) log.messages++; });
    return ws;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();"""

SHOWN = """() => [...document.querySelectorAll('[data-tile-type=kpi]')].map((el) =>
  el.querySelector('[data-role=value]').dataset.value)"""


@pytest.fixture(scope="module")
def budget_wall(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wall]:
    directory = tmp_path_factory.mktemp("budget")
    config = directory / "budget.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    running = module_wall(browser, directory, config)
    yield running
    stop_module_wall(running)


class Producer(threading.Thread):
    """XADDs one entry every `every` seconds, round robin over the KPI feeds; keeps the last
    value written to each."""

    def __init__(self, url: str, every: float) -> None:
        super().__init__(daemon=True)
        self.client = redis_client(url)
        self.every = every
        self.stopping = threading.Event()
        self.last: dict[int, str] = {}

    def run(self) -> None:
        next_at, n = time.monotonic(), 0
        while not self.stopping.is_set():
            value = str(1000 + n)
            self.client.xadd(f"feed:f{n % KPIS}", {"value": value})
            self.last[n % KPIS] = value
            n += 1
            next_at += self.every
            self.stopping.wait(max(0.0, next_at - time.monotonic()))


def counted(wall: Wall, throttle: float, seconds: float, every: float) -> dict[str, Any]:
    """Frames, data frames and the budget over `seconds` of one entry every `every` s, the page's
    main thread `throttle` times slower; then every KPI's shown value against the last written."""
    client = redis_client(wall.redis.url)
    for i in range(KPIS):
        client.xadd(f"feed:f{i}", {"value": "1"})
    page: Page = wall.new_page("kpis")
    devtools = page.context.new_cdp_session(page)
    devtools.send("Page.enable")
    devtools.send("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT})
    page.goto(f"{wall.url}/wall/kpis?token={wall.record.viewer_token}")
    page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
    page.wait_for_timeout(2000)  # the first frames: mount, fonts, first fit
    devtools.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    producer = Producer(wall.redis.url, every)
    producer.start()
    try:
        page.wait_for_timeout(1000)
        page.evaluate("() => Object.assign(window.__budget, { frames: 0, messages: 0 })")
        page.evaluate(
            "() => { window.__widest = 0; window.__watch = setInterval(() => {"
            " window.__widest = Math.max(window.__widest, (window.opswall.budget || {}).interval || 0);"
            " }, 20); }"
        )
        page.wait_for_timeout(seconds * 1000)
        counts: dict[str, Any] = page.evaluate("() => ({ ...window.__budget })")
        counts["widest"] = page.evaluate("() => window.__widest")
    finally:
        producer.stopping.set()
        producer.join()
    expected = [producer.last[i] for i in range(KPIS)]
    # Every update is applied and the last one shown (the page catches up once the rate drops).
    page.wait_for_function(f"() => ({SHOWN})().join() === {','.join(expected)!r}", timeout=20000)
    devtools.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    page.close()
    return counts


def test_a_busy_page_paints_fewer_frames_than_updates_it_gets(budget_wall: Wall) -> None:
    """Main thread 12x slower, about 60 data frames a second: the budget widens (never past its
    cap), updates share frames, and every one of them is applied and the last shown."""
    counts = counted(budget_wall, throttle=12, seconds=6, every=1 / 60)
    assert counts["messages"] >= 60, counts  # the updates came
    # Old code: no budget (widest 0). How many frames the old code saves at this load by
    # painting, in a frame it had asked for, what arrived before it came (0.33-0.74 of the data
    # frames painted, by the machine's load) is no yardstick: the budget spends frames where
    # the page has time for them (0.17-0.53 here).
    assert 1000 / 60 < counts["widest"] <= 100, counts  # lib/paint-budget.js CAP_MS
    assert counts["frames"] <= counts["messages"] * 0.9, counts


def test_a_free_page_paints_each_update_in_its_own_frame(budget_wall: Wall) -> None:
    """Unthrottled, 30 data frames a second: each is painted in a frame of its own (a budget
    wider than about 33 ms would have coalesced them)."""
    counts = counted(budget_wall, throttle=1, seconds=5, every=1 / 30)
    assert counts["messages"] >= 60, counts
    # (Two data frames may still share a frame when the machine delays one.)
    assert counts["frames"] >= counts["messages"] * 0.9, counts
