"""Shared fixtures: real redis-server processes and real opswall processes on free ports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer

FIXTURES = Path(__file__).parent / "fixtures"


def require_redis_server() -> None:
    if shutil.which("redis-server") is None:
        pytest.fail(
            "redis-server is required for these tests: run ./scripts/test, which installs it"
        )


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One private redis-server for tests that only need streams (each uses its own keys)."""
    require_redis_server()
    server = RedisServer(free_port(), tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own (it may be stopped and restarted), persisting to AOF."""
    require_redis_server()
    server = RedisServer(free_port(), tmp_path / "redis", appendonly=True).start()
    yield server
    server.stop()


@pytest.fixture
def wall_config(tmp_path: Path) -> Path:
    """A copy of the minimal config that the test may edit while the wall runs."""
    path = tmp_path / "wall_config.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", path)
    return path


def wait_healthy(
    url: str, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


@dataclass
class OpswallProcess:
    """`python -m opswall <part>` as a child process, as production runs it."""

    args: list[str]
    redis_url: str
    health_url: str
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> OpswallProcess:
        env = {**os.environ, "OPSWALL_REDIS_URL": self.redis_url}
        self.process = subprocess.Popen([sys.executable, "-m", "opswall", *self.args], env=env)
        wait_healthy(self.health_url, process=self.process)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def start_gateway() -> Iterator[object]:
    started: list[OpswallProcess] = []

    def start(config: Path, redis_url: str) -> int:
        port = free_port()
        part = OpswallProcess(
            ["gateway", "--config", str(config), "--port", str(port)],
            redis_url,
            f"http://127.0.0.1:{port}/healthz",
        ).start()
        started.append(part)
        return port

    yield start
    for part in started:
        part.stop()


@pytest.fixture
def start_web() -> Iterator[object]:
    started: list[OpswallProcess] = []

    def start(config: Path, redis_url: str, gateway_port: int) -> str:
        port = free_port()
        part = OpswallProcess(
            [
                "web",
                "--config",
                str(config),
                "--port",
                str(port),
                "--gateway-port",
                str(gateway_port),
            ],
            redis_url,
            f"http://127.0.0.1:{port}/healthz",
        ).start()
        started.append(part)
        return f"http://127.0.0.1:{port}"

    yield start
    for part in started:
        part.stop()


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True)
