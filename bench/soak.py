"""Accelerated soak: the shipped demo wall with every feed `--speed` times faster than configured,
its screens open in headless Chromium, sampled over time.

usage: python -m bench.soak                         (30 minutes at 10x, every demo screen)
       python -m bench.soak --minutes 2 --screens economy,main,emergency   (the CI smoke form)

Each sample: every page's JS heap after a forced garbage collection and its node count (live and
detached, from the DevTools Performance domain), and the resident memory of the gateway, web and
feed runner. After a warm-up (buffers filling is growth that stops), a Theil-Sen slope is fitted
to each series; a series fails when the fitted line grows by more than its allowance over the
measured window (relative to its level, with an absolute floor for noise). The table, the JSON
and a plot (`bench/results/soak.png`) show the series.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil
import yaml
from playwright.sync_api import CDPSession, Page, sync_playwright

from bench.docs_section import DOCS, replace_section
from bench.stack import Stack
from opswall.runtime.demo import prepare_demo
from opswall.runtime.processes import PartProcess
from opswall.settings import Settings
from opswall.testing import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).parents[1]
RESULTS = Path(__file__).parent / "results"
READY = "#wall-screen[data-link=up]"
UNITS = {"s": 1, "m": 60, "h": 3600}
# Allowed growth of the fitted line over the measured window: (relative, absolute floor).
ALLOWANCE = {
    "js_heap_mb": (0.10, 2.0),
    "dom_nodes": (0.05, 300.0),
    "server_rss_mb": (0.10, 8.0),
}


def accelerated_config(directory: Path, speed: float) -> Path:
    """A copy of the demo wall with every feed's cadence divided by `speed`."""
    data = yaml.safe_load((ROOT / "wall_config.yaml").read_text(encoding="utf-8"))
    for feed in data["feeds"]:
        match = re.fullmatch(r"([\d.]+)([smh]?)", str(feed.get("cadence", "5s")))
        assert match, feed["cadence"]
        seconds = float(match.group(1)) * UNITS[match.group(2) or "s"]
        feed["cadence"] = f"{seconds / speed:.3f}s"
    path = directory / "wall_config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(ROOT / "catalogue", directory / "catalogue")
    return path


@dataclass
class Verdict:
    series: str
    first: float
    last: float
    slope_per_hour: float
    fitted_growth: float
    allowed_growth: float
    bounded: bool


def theil_sen(times: list[float], values: list[float]) -> tuple[float, float]:
    """Median of pairwise slopes (robust to garbage-collection spikes) and its intercept."""
    slopes = [
        (values[j] - values[i]) / (times[j] - times[i])
        for i in range(len(times))
        for j in range(i + 1, len(times))
        if times[j] > times[i]
    ]
    slope = statistics.median(slopes) if slopes else 0.0
    intercept = statistics.median(v - slope * t for t, v in zip(times, values, strict=True))
    return slope, intercept


def judge(
    name: str, times: list[float], values: list[float], warmup: float, tolerance: float = 1.0
) -> Verdict:
    measured = [(t, v) for t, v in zip(times, values, strict=True) if t >= warmup]
    ts, vs = [t for t, _ in measured], [v for _, v in measured]
    slope, _ = theil_sen(ts, vs)
    window = (ts[-1] - ts[0]) if len(ts) > 1 else 0.0
    growth = slope * window
    relative, floor = ALLOWANCE[name]
    allowed = tolerance * (max(floor, relative * statistics.median(vs)) if vs else floor)
    return Verdict(
        name,
        round(vs[0], 1) if vs else 0.0,
        round(vs[-1], 1) if vs else 0.0,
        round(slope * 3600, 2),
        round(growth, 2),
        round(allowed, 2),
        growth <= allowed,
    )


class Sampler:
    def __init__(self, pages: list[Page], pids: list[int]) -> None:
        self.pages = pages
        self.sessions: list[CDPSession] = []
        for page in pages:
            session = page.context.new_cdp_session(page)
            session.send("Performance.enable")
            self.sessions.append(session)
        self.processes = [psutil.Process(pid) for pid in pids]
        self.nodes_by_page: list[int] = []

    def sample(self) -> dict[str, float]:
        heap = nodes = 0.0
        self.nodes_by_page = []
        for session in self.sessions:
            session.send("HeapProfiler.collectGarbage")
            metrics = {
                m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]
            }
            heap += metrics["JSHeapUsedSize"] / 2**20
            nodes += metrics["Nodes"]
            self.nodes_by_page.append(int(metrics["Nodes"]))
        rss = sum(process.memory_info().rss for process in self.processes) / 2**20
        return {"js_heap_mb": heap, "dom_nodes": nodes, "server_rss_mb": rss}


def errors_on(pages: list[Page]) -> int:
    return sum(
        1
        for page in pages
        if page.query_selector("#wall-screen") is None or "/wall/" not in page.url
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--speed", type=float, default=10.0, help="feed rate multiplier")
    parser.add_argument("--screens", default="", help="comma list (default: every demo screen)")
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=0.0, help="default: a third of the run")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=1.0,
        help="multiplies the allowances (a short run sees windows still filling)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "soak.json")
    parser.add_argument("--per-screen", action="store_true", help="print nodes per screen")
    parser.add_argument("--docs", action="store_true", help="write docs/reliability.md's table")
    args = parser.parse_args(argv)
    duration = args.minutes * 60
    interval = args.interval or max(5.0, duration / 120)
    warmup = args.warmup or duration / 3
    with tempfile.TemporaryDirectory() as tmp:
        config = accelerated_config(Path(tmp), args.speed)
        screens = args.screens.split(",") if args.screens else displays(config)
        stack = Stack(Path(tmp), config).start()
        assert stack.record is not None
        settings = Settings(
            config_path=config, port=stack.web_port, database_url=stack.record.database_url
        )
        demo = prepare_demo(settings, Path(tmp) / "demo")
        env = {**stack.env(), **demo.env}
        helpers = [
            PartProcess(["feeds", "--config", str(config)], env).start(wait=False),
            PartProcess(["demo-sources"], env).start(wait=False),
        ]
        samples: list[dict[str, float]] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                pages = []
                for screen in screens:
                    context = browser.new_context(viewport={"width": 1920, "height": 1080})
                    page = context.new_page()
                    page.goto(stack.wall_url(screen, bench=False))
                    page.wait_for_selector(READY, timeout=60000)
                    pages.append(page)
                sampler = Sampler(pages, [*stack.pids(), helpers[0].pid])
                started = time.monotonic()
                while (elapsed := time.monotonic() - started) < duration:
                    samples.append({"t": round(elapsed, 1), **sampler.sample()})
                    last = samples[-1]
                    if args.per_screen:
                        print(dict(zip(screens, sampler.nodes_by_page, strict=True)))
                    print(
                        f"{elapsed:7.0f}s heap {last['js_heap_mb']:7.1f} MB  nodes "
                        f"{last['dom_nodes']:8.0f}  server RSS {last['server_rss_mb']:7.1f} MB",
                        flush=True,
                    )
                    time.sleep(max(0.0, interval - (time.monotonic() - started - elapsed)))
                broken = errors_on(pages)
                browser.close()
        finally:
            for helper in helpers:
                helper.stop()
            demo.stop()
            stack.stop()
    times = [s["t"] for s in samples]
    verdicts = [
        judge(name, times, [s[name] for s in samples], warmup, args.tolerance) for name in ALLOWANCE
    ]
    report = {
        "minutes": args.minutes,
        "speed": args.speed,
        "screens": screens,
        "warmup_s": warmup,
        "samples": samples,
        "verdicts": [asdict(v) for v in verdicts],
        "error_pages": broken,
        "bounded": all(v.bounded for v in verdicts) and not broken,
    }
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    plot(report, DOCS / "img" / "soak.png" if args.docs else args.out.with_suffix(".png"))
    if args.docs:
        replace_section(DOCS / "reliability.md", "soak", soak_markdown(report))
    return report


def soak_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"`python -m bench.soak --minutes {report['minutes']:g}`: the demo wall with every feed "
        f"at {report['speed']:g}x its cadence, {len(report['screens'])} screens "
        f"({', '.join(report['screens'])}), {len(report['samples'])} samples, the first "
        f"{report['warmup_s'] / 60:.0f} min as warm-up. Verdict: "
        f"**{'bounded' if report['bounded'] else 'GROWS'}**, {report['error_pages']} error pages.",
        "",
        "| series (sum over screens) | after warm-up | at the end | fitted slope per hour | "
        "fitted growth | allowed | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for v in report["verdicts"]:
        lines.append(
            f"| {v['series']} | {v['first']} | {v['last']} | {v['slope_per_hour']} | "
            f"{v['fitted_growth']} | {v['allowed_growth']} | "
            f"{'bounded' if v['bounded'] else 'GROWS'} |"
        )
    lines += ["", "![soak](img/soak.png)"]
    return "\n".join(lines)


def displays(config: Path) -> list[str]:
    from opswall.config.loader import load_config
    from opswall.tiles import default_registry

    return [screen.id for screen in load_config(config, default_registry()).displays()]


def print_table(report: dict[str, Any]) -> None:
    print(
        f"soak: {report['minutes']:g} min at {report['speed']:g}x, {len(report['screens'])} "
        f"screens, warm-up {report['warmup_s']:.0f} s, {len(report['samples'])} samples"
    )
    head = (
        f"{'series':14} {'first':>9} {'last':>9} {'slope/h':>9} {'fit growth':>10} "
        f"{'allowed':>8} verdict"
    )
    print(head)
    print("-" * len(head))
    for v in report["verdicts"]:
        print(
            f"{v['series']:14} {v['first']:>9} {v['last']:>9} {v['slope_per_hour']:>9} "
            f"{v['fitted_growth']:>10} {v['allowed_growth']:>8} "
            f"{'bounded' if v['bounded'] else 'GROWS'}"
        )
    print(
        f"error pages: {report['error_pages']}; verdict: {'PASS' if report['bounded'] else 'FAIL'}"
    )


def plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    samples = report["samples"]
    minutes = [s["t"] / 60 for s in samples]
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for axis, name in zip(axes, ALLOWANCE, strict=True):
        axis.plot(minutes, [s[name] for s in samples], color="#2f81f7")
        axis.axvline(report["warmup_s"] / 60, color="#888", linestyle=":", label="warm-up ends")
        axis.set_title(name.replace("_", " "))
        axis.set_xlabel("minutes")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    figure.suptitle(
        f"soak: {len(report['screens'])} screens, feeds at {report['speed']:g}x their cadence"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


if __name__ == "__main__":
    raise SystemExit(0 if main()["bounded"] else 1)
