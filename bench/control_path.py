"""Latency from a leader's tap to every open wall screen showing the new scene.

usage: python -m bench.control_path [--screens 2,4] [--switches 40]

Each switch is a real POST /api/control by a signed-in leader (session cookie + CSRF token), as
the panel sends it. Each page records, in requestAnimationFrame after its root element shows the
new scene, the epoch time it was painted; a switch's latency is the latest page's time minus the
time the POST started. The wall state travels Redis -> gateway -> screens -> web render, as in
production. A switch also carries live feed traffic (5 feeds at 5 Hz) to keep the path honest.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import sync_playwright

from bench.live_path import machine, percentile
from bench.stack import Producer, open_pages
from opswall.runtime.ports import free_port
from opswall.runtime.processes import PartProcess
from opswall.runtime.redis_provider import RedisServer
from opswall.testing import CHROMIUM_ARGS, chromium_path, provision

RESULTS = Path(__file__).parent / "results"
SCENES = ("alpha", "beta", "gamma", "delta")

# Each page timestamps the paint after its root shows a scene it did not show before.
SCENE_PROBE = """
window.__switches = [];
let shown = null;
new MutationObserver(() => {
  const root = document.getElementById('wall-screen');
  const scene = root ? root.dataset.scene : null;
  if (scene && scene !== shown) {
    shown = scene;
    requestAnimationFrame(() =>
      window.__switches.push([scene, performance.timeOrigin + performance.now()]));
  }
}).observe(document,
  {childList: true, subtree: true, attributes: true, attributeFilter: ['data-scene']});
"""


def bench_config(screens: int) -> str:
    feeds = "\n".join(
        f"  - {{id: f{i}, label: F{i}, cadence: 200ms, source: {{kind: redis}}}}" for i in range(5)
    )
    layouts = []
    for scene in SCENES:
        tiles = "\n".join(
            f"      - {{id: {scene}-{i}, type: kpi, at: {{col: {i + 1}, row: 1}}, feed: f{i}}}"
            for i in range(4)
        )
        layouts.append(
            f"  - id: {scene}-layout\n    title: {scene}\n    display: false\n"
            f"    grid: {{cols: 4, rows: 1}}\n    tiles:\n{tiles}"
        )
    displays = "\n".join(
        f"  - id: s{n}\n    title: Screen {n}\n    grid: {{cols: 1, rows: 1}}\n    tiles:\n"
        f"      - {{id: s{n}-kpi, type: kpi, at: {{col: 1, row: 1}}, feed: f0}}"
        for n in range(screens)
    )
    shows = ", ".join(f"s{n}: LAYOUT" for n in range(screens))
    scenes = "\n".join(
        f"  - {{id: {s}, title: {s}, show: {{{shows.replace('LAYOUT', s + '-layout')}}}}}"
        for s in SCENES
    )
    return (
        "version: 1\nwall: {name: Bench, locale: en}\nfeeds:\n"
        f"{feeds}\nscreens:\n{displays}\n" + "\n".join(layouts) + f"\nscenes:\n{scenes}\n"
    )


@dataclass
class Result:
    screens: int
    switches: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def csrf_of(session: requests.Session, base: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{base}/login").text)
    assert found is not None
    return found.group(1)


def sign_in(base: str, password: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    session.post(
        f"{base}/login",
        data={"username": "leader", "password": password, "csrf_token": csrf_of(session, base)},
    )
    return session, csrf_of(session, base)  # a new session, a new token


def run(screens: int, switches: int, tmp: Path, browser: Any) -> Result:
    config = tmp / f"control-{screens}.yaml"
    config.write_text(bench_config(screens), encoding="utf-8")
    directory = tmp / f"record-{screens}"
    directory.mkdir()
    record = provision(directory)
    server = RedisServer(free_port(), tmp / f"redis-{screens}").start()
    producer = Producer(server.url, 5, 5.0)
    gw, web = free_port(), free_port()
    env = {"OPSWALL_REDIS_URL": server.url, **record.env}
    parts = [
        PartProcess(
            ["gateway", "--config", str(config), "--port", str(gw)],
            env,
            f"http://127.0.0.1:{gw}/healthz",
        ).start(),
        PartProcess(
            ["web", "--config", str(config), "--port", str(web), "--gateway-port", str(gw)],
            env,
            f"http://127.0.0.1:{web}/healthz",
        ).start(),
    ]
    producer.start()
    base = f"http://127.0.0.1:{web}"
    try:
        pages = []
        for n in range(screens):
            pages += open_pages(
                browser,
                [f"{base}/wall/s{n}?token={record.viewer_token}"],
                "#wall-screen[data-link=up]",
                SCENE_PROBE,
            )
        session, csrf = sign_in(base, record.password)
        latencies = []
        for i in range(switches):
            scene = SCENES[i % len(SCENES)]
            started = time.time() * 1000
            reply = session.post(
                f"{base}/api/control",
                json={"action": "scene", "scene": scene},
                headers={"X-CSRF-Token": csrf},
            )
            assert reply.status_code == 200, reply.text
            painted = []
            for page in pages:
                page.wait_for_function(
                    "s => window.__switches.some(x => x[0] === s)", arg=scene, timeout=10000
                )
                painted.append(
                    page.evaluate("s => window.__switches.filter(x => x[0] === s).pop()[1]", scene)
                )
                page.evaluate("() => { window.__switches = []; }")
            latencies.append(max(painted) - started)
            time.sleep(0.3)
        for page in pages:
            page.context.close()
    finally:
        producer.stopping.set()
        producer.join(5)
        for part in parts:
            part.stop()
        server.stop()
    return Result(
        screens,
        switches,
        round(percentile(latencies, 50), 1),
        round(percentile(latencies, 95), 1),
        round(percentile(latencies, 99), 1),
        round(max(latencies), 1),
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", default="2,4", help="screen count, or a comma list")
    parser.add_argument("--switches", type=int, default=40)
    parser.add_argument("--out", type=Path, default=RESULTS / "control_path.json")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for count in (int(n) for n in str(args.screens).split(",")):
            results.append(run(count, args.switches, Path(tmp), browser))
        browser.close()
    report = {"machine": machine(), "results": [asdict(r) for r in results]}
    head = f"{'screens':>7} {'switches':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    print("tap -> every screen painted in the new scene")
    print(head)
    print("-" * len(head))
    for r in results:
        figures = (r.switches, r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms)
        print(f"{r.screens:>7} " + " ".join(f"{f:>8}" for f in figures))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
