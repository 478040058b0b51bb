"""Scale-out with real screens: two gateway processes over a 3-node Redis Cluster started here,
four Chromium screens spread over both through the balancer, every entry audited against the
streams, and a leader's action reaching the screens of both gateways."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from redis.crc import key_slot

from bench.chaos import Run, audit, caught_up, error_pages, feed_of, stream_tails
from bench.stack import Producer, Stack, bench_config, newest_sent, open_pages
from opswall.config.loader import load_config
from opswall.control.store import ControlStore
from opswall.store.redis_client import SyncClient, connect
from opswall.tiles import default_registry

READY = "#wall-screen[data-link=up]"
FEEDS, RATE, SHARDS = 12, 4.0, 8

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
    with cluster_wall(tmp_path, browser, screens=4) as (stack, producer, client, pages):
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
        assert checked >= FEEDS * len(pages) * 10  # every page audited over the streams
        assert lost == 0 and twice == 0
        # A leader's action, written once on the cluster, reaches the screens of both gateways.
        wall = load_config(stack.config, default_registry())
        action = {"action": "focus", "screen": "bench", "layout": "bench", "tile": "t3"}
        ControlStore(connect(stack.redis_url)).apply(action, "leader", wall)
        for page in pages:
            page.wait_for_selector("#wall-screen[data-focus=t3]", timeout=20000)


@pytest.mark.timeout(600)
def test_a_primary_killed_under_load_fails_over_and_screens_lose_nothing_left_in_the_streams(
    tmp_path: Path, browser: Browser
) -> None:
    """kill -9 of the cluster primary holding feed bench0 while screens are open and feeds run:
    its replica takes over, the tiles of the feeds it held show as down meanwhile (the others
    never do), then flow again by themselves; every entry in the streams afterwards was applied
    once.
    Entries the dead primary acknowledged but had not yet copied to its replica are gone from the
    stream (Redis replicates asynchronously): no screen can be expected to show those."""
    with cluster_wall(tmp_path, browser, screens=2, replicas=1) as (
        stack,
        producer,
        client,
        pages,
    ):
        run = Run(stack, producer, pages, 0.0, client)
        time.sleep(3)
        keys = producer.keys()
        owner = stack.primary_ports(keys)
        victim = owner[producer.key(0)]
        hit = [feed_of(key) for key, port in owner.items() if port == victim]
        spared = [feed_of(key) for key, port in owner.items() if port != victim]
        assert hit and spared  # the streams are spread: one primary holds only some feeds
        marks = stream_tails(client, keys)
        assert stack.kill_primary_of(producer.key(0)) == victim
        killed_ms = run.now_ms()  # nothing sent from now on can reach the dead primary
        hit_down = spared_down = False
        labels: set[str] = set()
        reported: list[object] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not hit_down and all(freshness(page, hit) == {"down"} for page in pages):
                hit_down, labels = True, age_labels(pages[0], hit)
                reported = [gateway_status(port)["unreachable"] for port in stack.gateway_ports]
            spared_down = spared_down or any("down" in freshness(page, spared) for page in pages)
            if all(newest_sent(page, hit) > killed_ms for page in pages):
                break
            time.sleep(0.25)
        back_after_s = (run.now_ms() - killed_ms) / 1000
        assert all(newest_sent(page, hit) > killed_ms for page in pages), "never came back"
        # The wall said which tiles it could not read, and only those: the others (their
        # writes may have stalled too, in this one-thread producer) were judged by their age.
        assert hit_down and not spared_down
        assert labels and all(label.startswith("⚠ NO SOURCE · ") for label in labels), labels
        assert reported == [sorted(hit)] * 2  # each gateway's /healthz names them for operators
        assert stack.redis_cluster is not None  # a replica took over the dead primary's slots:
        promoted = stack.redis_cluster.primary_port(key_slot(producer.key(0).encode()))
        assert promoted not in (None, victim)
        time.sleep(2)
        producer.running.clear()
        time.sleep(0.5)
        tails = stream_tails(client, keys)
        caught_up(run, tails)
        checked, lost, twice, _ = audit(run, marks, tails, [0] * len(pages))
        assert checked >= FEEDS * len(pages) * 10
        assert lost == 0 and twice == 0
        assert error_pages(run) == 0
        for port in stack.gateway_ports:
            status = gateway_status(port)
            assert status["redis"] is True and status["unreachable"] == []
        for page in pages:
            assert "down" not in freshness(page, hit + spared)
        print(f"failover: {hit} back on every screen {back_after_s:.1f} s after the kill")


@contextmanager
def cluster_wall(
    tmp_path: Path, browser: Browser, screens: int, replicas: int = 0
) -> Iterator[tuple[Stack, Producer, SyncClient, list[Page]]]:
    """Two gateways on a 3-node cluster (with `replicas` per primary), feeds running, `screens`
    Chromium pages open on the bench screen through the balancer."""
    config = tmp_path / "wall.yaml"
    config.write_text(bench_config(FEEDS, RATE, shards=SHARDS), encoding="utf-8")
    stack = Stack(
        tmp_path, config, gateways=2, cluster=True, cluster_replicas=replicas, appendonly=False
    ).start()
    producer = Producer(stack.redis_url, FEEDS, RATE, shards=SHARDS)
    client = connect(stack.redis_url, socket_timeout=5)
    try:
        producer.start()
        pages = open_pages(browser, [stack.wall_url("bench")] * screens, READY)
        try:
            yield stack, producer, client, pages
        finally:
            for page in pages:
                page.context.close()
    finally:
        producer.stopping.set()
        producer.join(5)
        stack.stop()


def freshness(page: Page, feeds: list[str]) -> set[str]:
    """The freshness states (live, stale, down) the bench screen's tiles of `feeds` show."""
    return of_tiles(page, feeds, "tile.dataset.fresh")


def age_labels(page: Page, feeds: list[str]) -> set[str]:
    """What the tiles of `feeds` say of their age (and why it is not live)."""
    return of_tiles(page, feeds, "tile.querySelector('[data-role=age]').textContent")


def of_tiles(page: Page, feeds: list[str], expression: str) -> set[str]:
    """`expression` evaluated on the tile of each feed (the bench screen's t<i> shows bench<i>)."""
    script = f"""feeds => feeds.map(feed => {{
        const tile = document.querySelector('[data-tile="t' + feed.replace('bench', '') + '"]');
        return {expression};
    }})"""
    return set(page.evaluate(script, feeds))


def gateway_status(port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return dict(json.loads(response.read()))
