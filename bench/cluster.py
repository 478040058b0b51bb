"""Scaling out: the same load on one gateway over one redis-server, on two gateway replicas over
the same server, and on two replicas over a 3-node Redis Cluster (sharded streams), in one run.

usage: python -m bench.cluster            (48 feeds, 192 screens showing 8 each, rate steps)
       python -m bench.cluster --quick    (the CI form: fewer, shorter steps)

Each gateway replica is held to the same share of a core (`--gateway-cpus`, 0.5 by default) by
a cgroup CPU quota, as a container limit holds it in production. Unlimited, one replica on this
2-core machine would take the core the second replica needs, and the ratio would measure the
machine. The generator (`Firehose`, pipelined XADDs) and the synthetic screens
(`bench.ws_screens`, raw websocket clients in one process) are cheap, so the gateways are the
limit. Screens are spread evenly over the gateways as a balancer would.

Each step raises every feed's rate; a step is sustained when the screens receive at least 95 %
of what was produced times the screens, with the 99th percentile of delivery lag (XADD -> frame
received) under 100 ms in at least 2 of its 3 thirds (one pause of the machine's other work
lands in one third; a saturated gateway's queue grows through all three). The highest
sustained delivery of each topology, and their ratio, are the result. Figures and the machine
go to bench/results/cluster.json and, with --docs, docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.cpu_limit import CpuLimit
from bench.docs_section import DOCS, replace_section
from bench.live_path import machine, percentile
from bench.stack import Firehose, Stack, bench_config

RESULTS = Path(__file__).parent / "results"
BUDGET_MS = 100.0
WINDOWS = 3
SHARDS = 6  # two hash slots per node: six readers per gateway, batches stay large
# Each gateway replica's share of a core (a container limit): the machine has 2 cores, so
# unlimited replicas would measure the machine instead of the gateway tier.
GATEWAY_CPUS = 0.5
# Each screen shows 8 of the 48 feeds (6 different sets, as a wall's screens show different
# tiles): the gateways still read everything and write a frame per screen, while the screens'
# client, which shares the machine, receives a sixth of the bytes.
PER_SCREEN = 8
ROOT = Path(__file__).parents[1]


@dataclass(frozen=True)
class Topology:
    name: str
    gateways: int
    cluster: bool


TOPOLOGIES = (
    Topology("1 gateway, 1 redis-server", 1, False),
    Topology("2 gateways, 1 redis-server", 2, False),
    Topology("2 gateways, 3-node Redis Cluster", 2, True),
)


@dataclass
class Step:
    rate_per_feed: float
    produced_per_s: float
    delivered_per_s: float
    expected_per_s: float
    p50_ms: float
    p99_ms: float
    gateway_cpu: float  # cores, summed over the gateway processes
    machine_cpu: float  # cores busy on the whole machine: shows it was not the limit
    windows_ok: int  # of WINDOWS sub-windows with p99 under the budget
    sustained: bool


class ScreenReport(threading.Thread):
    """Reads the synthetic screens' one-line-per-second reports: a running total of entries
    received with the time of the last report, and the lag samples in a queue."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.total = 0
        self.at = time.time()
        self.open = 0

    def run(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                report = json.loads(line)
            except ValueError:
                continue  # cut short when the screens process was stopped
            self.total += report["entries"]
            self.at, self.open = report["t"], report["open"]
            self.lines.put(report)

    def mark(self) -> tuple[int, float]:
        return self.total, self.at

    def drain(self) -> list[dict[str, Any]]:
        taken = []
        while not self.lines.empty():
            taken.append(self.lines.get_nowait())
        return taken

    def wait_open(self, screens: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.open >= screens:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the synthetic screens did not all connect in {timeout:.0f} s")


def measure_step(
    producer: Firehose,
    report: ScreenReport,
    gateways: list[psutil.Process],
    screens: float,  # screen-equivalents: screens x the share of the feeds each shows
    rate: float,
    seconds: float,
) -> Step:
    producer.rate = rate
    time.sleep(2.0)  # let queues settle at the new rate
    report.drain()
    for process in gateways:
        process.cpu_percent()
    psutil.cpu_percent()
    sent_before, started = producer.sent, time.monotonic()
    received_before, reported_before = report.mark()
    time.sleep(seconds)
    lines = report.drain()
    elapsed = time.monotonic() - started
    cpu = sum(process.cpu_percent() for process in gateways) / 100
    machine_cpu = psutil.cpu_percent() * (psutil.cpu_count() or 1) / 100
    produced = (producer.sent - sent_before) / elapsed
    received, reported = report.mark()
    delivered = (received - received_before) / max(1e-3, reported - reported_before)
    lags = sorted(lag for line in lines for lag in line["lags"])
    p50 = percentile(lags, 50) if lags else float("inf")
    p99 = percentile(lags, 99) if lags else float("inf")
    expected = produced * screens
    windows_ok = sum(p99 < BUDGET_MS for p99 in window_p99s(lines))
    return Step(
        rate,
        round(produced, 1),
        round(delivered, 1),
        round(expected, 1),
        round(p50, 1),
        round(p99, 1),
        round(cpu, 2),
        round(machine_cpu, 2),
        windows_ok,
        delivered >= 0.95 * expected and windows_ok >= WINDOWS - 1,
    )


def window_p99s(lines: list[dict[str, Any]]) -> list[float]:
    """The p99 lag of each of WINDOWS consecutive parts of a step. A step passes with one
    window over the budget: a single pause (a collector pass, the machine's other work) lands in
    one window, while a saturated gateway's queue grows through all of them."""
    size = -(-len(lines) // WINDOWS)
    parts = [lines[i : i + size] for i in range(0, len(lines), size)] if lines else []
    p99s = []
    for part in parts:
        lags = sorted(lag for line in part for lag in line["lags"])
        p99s.append(percentile(lags, 99) if lags else float("inf"))
    return p99s + [float("inf")] * (WINDOWS - len(p99s))


def run_topology(
    topology: Topology,
    feeds: int,
    screens: int,
    rates: list[float],
    seconds: float,
    gateway_cpus: float,
    per_screen: int,
) -> list[Step]:
    shards = SHARDS if topology.cluster else 0
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "wall.yaml"
        config.write_text(bench_config(feeds, rates[0], shards=shards), encoding="utf-8")
        stack = Stack(
            Path(tmp),
            config,
            gateways=topology.gateways,
            cluster=topology.cluster,
            appendonly=False,
            balanced=False,
            gateway_cpus=gateway_cpus,
        ).start()
        assert stack.record is not None
        producer = Firehose(stack.redis_url, feeds, rates[0], shards=shards)
        urls = [
            arg
            for port in stack.gateway_ports
            for arg in ("--url", f"ws://127.0.0.1:{port}/ws/bench")
        ]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.ws_screens",
                "--screens",
                str(screens),
                # One argument: a token may begin with "-", which argparse would take for a flag.
                f"--token={stack.record.viewer_token}",
                "--feeds",
                str(feeds),
                "--per-screen",
                str(per_screen),
                *urls,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        report = ScreenReport(process)
        report.start()
        steps: list[Step] = []
        try:
            producer.start()
            report.wait_open(screens)
            time.sleep(5.0)  # every screen's first snapshot is out before the first step
            gateways = [psutil.Process(part.pid) for part in stack.gateway_parts]
            for rate in rates:
                share = per_screen / feeds if per_screen else 1.0
                step = measure_step(producer, report, gateways, screens * share, rate, seconds)
                steps.append(step)
                print(
                    f"  {topology.name:<34} {rate:6.1f}/s per feed  "
                    f"produced {step.produced_per_s:7.0f}/s  "
                    f"delivered {step.delivered_per_s:8.0f}/s of {step.expected_per_s:8.0f}  "
                    f"p99 {step.p99_ms:7.1f} ms ({step.windows_ok}/{WINDOWS} ok)  "
                    f"gateways {step.gateway_cpu:4.2f} cores, machine {step.machine_cpu:4.2f}  "
                    f"{'ok' if step.sustained else 'SATURATED'}",
                    flush=True,
                )
                if not step.sustained and len(steps) >= 2 and not steps[-2].sustained:
                    break  # two saturated steps in a row: the ceiling is found
        finally:
            producer.stopping.set()
            producer.join(5)
            process.terminate()
            process.wait(10)
            stack.stop()
    return steps


def best(steps: list[Step]) -> float:
    return max((s.delivered_per_s for s in steps if s.sustained), default=0.0)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the CI form")
    parser.add_argument("--feeds", type=int, default=0)
    parser.add_argument("--screens", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS / "cluster.json")
    parser.add_argument("--docs", action="store_true", help="write docs/reliability.md's table")
    parser.add_argument(
        "--gateway-cpus",
        type=float,
        default=GATEWAY_CPUS,
        help="each gateway's share of a core, as a container limit (0: none)",
    )
    parser.add_argument("--rates", help="comma-separated rates per feed (entries/s)")
    parser.add_argument("--only", help="comma-separated topology numbers, from 1")
    parser.add_argument(
        "--per-screen", type=int, default=-1, help="feeds each screen shows (0: all)"
    )
    args = parser.parse_args(argv)
    gateway_cpus = args.gateway_cpus
    if gateway_cpus and not CpuLimit.available():
        print("no cgroup cpu controller here (needs root): gateways run without a CPU limit")
        gateway_cpus = 0.0
    feeds = args.feeds or (12 if args.quick else 48)
    screens = args.screens or (4 if args.quick else 192)
    per_screen = args.per_screen if args.per_screen >= 0 else (0 if args.quick else PER_SCREEN)
    full = [32.0, 48.0, 64.0, 72.0, 80.0, 88.0, 96.0, 112.0, 128.0, 144.0, 160.0, 192.0, 256.0]
    rates = [2.0, 8.0] if args.quick else full
    if args.rates:
        rates = [float(r) for r in args.rates.split(",")]
    topologies = [TOPOLOGIES[int(n) - 1] for n in (args.only.split(",") if args.only else "123")]
    seconds = 3.0 if args.quick else 9.0
    results = {}
    for topology in topologies:
        results[topology.name] = run_topology(
            topology, feeds, screens, rates, seconds, gateway_cpus, per_screen
        )
    ceilings = {t.name: best(results[t.name]) for t in topologies}
    single = ceilings[topologies[0].name]
    report: dict[str, Any] = {
        "form": "quick" if args.quick else "full",
        "machine": machine(),
        "feeds": feeds,
        "screens": screens,
        "budget_ms": BUDGET_MS,
        "gateway_cpus": gateway_cpus,
        "per_screen": per_screen,
        "topologies": {name: [asdict(s) for s in steps] for name, steps in results.items()},
        "max_sustained": ceilings,
        "gain": {name: round(c / single, 2) if single else None for name, c in ceilings.items()},
    }
    for name, ceiling in ceilings.items():
        print(f"max sustained delivery, {name}: {ceiling:.0f}/s (x{report['gain'][name]})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.docs:
        replace_section(DOCS / "reliability.md", "cluster", cluster_markdown(report))
    return report


def describe(host: dict[str, Any]) -> str:
    return f"{host['cpus']} CPUs, {host['memory_gib']} GiB, Python {host['python']}"


def cluster_markdown(report: dict[str, Any]) -> str:
    cpus = report.get("gateway_cpus") or 0
    limit = (
        f"each gateway held to {cpus:g} of a core by a cgroup CPU quota (a container's "
        f"`cpus: {cpus:g}`)"
        if cpus
        else "gateways without a CPU limit"
    )
    per = report.get("per_screen") or 0
    shows = f" (each showing {per} of the feeds, in {report['feeds'] // per} sets)" if per else ""
    lines = [
        f"`python -m bench.cluster` ({report['form']} form) on {describe(report['machine'])}: "
        f"{report['feeds']} feeds, {report['screens']} synthetic screens{shows} spread evenly "
        f"over the gateways, {limit}, every feed's rate raised step by step. Delivered = entries "
        "received per second over all screens; a step is sustained at >= 95 % of produced x "
        "screens x the share of feeds each shows, with p99 lag under "
        f"{report['budget_ms']:.0f} ms in at least 2 of its 3 thirds. Machine cores = CPU busy "
        f"on the whole machine (of {report['machine']['cpus']}), to show it was not the limit.",
        "",
        "| topology | rate per feed | produced/s | delivered/s | p50 ms | p99 ms "
        "| thirds ok | gateway cores | machine cores | sustained |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, steps in report["topologies"].items():
        for s in steps:
            lines.append(
                f"| {name} | {s['rate_per_feed']:g} | {s['produced_per_s']:.0f} | "
                f"{s['delivered_per_s']:.0f} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | "
                f"{s['windows_ok']}/{WINDOWS} | {s['gateway_cpu']:.2f} | "
                f"{s['machine_cpu']:.2f} | {'yes' if s['sustained'] else 'no'} |"
            )
    lines += [
        "",
        "Highest sustained delivery (where a topology's last step is still sustained, its "
        "ceiling lies above the highest rate run):",
    ]
    for name, ceiling in report["max_sustained"].items():
        top = max(
            (s for s in report["topologies"][name] if s["sustained"]),
            key=lambda s: s["delivered_per_s"],
            default=None,
        )
        per_core = (
            f", {top['delivered_per_s'] / top['gateway_cpu'] / 1000:.0f}k deliveries per gateway "
            f"core there (from {top['produced_per_s']:.0f} XADD/s)"
            if top and top["gateway_cpu"]
            else ""
        )
        lines.append(
            f"- {name}: **{ceiling:.0f}/s** (x{report['gain'][name]} of one gateway){per_core}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
