"""Latency from XADD to the value painted in N headless Chromium pages, ours vs Dash polling.

usage: python -m bench.live_path [--pages 12] [--feeds 30] [--rate 5] [--seconds 20]
       python -m bench.live_path --pages 1,4,12   (our path at each count; baseline at the last)

Both runs use one real redis-server, the same producer (each entry carries `sent`, epoch ms) and
the same number of pages. Latency is taken in the page, in requestAnimationFrame after the value
is applied, so it covers Redis, the server, the socket and the browser's own work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import Browser, Page, sync_playwright

from bench.stack import Producer, bench_config, open_pages
from opswall.runtime.ports import free_port
from opswall.runtime.processes import PartProcess, wait_healthy
from opswall.runtime.redis_provider import RedisServer
from opswall.testing import CHROMIUM_ARGS, chromium_path, provision

RESULTS = Path(__file__).parent / "results"

# Dash pages measure when a value lands (its title carries `sent`), as the wall client does.
VALUE_PROBE = """
window.__lat = []; window.__applied = 0;
new MutationObserver(records => {
  const sent = new Set();
  for (const r of records) {
    if (r.attributeName === 'title' && r.target.title) sent.add(Number(r.target.title));
  }
  if (!sent.size) return;
  window.__applied += sent.size;
  requestAnimationFrame(() => { const now = performance.timeOrigin + performance.now();
    sent.forEach(s => window.__lat.push(now - s)); });
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['title']});
"""


@dataclass
class Result:
    path: str
    pages: int
    feeds: int
    rate_hz: float
    seconds: float
    samples: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    updates_per_s: float
    delivered_pct: float
    server_cpu_pct: float
    server_rss_mb: float = 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def measure(
    name: str,
    pages: list[Page],
    collect: str,
    applied: str,
    pids: list[int],
    producer: Producer,
    args: argparse.Namespace,
) -> Result:
    """Latency samples, and each page's applied count against what was produced meanwhile."""
    for page in pages:
        page.evaluate(f"() => {{ {collect} = []; }}")

    def counts() -> list[tuple[int, int]]:
        return [(page.evaluate(f"() => {applied}"), producer.sent) for page in pages]

    before = counts()
    start_cpu, started = cpu_seconds(pids), time.monotonic()
    time.sleep(args.seconds)
    elapsed = time.monotonic() - started
    cpu = cpu_seconds(pids) - start_cpu
    after = counts()
    latencies: list[float] = []
    for page in pages:
        latencies += page.evaluate(f"() => {collect}")
    delivered = sum(a[0] - b[0] for a, b in zip(after, before, strict=True))
    produced = sum(a[1] - b[1] for a, b in zip(after, before, strict=True))
    return Result(
        name,
        len(pages),
        args.feeds,
        args.rate,
        round(elapsed, 1),
        len(latencies),
        round(percentile(latencies, 50), 1),
        round(percentile(latencies, 95), 1),
        round(percentile(latencies, 99), 1),
        round(delivered / elapsed, 1),
        round(100 * delivered / max(1, produced), 1),
        round(100 * cpu / elapsed, 1),
    )


def measure_opswall(
    pages: list[Page], pids: list[int], producer: Producer, args: argparse.Namespace
) -> Result:
    """Our path, after the warm-up: the pages record latency and applied counts themselves."""
    time.sleep(args.warmup)
    return measure(
        "opswall (websocket push)",
        pages,
        "window.opswall.latencies",
        "window.opswall.applied",
        pids,
        producer,
        args,
    )


def run_opswall(
    browser: Browser, redis_url: str, config: Path, producer: Producer, args: argparse.Namespace
) -> Result:
    gw_port, web_port = free_port(), free_port()
    record = provision(config.parent)
    env = {"OPSWALL_REDIS_URL": redis_url, **record.env}
    gateway = PartProcess(
        ["gateway", "--config", str(config), "--port", str(gw_port)],
        env,
        f"http://127.0.0.1:{gw_port}/healthz",
    ).start()
    web = PartProcess(
        ["web", "--config", str(config), "--port", str(web_port), "--gateway-port", str(gw_port)],
        env,
        f"http://127.0.0.1:{web_port}/healthz",
    ).start()
    try:
        pages = open_pages(
            browser,
            [f"http://127.0.0.1:{web_port}/wall/bench?bench=1&token={record.viewer_token}"]
            * args.pages,
            "#wall-screen[data-link=up]",
        )
        result = measure_opswall(pages, [gateway.pid, web.pid], producer, args)
        for page in pages:
            page.context.close()
        return result
    finally:
        web.stop()
        gateway.stop()


def run_dash_app(
    module: str,
    name: str,
    browser: Browser,
    redis_url: str,
    producer: Producer,
    args: argparse.Namespace,
) -> Result:
    """A Dash app of the same tiles (the polling baseline, or Dash's native websockets)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", module, str(args.feeds), str(port)],
        env={**os.environ, "OPSWALL_REDIS_URL": redis_url},
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/", process=process)
        pages = open_pages(browser, [f"http://127.0.0.1:{port}/"] * args.pages, "#v0", VALUE_PROBE)
        time.sleep(args.warmup)
        result = measure(
            name, pages, "window.__lat", "window.__applied", [process.pid], producer, args
        )
        for page in pages:
            page.context.close()
        return result
    finally:
        process.terminate()
        process.wait(10)


def machine() -> dict[str, Any]:
    return {
        "cpus": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="12", help="page count, or a comma list of them")
    parser.add_argument("--feeds", type=int, default=30)
    parser.add_argument("--rate", type=float, default=5.0, help="entries per second per feed")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--out", type=Path, default=RESULTS / "live_path.json")
    args = parser.parse_args(argv)
    page_counts = [int(n) for n in str(args.pages).split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "bench.yaml"
        config.write_text(bench_config(args.feeds, args.rate), encoding="utf-8")
        server = RedisServer(free_port(), Path(tmp) / "redis").start()
        producer = Producer(server.url, args.feeds, args.rate)
        producer.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                ours = []
                for count in page_counts:
                    args.pages = count
                    ours.append(run_opswall(browser, server.url, config, producer, args))
                native = run_dash_app(
                    "bench.dash_native_app",
                    "Dash 4 websocket callback",
                    browser,
                    server.url,
                    producer,
                    args,
                )
                baseline = run_dash_app(
                    "bench.baseline_app",
                    "Dash dcc.Interval 1 s + callback",
                    browser,
                    server.url,
                    producer,
                    args,
                )
                browser.close()
        finally:
            producer.stopping.set()
            producer.join(5)
            server.stop()
    same = ours[-1]  # the run with as many pages as the baseline
    report = {
        "machine": machine(),
        "results": [*map(asdict, ours), asdict(native), asdict(baseline)],
        "ratio_p50": round(baseline.p50_ms / same.p50_ms, 1),
        "ratio_p99": round(baseline.p99_ms / same.p99_ms, 1),
    }
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def print_table(report: dict[str, Any]) -> None:
    head = (
        f"{'path':34} {'pages':>5} {'feeds':>5} {'Hz':>4} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'upd/s':>8} {'shown%':>7} {'srv CPU%':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in report["results"]:
        print(
            f"{r['path']:34} {r['pages']:>5} {r['feeds']:>5} {r['rate_hz']:>4g} "
            f"{r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} {r['updates_per_s']:>8} "
            f"{r['delivered_pct']:>7} {r['server_cpu_pct']:>8}"
        )
    print(
        f"baseline / opswall latency: p50 x{report['ratio_p50']}, p99 x{report['ratio_p99']} "
        "(the baseline's latency counts only the entries it shows: see shown%)"
    )
    print(f"machine: {report['machine']}")


if __name__ == "__main__":
    main()
