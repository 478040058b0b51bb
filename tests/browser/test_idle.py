"""An idle wall page costs next to nothing (issue 22): it runs no timer or frame callback that
changes nothing.

Every setTimeout, setInterval and requestAnimationFrame callback of the page is wrapped by a
script the DevTools protocol installs before the page's own (Page.addScriptToEvaluateOnNewDocument).
A callback counts as useful when, while it ran, the DOM changed (a MutationObserver's records),
something was sent (a websocket frame, a fetch), or it handed over to the other kind of callback
(a timer asking for a frame, a frame setting a timer); anything else changed nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from opswall.runtime.redis_provider import RedisServer
from opswall.testing import Provisioned
from tests.browser.conftest import Wall
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

IDLE_CONFIG = """version: 1
wall: {name: Idle, locale: en}
feeds:
  - {id: load, label: Load, cadence: 60s, source: {kind: redis}}
  - {id: price, label: Price, cadence: 60s, source: {kind: redis}}
screens:
  - id: idle
    title: Idle
    grid: {cols: 2, rows: 2}
    tiles:
      - {id: k1, type: kpi, at: {col: 1, row: 1}, feed: load}
      - {id: k2, type: kpi, at: {col: 2, row: 1}, feed: price, sparkline: 5m}
      - {id: k3, type: kpi, at: {col: 1, row: 2}, feed: load, target: 50000}
      - {id: c1, type: clock, at: {col: 2, row: 2}}
"""

COUNT_CALLBACKS = """(() => {
  const log = window.__idle = { calls: 0, useless: 0, samples: [] };
  const seen = new MutationObserver(() => {});
  let observing = false, sent = 0, current = null, handed = 0;
  const all = { subtree: true, childList: true, attributes: true, characterData: true };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...a) { sent++; return send.apply(this, a); };
  const fetch0 = window.fetch;
  window.fetch = function (...a) { sent++; return fetch0.apply(this, a); };
  function wrap(kind, fn) {
    const where = (new Error().stack || "").split(String.fromCharCode(10)).slice(2, 12).map((l) => l.trim().slice(-60)).join(" < ");
    return function (...args) {
      if (!observing && document.documentElement) { seen.observe(document, all); observing = true; }
      seen.takeRecords();
      const before = sent, outer = [current, handed];
      current = kind; handed = 0;
      try { return fn.apply(this, args); } finally {
        const useful = seen.takeRecords().length > 0 || sent > before || handed > 0;
        log.calls++;
        if (!useful) {
          log.useless++;
          if (log.samples.length < 10) log.samples.push(kind + " from " + where);
        }
        [current, handed] = outer;
      }
    };
  }
  for (const name of ["setTimeout", "setInterval"]) {
    const original = window[name];
    window[name] = function (fn, ...rest) {
      if (current === "frame") handed++;
      return original.call(this, typeof fn === "function" ? wrap("timer", fn) : fn, ...rest);
    };
  }
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = function (fn) {
    if (current === "timer") handed++;
    return raf.call(this, wrap("frame", fn));
  };
})();"""


@pytest.fixture(scope="module")
def idle_wall(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wall]:
    from opswall.runtime.ports import free_port
    from opswall.testing import provision

    directory = tmp_path_factory.mktemp("idle")
    config = directory / "wall.yaml"
    config.write_text(IDLE_CONFIG, encoding="utf-8")
    redis = RedisServer(free_port(), directory / "redis", appendonly=False).start()
    record: Provisioned = provision(directory)
    running = Wall(Path(config), redis, browser, record).start()
    yield running
    running.stop()
    redis.stop()


def idle_counts(wall: Wall, seconds: float) -> dict[str, Any]:
    page = wall.new_page("idle")
    devtools = page.context.new_cdp_session(page)
    devtools.send("Page.enable")
    devtools.send("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_CALLBACKS})
    page.goto(f"{wall.url}/wall/idle?token={wall.record.viewer_token}")
    page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
    page.wait_for_function(
        "document.querySelectorAll('[data-tile][data-fresh=live]').length === 4", timeout=15000
    )
    page.wait_for_timeout(2000)  # the first frames: mount, fonts, first fit
    page.evaluate("() => Object.assign(window.__idle, { calls: 0, useless: 0, samples: [] })")
    ages = page.eval_on_selector("[data-tile=k1] [data-role=age]", "el => el.textContent")
    page.wait_for_timeout(seconds * 1000)
    counts: dict[str, Any] = page.evaluate("() => window.__idle")
    counts["ages"] = [
        ages,
        page.eval_on_selector("[data-tile=k1] [data-role=age]", "el => el.textContent"),
    ]
    return counts


def test_an_idle_page_runs_no_callback_that_changes_nothing(idle_wall: Wall) -> None:
    """With every tile live and no update arriving, whatever the page runs changes a pixel
    (an age line, the clock) or sends something: no tick, probe or check that does neither."""
    client = redis_client(idle_wall.redis.url)
    client.xadd("feed:load", {"value": "43210.5"})
    client.xadd("feed:price", {"value": "98.5"})
    counts = idle_counts(idle_wall, 6)
    assert counts["ages"][0] != counts["ages"][1], counts  # the page was awake: ages moved
    assert counts["calls"] > 0, counts
    assert counts["useless"] == 0, counts["samples"]
