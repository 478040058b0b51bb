"""What a wall page's fleet reports cost it (issue 21): CPU per page with and without them.

usage: python -m bench.fleet_cost [--seconds 60] [--feeds 12] [--rate 2]

Two pages of one screen, side by side in one Chromium over the same window and the same feeds:
one runs as shipped, the other with the fleet client blocked (its script request aborted), so
it never reports. Each page's main-thread time (the DevTools protocol's Performance metrics:
task and script durations) over the window, per second of wall time, and the difference.
Written to bench/results/fleet_cost.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, CDPSession, Page, sync_playwright

from bench.stack import Producer, Stack, bench_config
from opswall.testing import CHROMIUM_ARGS, chromium_path

RESULTS = Path(__file__).parent / "results"
READY = "#wall-screen[data-link=up]"


def open_page(browser: Browser, url: str, reports: bool) -> tuple[Page, CDPSession]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    # ?nofleet: the same page without its fleet client (opswall/static/wall/main.js).
    page.goto(url if reports else url + ("&" if "?" in url else "?") + "nofleet", timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    devtools = context.new_cdp_session(page)
    devtools.send("Performance.enable")
    return page, devtools


def busy_seconds(devtools: CDPSession) -> dict[str, float]:
    metrics = devtools.send("Performance.getMetrics")["metrics"]
    got = {m["name"]: m["value"] for m in metrics}
    return {"task": got["TaskDuration"], "script": got["ScriptDuration"]}


def measure(seconds: float, feeds: int, rate: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        config = Path(directory) / "wall.yaml"
        config.write_text(bench_config(feeds, rate), encoding="utf-8")
        stack = Stack(Path(directory), config, balanced=False).start()
        producer = Producer(stack.redis_url, feeds, rate)
        producer.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                url = stack.wall_url("bench", bench=False)
                pages = {
                    name: open_page(browser, url, name == "reports") for name in ("reports", "none")
                }
                time.sleep(6)  # past the first report
                before = {name: busy_seconds(d) for name, (_, d) in pages.items()}
                time.sleep(seconds)
                after = {name: busy_seconds(d) for name, (_, d) in pages.items()}
                reported = pages["reports"][0].evaluate("() => typeof window.opswall.fleet")
                browser.close()
        finally:
            producer.stopping.set()
            stack.stop()
    per_second = {
        name: {
            k: round((after[name][k] - before[name][k]) / seconds * 1000, 3)
            for k in ("task", "script")
        }
        for name in pages
    }
    return {
        "seconds": seconds,
        "feeds": feeds,
        "rate_per_feed": rate,
        "fleet_client_loaded": reported == "object",
        "main_thread_ms_per_s": per_second,
        "cost_ms_per_s": round(per_second["reports"]["task"] - per_second["none"]["task"], 3),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet_cost")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--feeds", type=int, default=12)
    parser.add_argument("--rate", type=float, default=2.0)
    args = parser.parse_args(argv)
    result = measure(args.seconds, args.feeds, args.rate)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fleet_cost.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
