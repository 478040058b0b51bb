"""The browser-cost part's figures as text: the table in docs/performance.md, its targets, and
the plot (docs/img/browser_cost.png). A run recorded before the issue 22 changes
(bench/results/browser_cost_before.json) is shown beside the new one."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
BEFORE = RESULTS / "browser_cost_before.json"
PLOT = Path(__file__).parents[1] / "docs" / "img" / "browser_cost.png"

# (label, how to read the figure from a report, the target, at most (True) or at least)
TARGETS: list[tuple[str, str, float, bool]] = [
    ("idle page, 20 KPIs at 1 update/s: main thread ms per s", "idle_kpi", 10.0, True),
    ("main thread ms per KPI update", "per_kpi", 0.15, True),
    ("main thread ms per chart point", "per_chart", 0.5, True),
    ("Dash native ms per update / ours", "dash_ratio", 5.0, False),
    ("24 tiles: navigation to every tile live, cold cache (ms)", "live_cold", 1000.0, True),
    ("24 tiles: transferred, cold cache (kB)", "kb_cold", 1536.0, True),
]


def row(report: dict[str, Any], kind: str, res: str = "1080p") -> dict[str, Any] | None:
    for r in report["updates"]:
        if r["kind"] == kind and r["resolution"] == res:
            found: dict[str, Any] = r
            return found
    return None


def figure(report: dict[str, Any], name: str) -> float:
    def per(kind: str) -> float:
        r = row(report, kind)
        return float(r["per_update"]["TaskDuration"]) if r else math.nan

    if name == "idle_kpi":
        r = row(report, "kpi")
        return float(r["idle"]["TaskDuration"]) if r else math.nan
    if name == "per_kpi":
        return per("kpi")
    if name == "per_chart":
        return per("chart_point")
    if name == "dash_ratio":
        return per("dash_native_kpi") / per("kpi") if per("kpi") > 0 else math.nan
    if name == "live_cold":
        return float(report["page"]["cold"]["all_live_ms"])
    return float(report["page"]["cold"]["kb"])


def before() -> dict[str, Any] | None:
    if not BEFORE.exists():
        return None
    old: dict[str, Any] = json.loads(BEFORE.read_text(encoding="utf-8"))
    return old


def targets_markdown(report: dict[str, Any], old: dict[str, Any] | None) -> list[str]:
    lines = ["| target | before | now | target | met |", "|---|---|---|---|---|"]
    for label, name, bound, at_most in TARGETS:
        now = figure(report, name)
        was = figure(old, name) if old else math.nan
        met = now <= bound if at_most else now >= bound
        sign = "<=" if at_most else ">="
        verdict = "yes" if met else "**no**"
        lines.append(f"| {label} | {fmt(was)} | {fmt(now)} | {sign} {bound:g} | {verdict} |")
    return lines


def fmt(v: float) -> str:
    if math.isnan(v):
        return "–"
    return f"{v:.3f}" if abs(v) < 1 else f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}"


def updates_markdown(report: dict[str, Any], old: dict[str, Any] | None) -> list[str]:
    lines = [
        "| tile type | screen | tiles | idle ms/s (before) | ms per update (before) "
        "| script | layout | style | updates/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["updates"]:
        o = row(old, r["kind"], r["resolution"]) if old else None
        idle, per = r["idle"], r["per_update"]
        was_idle = fmt(o["idle"]["TaskDuration"]) if o else "–"
        was_per = fmt(o["per_update"]["TaskDuration"]) if o else "–"
        lines.append(
            f"| {r['kind']} | {r['resolution']} | {r['tiles']} "
            f"| {fmt(idle['TaskDuration'])} ({was_idle}) "
            f"| {fmt(per['TaskDuration'])} ({was_per}) | {fmt(per['ScriptDuration'])} "
            f"| {fmt(per['LayoutDuration'])} | {fmt(per['RecalcStyleDuration'])} "
            f"| {r['loaded']['updates_per_s']:.1f} |"
        )
    return lines


def page_markdown(report: dict[str, Any], old: dict[str, Any] | None) -> list[str]:
    lines = [
        "| load | requests | transferred kB | DOMContentLoaded ms | every tile live ms "
        "| charts drawn ms |",
        "|---|---|---|---|---|---|",
    ]
    for label, rep in (("before", old), ("now", report)):
        if not rep:
            continue
        for cache in ("cold", "warm"):
            p = rep["page"][cache]
            lines.append(
                f"| {label}, {cache} cache | {p['requests']} | {p['kb']:g} | {p['dom_ready_ms']} "
                f"| {p['all_live_ms']} | {p['charts_drawn_ms']} |"
            )
    return lines


def markdown(report: dict[str, Any]) -> str:
    old = before()
    page = report["page"]
    lines = [
        f"Run of `python -m bench --only browser-cost` ({report['seconds']:g} s windows; "
        f"{report['machine']['cpus']} CPUs shared with other work, headless Chromium, software "
        "rasterising). Main-thread time is Chromium's own (Performance.getMetrics); per update "
        "= extra ms / extra updates between a 1 update/s window and a busy one. Before = "
        "the same harness on the code before issue 22; compare ratios within a run.",
        "",
        *targets_markdown(report, old),
        "",
        "The 12 screens x 30 feeds x 2 Hz XADD -> painted p99 target is the main suite's matrix "
        "(above); this part measures one page at a time.",
        "",
        *updates_markdown(report, old),
        "",
        f"**Page weight and load**, {page['tiles']} tiles ({page['charts']} charts), "
        f"median of {page['loads']}:",
        "",
        *page_markdown(report, old),
        "",
        "![browser cost](img/browser_cost.png)",
    ]
    return "\n".join(lines)


def plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    old = before()
    figure_, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    kinds = [r for r in report["updates"] if r["resolution"] == "1080p"]
    names = [r["kind"] for r in kinds]
    xs = range(len(names))
    now = [max(1e-3, r["per_update"]["TaskDuration"]) for r in kinds]
    if old:
        was = [
            max(
                1e-3,
                (row(old, n) or {"per_update": {"TaskDuration": math.nan}})["per_update"][
                    "TaskDuration"
                ],
            )
            for n in names
        ]
        left.bar([x - 0.2 for x in xs], was, width=0.4, label="before", color="#bbbbbb")
    left.bar(
        [x + 0.2 for x in xs] if old else list(xs), now, width=0.4, label="now", color="#1f77b4"
    )
    left.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
    left.set_yscale("log")
    left.set_ylabel("main-thread ms per update (1080p)")
    left.grid(alpha=0.3, axis="y", which="both")
    left.legend(fontsize=8)
    left.set_title("cost per applied update")
    idle_now = [max(0.1, r["idle"]["TaskDuration"]) for r in kinds]
    if old:
        idle_was = [
            max(0.1, (row(old, n) or {"idle": {"TaskDuration": math.nan}})["idle"]["TaskDuration"])
            for n in names
        ]
        right.bar([x - 0.2 for x in xs], idle_was, width=0.4, label="before", color="#bbbbbb")
    right.bar(
        [x + 0.2 for x in xs] if old else list(xs),
        idle_now,
        width=0.4,
        label="now",
        color="#2ca02c",
    )
    right.axhline(10, color="#d62728", linestyle=":", label="10 ms/s target")
    right.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
    right.set_ylabel("main-thread ms per second at 1 update/s")
    right.grid(alpha=0.3, axis="y")
    right.legend(fontsize=8)
    right.set_title("idle cost")
    figure_.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure_.savefig(path, dpi=90)
    plt.close(figure_)
