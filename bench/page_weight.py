"""A wall page's weight and its time to every tile live, cold cache and warm (issue 22).

Bytes are what crossed the network (the DevTools protocol's encodedDataLength: compressed
bodies and headers; the gateway's websocket not included), requests are every request the page
made, and times are from navigation start: to DOMContentLoaded, to every tile showing live data,
and to every chart's line drawn (an SVG path since issue 22; Plotly's trace before).
"""

from __future__ import annotations

import statistics
from typing import Any

from playwright.sync_api import Browser, BrowserContext, CDPSession

# Resolves when `count` tiles show live data and `charts` plots are drawn; times from navigation.
ALL_LIVE = """([count, charts]) => new Promise(resolve => {
  let live = null;
  const check = () => {
    const now = performance.now();
    const shown = document.querySelectorAll('[data-tile][data-fresh=live]').length;
    if (live === null && shown >= count) live = now;
    const drawn = document.querySelectorAll('[data-tile-type=chart] path.chart-line[d^=M]').length;
    if (live !== null && drawn >= charts) resolve([live, now]); else requestAnimationFrame(check);
  };
  check();
})"""
DOM_READY = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


class Traffic:
    """Requests and bytes of one page, counted from the DevTools protocol's Network events."""

    def __init__(self, devtools: CDPSession) -> None:
        self.requests, self.bytes, self.cached = 0, 0.0, 0
        self.by_type: dict[str, float] = {}
        self.types: dict[str, str] = {}
        devtools.on("Network.requestWillBeSent", self.sent)
        devtools.on("Network.responseReceived", self.received)
        devtools.on("Network.loadingFinished", self.finished)
        devtools.on("Network.requestServedFromCache", self.from_cache)
        devtools.send("Network.enable")

    def sent(self, event: dict[str, Any]) -> None:
        self.requests += 1

    def received(self, event: dict[str, Any]) -> None:
        self.types[event["requestId"]] = event.get("type", "Other")

    def from_cache(self, event: dict[str, Any]) -> None:
        self.cached += 1

    def finished(self, event: dict[str, Any]) -> None:
        size = float(event.get("encodedDataLength", 0))
        self.bytes += size
        kind = self.types.get(event["requestId"], "Other")
        self.by_type[kind] = self.by_type.get(kind, 0.0) + size

    def reset(self) -> None:
        self.requests, self.bytes, self.cached, self.by_type = 0, 0.0, 0, {}


def load_once(
    context: BrowserContext,
    devtools: CDPSession,
    traffic: Traffic,
    url: str,
    tiles: int,
    charts: int,
) -> dict[str, float]:
    page = context.pages[0]
    traffic.reset()
    page.goto(url, timeout=120_000)
    live, drawn = page.evaluate(ALL_LIVE, [tiles, charts])
    page.wait_for_timeout(500)  # requests a chart makes after its first draw
    return {
        "dom_ready_ms": round(page.evaluate(DOM_READY)),
        "all_live_ms": round(live),
        "charts_drawn_ms": round(drawn),
        "requests": traffic.requests,
        "from_cache": traffic.cached,
        "kb": round(traffic.bytes / 1024, 1),
        "kb_by_type": {k: round(v / 1024, 1) for k, v in sorted(traffic.by_type.items())},
    }


def page_weight(browser: Browser, url: str, tiles: int, charts: int, loads: int) -> dict[str, Any]:
    """`loads` cold loads (a new browser context each) and, in each, one warm reload."""
    cold, warm = [], []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        traffic = Traffic(devtools)
        cold.append(load_once(context, devtools, traffic, url, tiles, charts))
        warm.append(load_once(context, devtools, traffic, url, tiles, charts))
        context.close()
    return {
        "tiles": tiles,
        "charts": charts,
        "loads": loads,
        "cold": summary(cold),
        "warm": summary(warm),
    }


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the times, and the bytes and requests of the first load (they do not vary)."""
    out: dict[str, Any] = {
        k: round(statistics.median(r[k] for r in runs))
        for k in ("dom_ready_ms", "all_live_ms", "charts_drawn_ms")
    }
    out.update({k: runs[0][k] for k in ("requests", "from_cache", "kb", "kb_by_type")})
    return out
