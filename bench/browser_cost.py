"""What a wall page costs the browser (issue 22): main-thread time idle and per applied update,
by tile type, at 1080p and 4K, against Dash's own websocket path; page weight and time to every
tile live, cold and warm cache.

usage: python -m bench --only browser-cost [--quick]   (or python -m bench.browser_cost)

Main-thread time is Chromium's own: the DevTools protocol's Performance.getMetrics (TaskDuration,
and within it ScriptDuration, LayoutDuration and RecalcStyleDuration; the rest of a task is
mostly painting). Each page is measured over a window at one update a second (the idle figure,
ms of main thread per second) and over a window at a high rate; the cost per update is the
difference divided by the difference in updates applied. Every figure comes from one run on one
machine, whose cores other work may share: compare the ratios within a run.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path
from typing import Any

import redis
from playwright.sync_api import Browser, CDPSession, Page

from bench.live_path import VALUE_PROBE
from bench.stack import Stack
from opswall.keys import feed_stream
from opswall.runtime.ports import free_port
from opswall.store.redis_client import connect

GEO = Path(__file__).parents[1] / "opswall" / "assets" / "geo" / "vn-34.geojson"
READY = "#wall-screen[data-link=up]"
METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
# Layouts counted, not timed: about one per frame that changed the page, a figure the machine's
# load does not inflate (an idle page's cost is mostly its frames; docs/performance.md).
COUNTS = ("LayoutCount",)
VIEWPORTS = {"1080p": (1920, 1080), "4K": (3840, 2160)}
KPIS = 20  # the idle page: 20 KPIs

# (screen, tiles, feeds, the rate of the busy window in updates/s for the whole page)
KINDS: dict[str, tuple[str, int, list[str], float]] = {
    "kpi": ("kpis", KPIS, [f"bench{i}" for i in range(KPIS)], 50.0),
    "kpi_sparkline": ("sparks", KPIS, [f"bench{i}" for i in range(KPIS)], 50.0),
    "chart_point": ("charts", 4, [f"bench{i}" for i in range(4)], 20.0),
    "table_row": ("tables", 4, [f"rows{i}" for i in range(4)], 20.0),
    "map_recolour": ("maps", 1, ["regions0"], 10.0),
    "alert": ("alerts", 2, ["warn0", "warn1"], 10.0),
}


def provinces() -> list[str]:
    return [str(f["id"]) for f in json.loads(GEO.read_text(encoding="utf-8"))["features"]]


def _feeds() -> list[str]:
    names = [f"bench{i}" for i in range(24)] + [f"rows{i}" for i in range(4)]
    names += ["regions0", "warn0", "warn1"]
    # A long cadence: one update a second over 20 feeds never lets a tile go stale mid-window.
    return [f"  - {{id: {n}, label: {n}, cadence: 60s, source: {{kind: redis}}}}" for n in names]


def _grid(i: int, cols: int) -> str:
    return f"{{col: {i % cols + 1}, row: {i // cols + 1}}}"


def cost_config() -> str:
    """One wall, a screen per measured tile type, and the 24-tile screen of the load figure."""
    lines = ["version: 1", "wall: {name: Cost, locale: en}", "feeds:", *_feeds(), "screens:"]

    def screen(name: str, cols: int, rows: int, tiles: list[str]) -> None:
        lines.extend(
            [f"  - id: {name}", f"    title: {name}", f"    grid: {{cols: {cols}, rows: {rows}}}"]
        )
        lines.append("    tiles:")
        lines.extend(f"      - {t}" for t in tiles)

    kpi = [f"{{id: k{i}, type: kpi, at: {_grid(i, 5)}, feed: bench{i}}}" for i in range(KPIS)]
    screen("kpis", 5, 4, kpi)
    spark = [t[:-1] + ", sparkline: 5m}" for t in kpi]
    screen("sparks", 5, 4, spark)
    charts = [
        f"{{id: c{i}, type: chart, at: {_grid(i, 2)}, window: 5m, series: [{{feed: bench{i}}}]}}"
        for i in range(4)
    ]
    screen("charts", 2, 2, charts)
    tables = [
        f"{{id: r{i}, type: table, at: {_grid(i, 2)}, feed: rows{i}, max_rows: 10, columns: "
        "[{key: name}, {key: value, format: number, decimals: 1}]}"
        for i in range(4)
    ]
    screen("tables", 2, 2, tables)
    screen("maps", 1, 1, ["{id: m0, type: map, at: {col: 1, row: 1}, feed: regions0, field: rows}"])
    alerts = [f"{{id: a{i}, type: alerts, at: {_grid(i, 2)}, feed: warn{i}}}" for i in range(2)]
    screen("alerts", 2, 1, alerts)
    screen("load", 8, 3, load_tiles())
    return "\n".join(lines) + "\n"


def load_tiles() -> list[str]:
    """The suite's 24-tile mix: 16 KPIs (4 with sparklines), 4 charts, 4 gauges."""
    tiles = []
    for i in range(24):
        at = _grid(i, 8)
        if i < 16:
            extra = ", sparkline: 5m" if i % 4 == 0 else ""
            tiles.append(f"{{id: t{i}, type: kpi, at: {at}, feed: bench{i}{extra}}}")
        elif i < 20:
            tiles.append(
                f"{{id: t{i}, type: chart, at: {at}, window: 5m, series: [{{feed: bench{i}}}]}}"
            )
        else:
            tiles.append(f"{{id: t{i}, type: gauge, at: {at}, feed: bench{i}, min: 0, max: 5000}}")
    return tiles


class Pump(threading.Thread):
    """XADDs entries to `feeds` round robin at `rate` entries/s in all (changeable while it runs),
    each shaped for its tile type; every entry carries its send time."""

    def __init__(self, url: str, feeds: list[str], rate: float) -> None:
        super().__init__(daemon=True)
        self.client = connect(url, socket_timeout=2)
        self.feeds, self.rate, self.sent = feeds, rate, 0
        self.stopping = threading.Event()
        self.codes = provinces()

    def fields(self, feed: str, n: int) -> dict[str, str]:
        sent = f"{time.time() * 1000:.3f}"
        if feed.startswith("rows"):
            rows = [
                {"name": f"Station {i}", "value": 100 + i + (n % 7) * (i == n % 10)}
                for i in range(10)
            ]
            return {"json": json.dumps({"rows": rows}), "sent": sent}
        if feed.startswith("regions"):
            rows = [
                {"name": c, "value": 40 + (i * 7 + n * (i == n % 34)) % 60}
                for i, c in enumerate(self.codes)
            ]
            return {"json": json.dumps({"rows": rows}), "sent": sent}
        if feed.startswith("warn"):
            state = "cleared" if n % 3 == 2 else "raised"
            return {
                "id": f"w{n % 6}",
                "severity": ("warning", "critical")[n % 2],
                "area": f"Area {n % 6}",
                "text": f"Alert {n}",
                "state": state,
                "sent": sent,
            }
        return {"value": f"{1000 + (n % 500) * 0.7:.1f}", "sent": sent}

    def seed(self) -> None:
        for feed in self.feeds:
            self.client.xadd(feed_stream(feed), self.fields(feed, 0))  # type: ignore[arg-type]

    def run(self) -> None:
        next_at, n = time.monotonic(), 0
        while not self.stopping.is_set():
            feed = self.feeds[n % len(self.feeds)]
            try:
                fields: dict[Any, Any] = self.fields(feed, n)
                self.client.xadd(feed_stream(feed), fields, maxlen=5000, approximate=True)
                self.sent += 1
            except redis.RedisError:
                pass
            n += 1
            next_at += 1 / self.rate
            time.sleep(max(0.0, next_at - time.monotonic()))
            if next_at < time.monotonic() - 1:
                next_at = time.monotonic()  # behind: no burst to catch up


def busy(devtools: CDPSession) -> dict[str, float]:
    got = {m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]}
    return {name: float(got.get(name, 0.0)) for name in METRICS + COUNTS}


def window(page: Page, devtools: CDPSession, applied: str, seconds: float) -> dict[str, float]:
    """Main-thread ms per second over `seconds`, by kind, layouts and updates applied per second."""
    first, count0 = busy(devtools), page.evaluate(applied)
    time.sleep(seconds)
    last, count1 = busy(devtools), page.evaluate(applied)
    out = {k: (last[k] - first[k]) * 1000 / seconds for k in METRICS}
    out["layouts_per_s"] = (last["LayoutCount"] - first["LayoutCount"]) / seconds
    out["updates_per_s"] = (count1 - count0) / seconds
    return out


def per_update(idle: dict[str, float], loaded: dict[str, float]) -> dict[str, float]:
    """The marginal cost of one update: the extra ms per extra update applied."""
    extra = loaded["updates_per_s"] - idle["updates_per_s"]
    if extra <= 0:
        return {k: float("nan") for k in METRICS}
    return {k: (loaded[k] - idle[k]) / extra for k in METRICS}


def rounded(d: dict[str, float], digits: int = 3) -> dict[str, float]:
    return {k: round(v, digits) for k, v in d.items()}


def open_measured(
    browser: Browser, url: str, size: tuple[int, int], ready: str, init: str = ""
) -> tuple[Page, CDPSession]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.goto(url, timeout=120_000)
    page.wait_for_selector(ready, timeout=120_000)
    devtools = context.new_cdp_session(page)
    devtools.send("Performance.enable")
    return page, devtools


def settle(devtools: CDPSession, least_s: float, most_s: float = 12.0) -> None:
    """Wait until the page is settled: after `least_s`, until a second passes with at most 2
    layouts (one update a second lays out once; a page still fitting its first values, or the
    first page of a run on a machine still busy starting it, lays out several times)."""
    time.sleep(least_s)
    deadline = time.monotonic() + most_s
    while time.monotonic() < deadline:
        before = busy(devtools)["LayoutCount"]
        time.sleep(1.0)
        if busy(devtools)["LayoutCount"] - before <= 2:
            return


def measure_page(
    page: Page,
    devtools: CDPSession,
    pump: Pump,
    rate: float,
    applied: str,
    args: argparse.Namespace,
) -> dict[str, Any]:
    pump.rate = 1.0
    settle(devtools, args.settle)
    idle = window(page, devtools, applied, args.seconds)
    pump.rate = rate
    time.sleep(1.0)
    loaded = window(page, devtools, applied, args.seconds)
    return {
        "idle": rounded(idle),
        "loaded": rounded(loaded),
        "per_update": rounded(per_update(idle, loaded), 4),
    }


def measure_kind(
    browser: Browser, stack: Stack, kind: str, res: str, args: argparse.Namespace
) -> dict[str, Any]:
    screen, tiles, feeds, rate = KINDS[kind]
    pump = Pump(stack.redis_url, feeds, 1.0)
    pump.seed()
    page, devtools = open_measured(
        browser, stack.wall_url(screen, bench=False), VIEWPORTS[res], READY
    )
    pump.start()
    try:
        result = measure_page(page, devtools, pump, rate, "window.opswall.applied", args)
    finally:
        pump.stopping.set()
        page.context.close()
    return {"kind": kind, "resolution": res, "tiles": tiles, "rate": rate, **result}


def measure_dash(
    browser: Browser, stack: Stack, res: str, args: argparse.Namespace
) -> dict[str, Any]:
    """Dash's own websocket callbacks (set_props per value) showing the same 20 KPI feeds."""
    import os
    import subprocess
    import sys

    from opswall.runtime.processes import wait_healthy

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.dash_native_app", str(KPIS), str(port)],
        env={**os.environ, "OPSWALL_REDIS_URL": stack.redis_url},
    )
    pump = Pump(stack.redis_url, KINDS["kpi"][2], 1.0)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/", process=process)
        pump.seed()
        page, devtools = open_measured(
            browser, f"http://127.0.0.1:{port}/", VIEWPORTS[res], "#v0", VALUE_PROBE
        )
        pump.start()
        result = measure_page(page, devtools, pump, KINDS["kpi"][3], "window.__applied", args)
        page.context.close()
    finally:
        pump.stopping.set()
        process.terminate()
        process.wait(10)
    return {
        "kind": "dash_native_kpi",
        "resolution": res,
        "tiles": KPIS,
        "rate": KINDS["kpi"][3],
        **result,
    }


def run(browser: Browser, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Every figure of the part on one wall: tile types x resolutions, Dash native, page weight."""
    from bench.page_weight import page_weight

    directory = tmp / "browser-cost"
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "wall.yaml"
    config.write_text(cost_config(), encoding="utf-8")
    stack = Stack(directory, config, balanced=False).start()
    try:
        updates = []
        for res in args.resolutions:
            for kind in args.kinds:
                updates.append(measure_kind(browser, stack, kind, res, args))
                print_row(updates[-1])
            updates.append(measure_dash(browser, stack, res, args))
            print_row(updates[-1])
        seeder = Pump(stack.redis_url, [f"bench{i}" for i in range(24)], 1.0)
        seeder.seed()
        weight = page_weight(browser, stack.wall_url("load", bench=False), 24, 4, args.loads)
    finally:
        stack.stop()
    return {"seconds": args.seconds, "updates": updates, "page": weight}


def print_row(r: dict[str, Any]) -> None:
    idle, per = r["idle"], r["per_update"]
    print(
        f"{r['kind']:16} {r['resolution']:>5} idle {idle['TaskDuration']:7.1f} ms/s "
        f"({idle['updates_per_s']:.1f} upd/s, {idle['layouts_per_s']:.1f} layouts/s)  "
        f"per update {per['TaskDuration']:.3f} ms "
        f"(script {per['ScriptDuration']:.3f}, layout {per['LayoutDuration']:.3f}, "
        f"style {per['RecalcStyleDuration']:.3f}) at {r['loaded']['updates_per_s']:.1f} upd/s",
        flush=True,
    )


def configure(args: argparse.Namespace) -> None:
    """This part's counts in the suite's quick and full forms."""
    if args.quick:
        args.kinds, args.resolutions = ["kpi", "chart_point"], ["1080p"]
        args.seconds, args.settle, args.loads = 3.0, 1.0, 1
    else:
        args.kinds, args.resolutions = list(KINDS), list(VIEWPORTS)
        args.seconds, args.settle, args.loads = 8.0, 2.0, 3


def main_part(args: argparse.Namespace) -> dict[str, Any]:
    """`python -m bench --only browser-cost`: this part alone, its JSON, plot and docs section."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from bench.browser_cost_report import PLOT, plot
    from bench.live_path import machine
    from opswall.testing import CHROMIUM_ARGS, chromium_path

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        report = run(browser, Path(tmp_name), args)
        browser.close()
    report.update(form="quick" if args.quick else "full", machine=machine())
    report["minutes"] = round((time.monotonic() - started) / 60, 1)
    out = args.out.with_name("browser_cost.json") if args.out.name == "bench.json" else args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    plot(report, out.with_suffix(".png") if args.quick else PLOT)
    if not args.quick and not args.no_docs:
        write_docs(report)
    return report


def write_docs(report: dict[str, Any]) -> None:
    from bench.browser_cost_report import markdown
    from bench.docs_section import replace_section
    from bench.suite import DOC

    replace_section(DOC, "browser-cost", markdown(report))
