"""A real wall started for a benchmark, soak or chaos run: redis-server, gateway(s), web, and
headless Chromium pages on a screen, plus a producer whose entries carry their send time.

Everything is a separate process started the way production starts it (`opswall gateway`,
`opswall web`), so a fault injected here is the fault a site would see.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from playwright.sync_api import Browser, Page

from bench.cpu_limit import CpuLimit
from bench.tcp_proxy import TcpBalancer
from opswall.keys import feed_stream, sharded_feed_stream
from opswall.runtime.ports import free_port
from opswall.runtime.processes import PartProcess
from opswall.runtime.redis_provider import RedisClusterServers, RedisServer
from opswall.store.redis_client import connect
from opswall.testing import Provisioned, provision


def bench_config(feeds: int, rate: float, cols: int = 6, shards: int = 0) -> str:
    """A screen `bench` with one KPI tile per feed `bench<i>`, fed at `rate` entries/s; with
    `shards`, the streams are laid out for a Redis Cluster (wall.stream_shards)."""
    rows = -(-feeds // cols)
    lines = ["version: 1", f"wall: {{name: Bench, locale: en, stream_shards: {shards}}}", "feeds:"]
    lines += [
        f"  - {{id: bench{i}, label: Feed {i}, cadence: {1 / rate:.3f}s, source: {{kind: redis}}}}"
        for i in range(feeds)
    ]
    lines += [
        "screens:",
        "  - id: bench",
        "    title: Bench",
        f"    grid: {{cols: {cols}, rows: {rows}}}",
        "    tiles:",
    ]
    lines += [
        f"      - {{id: t{i}, type: kpi, at: {{col: {i % cols + 1}, row: {i // cols + 1}}}, "
        f"feed: bench{i}}}"
        for i in range(feeds)
    ]
    return "\n".join(lines) + "\n"


class Producer(threading.Thread):
    """XADDs `rate` entries per second to each feed, each carrying its send time (epoch ms).

    A write Redis refuses (down, or out of memory) is counted, not retried: such an entry never
    reached a stream, so no screen can be expected to show it.
    """

    def __init__(self, url: str, feeds: int, rate: float, shards: int = 0) -> None:
        super().__init__(daemon=True)
        self.client = connect(url, socket_timeout=2, socket_connect_timeout=1)
        self.feeds, self.rate, self.shards = feeds, rate, shards
        self.stopping = threading.Event()
        self.running = threading.Event()
        self.running.set()
        self.paused_feeds: set[int] = set()
        self.sent = 0
        self.refused: Counter[str] = Counter()

    def keys(self) -> list[str]:
        return [self.key(i) for i in range(self.feeds)]

    def key(self, index: int) -> str:
        feed = f"bench{index}"
        return sharded_feed_stream(feed, self.shards) if self.shards else feed_stream(feed)

    def run(self) -> None:
        next_at = time.monotonic()
        value = 1000.0
        while not self.stopping.is_set():
            interval = 1 / self.rate  # a benchmark may change the rate while it runs
            if not self.running.wait(0.1):
                next_at = time.monotonic()
                continue
            live = [i for i in range(self.feeds) if i not in self.paused_feeds]
            for chunk in range(0, len(live), 5):
                pipe = self.client.pipeline(transaction=False)
                for i in live[chunk : chunk + 5]:
                    value += 0.1
                    fields = {"value": f"{value:.1f}", "sent": f"{time.time() * 1000:.3f}"}
                    pipe.xadd(self.key(i), fields, maxlen=20000, approximate=True)  # type: ignore[arg-type]
                try:
                    pipe.execute()
                    self.sent += len(live[chunk : chunk + 5])
                except redis.RedisError as exc:
                    self.refused[type(exc).__name__] += len(live[chunk : chunk + 5])
                # Spread the feeds over the interval, as independent producers would be.
                time.sleep(interval / max(1, len(live) / 5) * 0.5)
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))


class Firehose(Producer):
    """XADDs `rate` entries per second to each feed as fast pipelined bursts every few
    milliseconds: a generator cheap enough to find a gateway tier's ceiling on a small machine
    (thousands of entries/s), where `Producer`'s one-chunk-at-a-time pacing is the limit."""

    TICK = 0.005
    BURST = 500  # entries per pipeline: one round trip carries many XADDs

    def run(self) -> None:
        started, due_before, index = time.monotonic(), 0.0, 0
        value = 1000.0
        while not self.stopping.is_set():
            time.sleep(self.TICK)
            now = time.monotonic()
            due_before += self.rate * self.feeds * (now - started)
            started = now
            count = int(due_before)
            due_before -= count
            while count > 0 and not self.stopping.is_set():
                burst = min(count, self.BURST)
                pipe = self.client.pipeline(transaction=False)
                sent_ms = f"{time.time() * 1000:.3f}"
                for _ in range(burst):
                    value += 0.1
                    fields = {"value": f"{value:.1f}", "sent": sent_ms}
                    pipe.xadd(self.key(index), fields, maxlen=20000, approximate=True)  # type: ignore[arg-type]
                    index = (index + 1) % self.feeds
                try:
                    pipe.execute()
                    self.sent += burst
                except redis.RedisError as exc:
                    self.refused[type(exc).__name__] += burst
                count -= burst


@dataclass
class Stack:
    """redis-server + `gateways` gateway processes + one web process on a config file."""

    directory: Path
    config: Path
    gateways: int = 1
    appendonly: bool = True
    cluster: bool = False  # a 3-node Redis Cluster instead of one redis-server
    cluster_replicas: int = 0  # replicas per cluster primary, so that a primary can fail over
    redis: RedisServer | None = None
    redis_cluster: RedisClusterServers | None = None
    record: Provisioned | None = None
    gateway_parts: list[PartProcess] = field(default_factory=list)
    gateway_ports: list[int] = field(default_factory=list)
    web: PartProcess | None = None
    web_port: int = 0
    # Pages reach the gateways through a balancer (as through nginx in production), which can
    # also cut or freeze one screen's connection.
    balanced: bool = True
    balancer: TcpBalancer | None = None
    # Each gateway held to this share of a core, as a container limit would (0: no limit).
    gateway_cpus: float = 0.0
    limits: list[CpuLimit] = field(default_factory=list)

    @property
    def redis_url(self) -> str:
        if self.redis_cluster is not None:
            return self.redis_cluster.url
        assert self.redis is not None
        return self.redis.url

    def env(self) -> dict[str, str]:
        assert self.record is not None
        return {"OPSWALL_REDIS_URL": self.redis_url, **self.record.env}

    def start(self) -> Stack:
        if self.cluster:
            self.redis_cluster = RedisClusterServers(
                self.directory / "cluster", replicas=self.cluster_replicas
            ).start()
        else:
            self.redis = RedisServer(free_port(), self.directory / "redis", self.appendonly).start()
        self.record = provision(self.directory)
        for index in range(self.gateways):
            port = free_port()
            self.gateway_ports.append(port)
            if self.gateway_cpus:
                self.limits.append(CpuLimit(f"opswall-gw-{port}", self.gateway_cpus).create())
            self.gateway_parts.append(self._gateway(port).start())
            self._limit(index)
        if self.balanced:
            self.balancer = TcpBalancer(self.gateway_ports).start()
        dial = self.balancer.port if self.balancer else self.gateway_ports[0]
        self.web_port = free_port()
        self.web = PartProcess(
            [
                "web",
                "--config",
                str(self.config),
                "--port",
                str(self.web_port),
                "--gateway-port",
                str(dial),
            ],
            self.env(),
            f"http://127.0.0.1:{self.web_port}/healthz",
        ).start()
        return self

    def _gateway(self, port: int) -> PartProcess:
        return PartProcess(
            ["gateway", "--config", str(self.config), "--port", str(port)],
            self.env(),
            f"http://127.0.0.1:{port}/healthz",
        )

    def _limit(self, index: int) -> None:
        if self.limits:
            self.limits[index].add(self.gateway_parts[index].pid)

    def kill_gateway(self, index: int = 0) -> None:
        """SIGKILL, as a crash or an OOM kill would: no close frames are sent."""
        process = self.gateway_parts[index].process
        assert process is not None
        process.kill()
        process.wait()

    def start_gateway(self, index: int = 0) -> None:
        self.gateway_parts[index] = self._gateway(self.gateway_ports[index]).start()
        self._limit(index)

    def kill_web(self) -> None:
        assert self.web is not None and self.web.process is not None
        self.web.process.kill()
        self.web.process.wait()

    def start_web(self) -> None:
        assert self.web is not None
        self.web.start()

    def kill_redis(self) -> None:
        assert self.redis is not None and self.redis.process is not None
        self.redis.process.kill()
        self.redis.process.wait()

    def start_redis(self) -> None:
        assert self.redis is not None
        self.redis.start()

    def primary_ports(self, keys: list[str]) -> dict[str, int]:
        """The port of the cluster primary holding each key, as the slot map says now."""
        client = connect(self.redis_url)
        assert isinstance(client, redis.RedisCluster)
        try:
            return {key: int(client.get_node_from_key(key).port) for key in keys}  # type: ignore[no-untyped-call]
        finally:
            client.close()

    def kill_primary_of(self, key: str) -> int:
        """SIGKILL the cluster primary holding `key`; its port."""
        assert self.redis_cluster is not None
        port = self.primary_ports([key])[key]
        self.redis_cluster.kill(port)
        return port

    def pids(self) -> list[int]:
        return [part.pid for part in [*self.gateway_parts, self.web] if part is not None]

    def wall_url(self, screen: str, bench: bool = True) -> str:
        """A wall page's address; `bench` makes the page record latencies and applied ids."""
        assert self.record is not None
        params = {"bench": "1"} if bench else {}
        params["token"] = self.record.viewer_token
        text = "&".join(f"{k}={v}" for k, v in params.items())
        return f"http://127.0.0.1:{self.web_port}/wall/{screen}?{text}"

    def stop(self) -> None:
        for part in [self.web, *self.gateway_parts]:
            if part is not None:
                part.stop()
        if self.balancer is not None:
            self.balancer.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.redis_cluster is not None:
            self.redis_cluster.stop()
        for limit in self.limits:
            limit.remove()


def open_pages(browser: Browser, urls: list[str], ready: str, init: str = "") -> list[Page]:
    pages = []
    for url in urls:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        if init:
            context.add_init_script(init)
        page = context.new_page()
        page.goto(url, timeout=120000)
        page.wait_for_selector(ready, timeout=120000)
        pages.append(page)
    return pages


def newest_sent(page: Page, feeds: list[str] | None = None) -> float:
    """The send time (epoch ms) of the newest entry the page applied, over `feeds` or all."""
    return float(
        page.evaluate(
            """feeds => { const h = window.opswall.history; let best = 0;
            for (const f of feeds || Object.keys(h)) { const e = (h[f] || []).at(-1);
              if (e && e.fields.sent > best) best = e.fields.sent; }
            return best; }""",
            feeds,
        )
    )


def page_trail(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            "() => ({trail: window.opswall.trail, redundant: window.opswall.redundant, "
            "link: document.querySelector('#wall-screen')?.dataset.link || 'missing'})"
        )
    )
