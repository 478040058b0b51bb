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

import redis

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
    replica_of: int | None = None  # the loopback port of this server's primary
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
            # As production should run it: a node down stops only its own slots, not the others'
            # (by default the whole cluster refuses every command until the failover is done).
            args += ["--cluster-require-full-coverage", "no"]
        if self.replica_of is not None:
            args += ["--replicaof", "127.0.0.1", str(self.replica_of)]
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


def kill_server(servers: list[RedisServer], port: int) -> None:
    """SIGKILL the server on `port`, as a crashed machine would leave it: no goodbye."""
    [server] = [s for s in servers if s.port == port]
    assert server.process is not None
    server.process.kill()
    server.process.wait()


CLUSTER_BUS_OFFSET = 10000  # a cluster node gossips on its port + 10000


@dataclass
class RedisClusterServers:
    """A Redis Cluster of `nodes` primaries on loopback ports, each with `replicas` replicas, for
    the tests and the benchmarks: the slots are spread evenly by `redis-cli --cluster create`."""

    directory: Path
    nodes: int = 3
    replicas: int = 0  # with one or more, a primary that dies is failed over to its replica
    servers: list[RedisServer] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.servers[0].port}/0"

    def start(self) -> RedisClusterServers:
        cli = shutil.which("redis-cli")
        if cli is None:
            raise RedisUnavailableError("redis-cli is not installed")
        for index in range(self.nodes * (1 + self.replicas)):
            self.servers.append(self._start_node(index))
        addresses = [f"127.0.0.1:{s.port}" for s in self.servers]
        replicas = str(self.replicas)
        created = subprocess.run(
            [
                cli,
                "--cluster",
                "create",
                *addresses,
                "--cluster-replicas",
                replicas,
                "--cluster-yes",
            ],
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
        """Every node agrees the cluster is up (slots assigned, gossip settled), and every
        replica has its primary's data (until then a failover would lose it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = [self._cli(cli, s, "cluster", "info") for s in self.servers]
            replication = [self._cli(cli, s, "info", "replication") for s in self.servers]
            synced = all(
                "role:master" in info or "master_link_status:up" in info for info in replication
            )
            if synced and all("cluster_state:ok" in state for state in states):
                return
            time.sleep(0.2)
        self.stop()
        raise RedisUnavailableError("the cluster did not reach cluster_state:ok")

    @staticmethod
    def _cli(cli: str, server: RedisServer, *command: str) -> str:
        return subprocess.run(
            [cli, "-p", str(server.port), *command], capture_output=True, text=True
        ).stdout

    def kill(self, port: int) -> None:
        kill_server(self.servers, port)

    def primary_port(self, slot: int) -> int | None:
        """The port of the primary that a live node names for `slot` (None: none yet)."""
        cli = shutil.which("redis-cli")
        live = [s for s in self.servers if s.process is not None and s.process.poll() is None]
        if cli is None or not live:
            return None
        for line in self._cli(cli, live[0], "cluster", "nodes").splitlines():
            # <id> <ip:port@bus> <flags> <primary> <ping> <pong> <epoch> <link> <slot ranges>...
            parts = line.split()
            flags = parts[2].split(",") if len(parts) > 2 else []
            if "master" in flags and "fail" not in flags and _holds(parts[8:], slot):
                return int(parts[1].split("@")[0].rsplit(":", 1)[1])
        return None

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def _holds(ranges: list[str], slot: int) -> bool:
    """Whether CLUSTER NODES slot fields (`0-5460`, `5461`, `[...]` for migrations) hold `slot`."""
    for field_ in ranges:
        if field_.startswith("["):
            continue
        low, _, high = field_.partition("-")
        if int(low) <= slot <= int(high or low):
            return True
    return False


SENTINEL_SERVICE = "opswall"


@dataclass
class RedisSentinelServers:
    """A primary, `replicas` replicas and three sentinels watching them (quorum 2), on loopback
    ports, for the tests: kill the primary and the sentinels promote a replica."""

    directory: Path
    replicas: int = 1
    down_after_ms: int = 2000  # how long the primary must be silent before it is failed over
    servers: list[RedisServer] = field(default_factory=list)
    sentinels: list[tuple[int, subprocess.Popen[bytes]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{port}" for port, _ in self.sentinels)
        return f"redis+sentinel://{hosts}/{SENTINEL_SERVICE}/0"

    def start(self) -> RedisSentinelServers:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisUnavailableError("redis-server is not installed")
        try:
            primary = RedisServer(free_port(), self.directory / "node0").start()
            self.servers.append(primary)
            for index in range(1, self.replicas + 1):
                node = RedisServer(free_port(), self.directory / f"node{index}")
                node.replica_of = primary.port
                self.servers.append(node.start())
            for index in range(3):
                self.sentinels.append(self._start_sentinel(binary, index, primary.port))
            self._wait_until_watched()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_sentinel(
        self, binary: str, index: int, primary: int
    ) -> tuple[int, subprocess.Popen[bytes]]:
        port = free_port()
        directory = self.directory / f"sentinel{index}"
        directory.mkdir(parents=True, exist_ok=True)
        conf = directory / "sentinel.conf"  # a sentinel rewrites its file as it learns: its own
        conf.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {directory}\n"
            f"sentinel monitor {SENTINEL_SERVICE} 127.0.0.1 {primary} 2\n"
            f"sentinel down-after-milliseconds {SENTINEL_SERVICE} {self.down_after_ms}\n"
            f"sentinel failover-timeout {SENTINEL_SERVICE} 10000\n",
            encoding="utf-8",
        )
        args = [binary, str(conf), "--sentinel", "--loglevel", "warning"]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if not wait_for_port("127.0.0.1", port, 10) or process.poll() is not None:
            stop_process(process)
            raise RedisUnavailableError(f"redis sentinel did not start on port {port}")
        return port, process

    def _wait_until_watched(self, timeout: float = 30.0) -> None:
        """Every sentinel knows the replicas (synced) and the other sentinels: only then can a
        failover be agreed and promote a replica that has the data."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = 0
            for port, _ in self.sentinels:
                with redis.Redis(port=port, socket_timeout=2, decode_responses=True) as sentinel:
                    replicas = sentinel.sentinel_slaves(SENTINEL_SERVICE)
                    others = sentinel.sentinel_sentinels(SENTINEL_SERVICE)
                synced = [r for r in replicas if r.get("master-link-status") == "ok"]
                ready += len(synced) == self.replicas and len(others) == len(self.sentinels) - 1
            if ready == len(self.sentinels):
                return
            time.sleep(0.2)
        raise RedisUnavailableError("the sentinels did not come to watch the primary and replicas")

    def primary_port(self) -> int:
        """The port of the primary the sentinels name now."""
        for port, _ in self.sentinels:
            try:
                with redis.Redis(port=port, socket_timeout=2) as sentinel:
                    _, primary = sentinel.sentinel_get_master_addr_by_name(SENTINEL_SERVICE)
                    return int(primary)
            except redis.RedisError:
                continue
        raise RedisUnavailableError("no sentinel answers")

    def kill(self, port: int) -> None:
        kill_server(self.servers, port)

    def stop(self) -> None:
        for _, process in self.sentinels:
            stop_process(process)
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
