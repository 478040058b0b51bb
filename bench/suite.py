"""The benchmark suite: one command, a table, JSON, a plot and docs/performance.md.

usage: python -m bench              (the full run, ~15 minutes on 2 cores)
       python -m bench --quick      (the CI form: small counts, short windows; no docs update)
       python -m bench --only browser-cost [--quick]   (one part alone)

(a) latency XADD -> painted, in headless Chromium, at 1/4/12/24 screens x 10/30/100 feeds;
(b) the most updates/s the screens are sent and paint before p99 passes 100 ms (a rate ramp);
(c) page load: navigation to all 24 tiles of a screen painted with live data;
(d) server CPU and RSS per screen and per 1,000 updates/s (slopes fitted over (a) and (b));
(e) the Dash dcc.Interval + callback baseline on the same Redis and feeds, as a ratio;
(f) what a page costs the browser: main-thread time idle and per update, page weight
    (bench/browser_cost.py).
Every figure is measured in this one run, so ratios compare like with like on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench import browser_cost
from bench.docs_section import replace_section
from bench.live_path import Result, machine, measure_opswall, run_dash_app
from bench.stack import Producer, Stack, bench_config, open_pages
from opswall.testing import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).parents[1]
RESULTS = Path(__file__).parent / "results"
DOC = ROOT / "docs" / "performance.md"
PLOT = ROOT / "docs" / "img" / "latency.png"
READY = "#wall-screen[data-link=up]"
P99_BUDGET_MS = 100.0

# Resolves when every tile of the page shows live data; the time is from navigation start.
ALL_PAINTED = """count => new Promise(resolve => {
  const check = () => {
    const live = document.querySelectorAll('[data-tile][data-fresh=live]').length;
    if (live >= count) resolve(performance.now()); else requestAnimationFrame(check);
  };
  check();
})"""


def load_config_24() -> str:
    """24 tiles of a real screen's mix: 16 KPIs (4 with sparklines), 4 charts, 4 gauges."""
    lines = ["version: 1", "wall: {name: Load, locale: vi}", "feeds:"]
    lines += [
        f"  - {{id: bench{i}, label: Feed {i}, cadence: 1s, source: {{kind: redis}}}}"
        for i in range(24)
    ]
    lines += ["screens:", "  - id: load", "    title: Load", "    grid: {cols: 8, rows: 4}"]
    lines.append("    tiles:")
    lines += [f"      - {tile}" for tile in browser_cost.load_tiles()]
    return "\n".join(lines) + "\n"


def fit(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope."""
    if len(xs) < 2 or len(set(xs)) < 2:
        return float("nan")
    return float(statistics.linear_regression(xs, ys).slope)


def rss_mb(stack: Stack) -> float:
    total = sum(int(psutil.Process(pid).memory_info().rss) for pid in stack.pids())
    return round(total / 2**20, 1)


def opswall_step(
    pages: list[Page], stack: Stack, producer: Producer, args: argparse.Namespace
) -> Result:
    result = measure_opswall(pages, stack.pids(), producer, args)
    result.server_rss_mb = rss_mb(stack)
    return result


def with_stack(directory: Path, feeds: int, rate: float) -> tuple[Stack, Producer]:
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "wall.yaml"
    config.write_text(bench_config(feeds, rate), encoding="utf-8")
    stack = Stack(directory, config, balanced=False).start()
    producer = Producer(stack.redis_url, feeds, rate)
    producer.start()
    return stack, producer


def stop(stack: Stack, producer: Producer, pages: list[Page]) -> None:
    for page in pages:
        page.context.close()
    producer.stopping.set()
    producer.join(5)
    stack.stop()


def latency_matrix(browser: Browser, tmp: Path, args: argparse.Namespace) -> list[Result]:
    results = []
    for feeds in args.feed_counts:
        stack, producer = with_stack(tmp / f"matrix{feeds}", feeds, args.rate)
        pages: list[Page] = []
        try:
            for count in args.screen_counts:
                try:
                    more = [stack.wall_url("bench")] * (count - len(pages))
                    pages += open_pages(browser, more, READY)
                except PlaywrightError as exc:
                    # The machine is saturated: a page does not even load. Say so and go on.
                    print(
                        f"{count} screens x {feeds} feeds: pages do not load ({exc.message[:80]})"
                    )
                    break
                step = argparse.Namespace(**{**vars(args), "feeds": feeds, "rate": args.rate})
                results.append(opswall_step(pages, stack, producer, step))
                print_result(results[-1])
        finally:
            stop(stack, producer, pages)
    return results


def rate_ramp(browser: Browser, tmp: Path, args: argparse.Namespace) -> list[Result]:
    """Raise the per-feed rate until p99 passes the budget or screens fall behind."""
    results = []
    for rate in args.ramp_rates:
        stack, producer = with_stack(tmp / f"ramp{rate:g}", args.ramp_feeds, rate)
        pages: list[Page] = []
        try:
            pages = open_pages(browser, [stack.wall_url("bench")] * args.ramp_screens, READY)
            step = argparse.Namespace(**{**vars(args), "feeds": args.ramp_feeds, "rate": rate})
            results.append(opswall_step(pages, stack, producer, step))
            print_result(results[-1])
        finally:
            stop(stack, producer, pages)
        if results[-1].p99_ms > P99_BUDGET_MS or results[-1].delivered_pct < 95:
            break
    return results


def page_load(browser: Browser, tmp: Path, loads: int) -> dict[str, float]:
    directory = tmp / "load"
    directory.mkdir()
    config = directory / "wall.yaml"
    config.write_text(load_config_24(), encoding="utf-8")
    stack = Stack(directory, config, balanced=False).start()
    producer = Producer(stack.redis_url, 24, 1.0)
    producer.start()
    times, dom_ready = [], []
    try:
        time.sleep(2)  # every feed has entries before the first load
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = context.new_page()
            page.goto(stack.wall_url("load", bench=False))
            times.append(page.evaluate(ALL_PAINTED, 24))
            dom_ready.append(
                page.evaluate(
                    "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                )
            )
            context.close()
    finally:
        stop(stack, producer, [])
    return {
        "tiles": 24,
        "loads": loads,
        "all_painted_p50_ms": round(statistics.median(times)),
        "all_painted_max_ms": round(max(times)),
        "dom_content_loaded_p50_ms": round(statistics.median(dom_ready)),
    }


def baseline(browser: Browser, tmp: Path, args: argparse.Namespace) -> tuple[Result, Result]:
    """Polling and ours at the same screens and feeds, on one Redis, back to back."""
    stack, producer = with_stack(tmp / "baseline", args.baseline_feeds, args.rate)
    pages: list[Page] = []
    try:
        step = argparse.Namespace(
            **{
                **vars(args),
                "feeds": args.baseline_feeds,
                "rate": args.rate,
                "pages": args.baseline_screens,
            }
        )
        pages = open_pages(browser, [stack.wall_url("bench")] * args.baseline_screens, READY)
        ours = opswall_step(pages, stack, producer, step)
        for page in pages:
            page.context.close()
        pages = []
        polling = run_dash_app(
            "bench.baseline_app",
            "Dash dcc.Interval 1 s + callback",
            browser,
            stack.redis_url,
            producer,
            step,
        )
    finally:
        stop(stack, producer, pages)
    print_result(ours)
    print_result(polling)
    return ours, polling


def derived(matrix: list[Result], ramp: list[Result]) -> dict[str, float]:
    """(d): per-screen and per-1,000-updates/s costs, as fitted slopes."""
    feeds = max(r.feeds for r in matrix)
    row = [r for r in matrix if r.feeds == feeds]
    screens = [float(r.pages) for r in row]
    return {
        "at_feeds": feeds,
        "cpu_pct_per_screen": round(fit(screens, [r.server_cpu_pct for r in row]), 2),
        "rss_mb_per_screen": round(fit(screens, [r.server_rss_mb for r in row]), 2),
        "cpu_pct_per_1000_updates_s": round(
            1000 * fit([r.updates_per_s for r in ramp], [r.server_cpu_pct for r in ramp]), 2
        ),
        "rss_mb_per_1000_updates_s": round(
            1000 * fit([r.updates_per_s for r in ramp], [r.server_rss_mb for r in ramp]), 2
        ),
    }


def max_sustained(ramp: list[Result]) -> dict[str, Any]:
    within = [r for r in ramp if r.p99_ms <= P99_BUDGET_MS and r.delivered_pct >= 95]
    best = max(within, key=lambda r: r.updates_per_s) if within else None
    return {
        "updates_per_s": best.updates_per_s if best else 0.0,
        "rate_hz_per_feed": best.rate_hz if best else 0.0,
        "p99_ms": best.p99_ms if best else float("nan"),
        "limit_reached": len(within) < len(ramp),
    }


def latency_part(args: argparse.Namespace) -> dict[str, Any]:
    """One cell (or a few) of the matrix at 2 Hz per feed, e.g. issue 22's 12 screens x 30 feeds,
    written to bench/results/latency.json; the docs keep the full run's matrix."""
    args.feed_counts = [int(v) for v in args.feeds.split(",")]
    args.screen_counts = [int(v) for v in args.screens.split(",")]
    args.rate, args.seconds, args.warmup = 2.0, 10.0, 3.0
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        print(HEAD)
        psutil.cpu_percent()  # from here
        matrix = latency_matrix(browser, Path(tmp_name), args)
        # How busy the whole machine was over the part (pages opening included): at 100 % the
        # figures measure a saturated machine (the server's own share is the CPU% column).
        busy = psutil.cpu_percent()
        browser.close()
    print(f"the machine's CPUs were {busy:.0f} % busy over the part")
    report = {
        "machine": machine(),
        "matrix": [asdict(r) for r in matrix],
        "machine_busy_pct": busy,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the CI form")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench.json")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/performance.md")
    parser.add_argument(
        "--only", choices=["browser-cost", "latency"], help="run one part alone (no docs)"
    )
    parser.add_argument("--screens", default="12", help="--only latency: screen counts, a list")
    parser.add_argument("--feeds", default="30", help="--only latency: feed counts, a list")
    args = parser.parse_args(argv)
    browser_cost.configure(args)
    if args.only == "browser-cost":
        return browser_cost.main_part(args)
    if args.only == "latency":
        return latency_part(args)
    if args.quick:
        args.feed_counts, args.screen_counts, args.rate = [6], [1, 2], 5.0
        args.ramp_feeds, args.ramp_screens, args.ramp_rates = 6, 1, [5.0, 20.0]
        args.baseline_feeds, args.baseline_screens, args.loads = 6, 1, 2
        args.seconds, args.warmup = 4.0, 2.0
    else:
        args.feed_counts, args.screen_counts, args.rate = [10, 30, 100], [1, 4, 12, 24], 2.0
        args.ramp_feeds, args.ramp_screens = 30, 4
        args.ramp_rates = [2.0, 5.0, 10.0, 20.0, 40.0, 80.0]
        args.baseline_feeds, args.baseline_screens, args.loads = 30, 4, 5
        args.seconds, args.warmup = 10.0, 3.0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as pw:
        tmp = Path(tmp_name)
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        matrix = latency_matrix(browser, tmp, args)
        ramp = rate_ramp(browser, tmp, args)
        load = page_load(browser, tmp, args.loads)
        ours, polling = baseline(browser, tmp, args)
        cost = browser_cost.run(browser, tmp, args)
        browser.close()
    report: dict[str, Any] = {
        "form": "quick" if args.quick else "full",
        "machine": machine(),
        "minutes": round((time.monotonic() - started) / 60, 1),
        "matrix": [asdict(r) for r in matrix],
        "ramp": [asdict(r) for r in ramp],
        "max_sustained": max_sustained(ramp),
        "page_load": load,
        "costs": derived(matrix, ramp),
        "baseline": {
            "opswall": asdict(ours),
            "polling": asdict(polling),
            "ratio_p50": round(polling.p50_ms / ours.p50_ms, 1),
            "ratio_p99": round(polling.p99_ms / ours.p99_ms, 1),
        },
        "browser_cost": {**cost, "machine": machine()},
    }
    print_summary(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    plot(report, args.out.with_suffix(".png") if args.quick else PLOT)
    if not args.quick and not args.no_docs:
        write_docs(report)
        browser_cost.write_docs(report["browser_cost"])
    return report


HEAD = (
    f"{'path':26} {'screens':>7} {'feeds':>5} {'Hz':>4} {'p50 ms':>7} {'p95 ms':>7} "
    f"{'p99 ms':>7} {'upd/s':>8} {'shown%':>6} {'CPU%':>5} {'RSS MB':>7}"
)


def print_result(r: Result) -> None:
    print(
        f"{r.path[:26]:26} {r.pages:>7} {r.feeds:>5} {r.rate_hz:>4g} {r.p50_ms:>7} "
        f"{r.p95_ms:>7} {r.p99_ms:>7} {r.updates_per_s:>8} {r.delivered_pct:>6} "
        f"{r.server_cpu_pct:>5} {r.server_rss_mb:>7}",
        flush=True,
    )


def print_summary(report: dict[str, Any]) -> None:
    print(HEAD)
    for r in report["matrix"] + report["ramp"]:
        print_result(Result(**r))
    best, load, costs = report["max_sustained"], report["page_load"], report["costs"]
    print(
        f"max sustained: {best['updates_per_s']} updates/s painted with p99 <= "
        f"{P99_BUDGET_MS:g} ms ({best['rate_hz_per_feed']:g} Hz per feed)"
    )
    print(
        f"page load, {load['tiles']} tiles: all painted p50 {load['all_painted_p50_ms']} ms "
        f"(DOMContentLoaded {load['dom_content_loaded_p50_ms']} ms)"
    )
    print(
        f"server cost: {costs['cpu_pct_per_screen']} % CPU and {costs['rss_mb_per_screen']} MB "
        f"per screen; {costs['cpu_pct_per_1000_updates_s']} % CPU per 1,000 updates/s"
    )
    base = report["baseline"]
    print(
        f"polling baseline / opswall latency: p50 x{base['ratio_p50']}, p99 x{base['ratio_p99']}"
        f" (polling shows {base['polling']['delivered_pct']}% of entries)"
    )
    print(f"machine: {report['machine']}")


def plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    for feeds in sorted({r["feeds"] for r in report["matrix"]}):
        row = [r for r in report["matrix"] if r["feeds"] == feeds]
        screens = [r["pages"] for r in row]
        (line,) = left.plot(
            screens, [r["p99_ms"] for r in row], marker="o", label=f"{feeds} feeds p99"
        )
        left.plot(
            screens,
            [r["p50_ms"] for r in row],
            marker=".",
            linestyle="--",
            color=line.get_color(),
            label=f"{feeds} feeds p50",
        )
    left.set_xlabel("screens open")
    left.set_ylabel("XADD -> painted (ms)")
    left.set_yscale("log")
    left.grid(alpha=0.3, which="both")
    left.legend(fontsize=8)
    left.set_title("latency vs screens")
    ramp = report["ramp"]
    right.plot(
        [r["updates_per_s"] for r in ramp], [r["p99_ms"] for r in ramp], marker="o", label="p99"
    )
    right.plot(
        [r["updates_per_s"] for r in ramp], [r["p50_ms"] for r in ramp], marker=".", label="p50"
    )
    right.axhline(P99_BUDGET_MS, color="#d62728", linestyle=":", label="100 ms budget")
    right.set_xlabel("updates painted per second (all screens)")
    right.set_ylabel("ms")
    right.set_yscale("log")
    right.grid(alpha=0.3, which="both")
    right.legend(fontsize=8)
    right.set_title(f"latency vs load ({ramp[0]['pages'] if ramp else 0} screens)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)


def results_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Run of `python -m bench` ({report['minutes']} min): {m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB, Python {m['python']}, {m['platform']}; Debian's Chromium "
        "headless, every page 1920x1080; redis-server, gateway and web as separate processes.",
        "",
        "| screens | feeds | Hz/feed | p50 ms | p95 ms | p99 ms | updates/s painted | shown % "
        "| server CPU % | server RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["matrix"]:
        lines.append(
            f"| {r['pages']} | {r['feeds']} | {r['rate_hz']:g} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r['p99_ms']} | {r['updates_per_s']} | {r['delivered_pct']} | "
            f"{r['server_cpu_pct']} | {r['server_rss_mb']} |"
        )
    lines += [
        "",
        f"**Rate ramp** ({report['ramp'][0]['pages']} screens, "
        f"{report['ramp'][0]['feeds']} feeds):",
        "",
        "| Hz/feed | updates/s painted | p50 ms | p99 ms | shown % | server CPU % |",
        "|---|---|---|---|---|---|",
    ]
    for r in report["ramp"]:
        lines.append(
            f"| {r['rate_hz']:g} | {r['updates_per_s']} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['delivered_pct']} | {r['server_cpu_pct']} |"
        )
    best, load, costs, base = (
        report["max_sustained"],
        report["page_load"],
        report["costs"],
        report["baseline"],
    )
    limit = "" if best["limit_reached"] else " (the ramp's top step: the limit is higher)"
    lines += [
        "",
        f"- **Max sustained**: {best['updates_per_s']} updates/s painted with p99 "
        f"{best['p99_ms']} ms <= 100 ms{limit}.",
        f"- **Page load, 24 tiles** (16 KPIs, 4 charts, 4 gauges): all painted with live data "
        f"p50 {load['all_painted_p50_ms']} ms, worst {load['all_painted_max_ms']} ms of "
        f"{load['loads']}; DOMContentLoaded p50 {load['dom_content_loaded_p50_ms']} ms.",
        f"- **Server cost** (gateway + web): {costs['cpu_pct_per_screen']} % of a core and "
        f"{costs['rss_mb_per_screen']} MB per screen at {costs['at_feeds']} feeds; "
        f"{costs['cpu_pct_per_1000_updates_s']} % of a core per 1,000 updates/s painted.",
        f"- **Dash polling baseline** ({base['polling']['pages']} screens, "
        f"{base['polling']['feeds']} feeds): p50 {base['polling']['p50_ms']} ms, p99 "
        f"{base['polling']['p99_ms']} ms, {base['polling']['delivered_pct']} % of entries shown, "
        f"vs opswall p50 {base['opswall']['p50_ms']} ms, p99 {base['opswall']['p99_ms']} ms, "
        f"{base['opswall']['delivered_pct']} % shown: **x{base['ratio_p50']} (p50), "
        f"x{base['ratio_p99']} (p99)**.",
        "",
        "![latency vs load](img/latency.png)",
    ]
    return "\n".join(lines)


def write_docs(report: dict[str, Any]) -> None:
    replace_section(DOC, "bench", results_markdown(report))
