"""Where the demo's Redis comes from, in order of preference.

1. `OPSWALL_REDIS_URL` when set (production, or a shared server);
2. a private `redis-server` child process when the binary is installed;
3. an embedded Redis-protocol server (fakeredis) inside this process, so a fresh machine with
   nothing installed still runs the demo.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opswall.errors import RedisUnavailableError
from opswall.runtime.ports import free_port, free_port_pair, wait_for_port
from opswall.runtime.processes import stop_process


@dataclass
class RedisServer:
    """A redis-server child process on a loopback port (also used by the tests)."""

    port: int
    directory: Path
    appendonly: bool = False
    cluster: bool = False  # a node of a Redis Cluster (see RedisClusterServers)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisUnavailableError("redis-server is not installed")
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--dir",
            str(self.directory),
            "--protected-mode",
            "yes",
            "--loglevel",
            "warning",
        ]
        if self.cluster:
            args += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]
            args += ["--cluster-node-timeout", "5000"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # The port answering is not enough: another process may hold it while ours has exited.
        if not wait_for_port("127.0.0.1", self.port, 10) or self.process.poll() is not None:
            self.stop()
            raise RedisUnavailableError(f"redis-server did not start on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        self.process = None


CLUSTER_BUS_OFFSET = 10000  # a cluster node gossips on its port + 10000


@dataclass
class RedisClusterServers:
    """A Redis Cluster of `nodes` primaries on loopback ports (no replicas), for the tests and
    the benchmarks: the slots are spread evenly by `redis-cli --cluster create`."""

    directory: Path
    nodes: int = 3
    servers: list[RedisServer] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.servers[0].port}/0"

    def start(self) -> RedisClusterServers:
        cli = shutil.which("redis-cli")
        if cli is None:
            raise RedisUnavailableError("redis-cli is not installed")
        for index in range(self.nodes):
            self.servers.append(self._start_node(index))
        addresses = [f"127.0.0.1:{s.port}" for s in self.servers]
        created = subprocess.run(
            [cli, "--cluster", "create", *addresses, "--cluster-replicas", "0", "--cluster-yes"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if created.returncode != 0:
            self.stop()
            raise RedisUnavailableError(f"cluster not created: {created.stdout}{created.stderr}")
        self._wait_until_ok(cli)
        return self

    def _start_node(self, index: int, attempts: int = 3) -> RedisServer:
        """A node on a port whose bus port (+10000) is free too; another port if it is taken."""
        for attempt in range(attempts):
            port = free_port_pair(CLUSTER_BUS_OFFSET)
            try:
                return RedisServer(port, self.directory / f"node{index}", cluster=True).start()
            except RedisUnavailableError:
                if attempt == attempts - 1:
                    self.stop()
                    raise
        raise AssertionError("unreachable")

    def _wait_until_ok(self, cli: str, timeout: float = 30.0) -> None:
        """Every node agrees the cluster is up (slots assigned, gossip settled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = [
                subprocess.run(
                    [cli, "-p", str(s.port), "cluster", "info"], capture_output=True, text=True
                ).stdout
                for s in self.servers
            ]
            if all("cluster_state:ok" in state for state in states):
                return
            time.sleep(0.2)
        self.stop()
        raise RedisUnavailableError("the cluster did not reach cluster_state:ok")

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


@dataclass
class ProvidedRedis:
    url: str
    kind: str
    _stop: Any = field(default=None, repr=False)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()


def _embedded() -> ProvidedRedis:
    from fakeredis import TcpFakeServer

    port = free_port()
    server = TcpFakeServer(("127.0.0.1", port))
    thread = threading.Thread(target=server.serve_forever, name="embedded-redis", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return ProvidedRedis(
        f"redis://127.0.0.1:{port}/0", "embedded Redis-protocol server (fakeredis)", stop
    )


def provide_redis(url: str | None, data_dir: Path) -> ProvidedRedis:
    if url:
        return ProvidedRedis(url, f"external Redis at {url} (OPSWALL_REDIS_URL)")
    if shutil.which("redis-server"):
        server = RedisServer(free_port(), data_dir / "redis").start()
        return ProvidedRedis(server.url, f"private redis-server on port {server.port}", server.stop)
    return _embedded()
