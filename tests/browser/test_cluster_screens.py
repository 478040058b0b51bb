"""Scale-out with real screens: two gateway processes over a 3-node Redis Cluster started here,
four Chromium screens spread over both through the balancer, every entry audited against the
streams, and a leader's action reaching the screens of both gateways."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.chaos import Run, audit, caught_up, stream_tails
from bench.stack import Producer, Stack, bench_config, open_pages
from opswall.config.loader import load_config
from opswall.control.store import ControlStore
from opswall.store.redis_client import connect
from opswall.tiles import default_registry

READY = "#wall-screen[data-link=up]"

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not (shutil.which("redis-server") and shutil.which("redis-cli")),
        reason="needs redis-server and redis-cli",
    ),
]


@pytest.mark.timeout(600)
def test_two_gateways_on_a_cluster_serve_screens_on_both_without_loss(
    tmp_path: Path, browser: Browser
) -> None:
    feeds, rate, shards = 12, 4.0, 8
    config = tmp_path / "wall.yaml"
    config.write_text(bench_config(feeds, rate, shards=shards), encoding="utf-8")
    stack = Stack(tmp_path, config, gateways=2, cluster=True, appendonly=False).start()
    producer = Producer(stack.redis_url, feeds, rate, shards=shards)
    client = connect(stack.redis_url, socket_timeout=5)
    try:
        producer.start()
        pages = open_pages(browser, [stack.wall_url("bench")] * 4, READY)
        try:
            assert stack.balancer is not None
            assert sorted(stack.balancer.open_per_upstream().values()) == [2, 2]
            for port in stack.gateway_ports:
                status = gateway_status(port)
                assert status["redis"] is True and status["screens"] == {"bench": 2}
            run = Run(stack, producer, pages, 0.0, client)
            marks = stream_tails(client, producer.keys())
            time.sleep(6)
            producer.running.clear()
            time.sleep(0.5)
            tails = stream_tails(client, producer.keys())
            caught_up(run, tails)
            checked, lost, twice, _ = audit(run, marks, tails, [0] * len(pages))
            assert checked >= feeds * len(pages) * 10  # every page audited over the streams
            assert lost == 0 and twice == 0
            # A leader's action, written once on the cluster, reaches the screens of both gateways.
            wall = load_config(config, default_registry())
            action = {"action": "focus", "screen": "bench", "layout": "bench", "tile": "t3"}
            ControlStore(connect(stack.redis_url)).apply(action, "leader", wall)
            for page in pages:
                page.wait_for_selector("#wall-screen[data-focus=t3]", timeout=20000)
        finally:
            for page in pages:
                page.context.close()
    finally:
        producer.stopping.set()
        producer.join(5)
        stack.stop()


def gateway_status(port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return dict(json.loads(response.read()))
