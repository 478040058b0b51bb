"""`opswall run`: every part of the demo in one command, each in its own process.

The parts are the same commands production runs separately (`opswall web`, `gateway`, `feeds`);
a part that dies is restarted with backoff, so the demo heals like production would.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from opswall.errors import OpswallError
from opswall.runtime.demo import Demo, names_demo_sources, prepare_demo
from opswall.runtime.processes import PartProcess, is_healthy
from opswall.runtime.redis_provider import provide_redis
from opswall.runtime.runfile import (
    DATA_DIR,
    RunningWall,
    read_run_file,
    remove_run_file,
    write_run_file,
)
from opswall.settings import Settings

log = logging.getLogger("opswall.run")


@dataclass
class Part:
    """One supervised part, restarted with backoff when it dies."""

    name: str
    child: PartProcess
    restarts: int = 0
    next_start: float = 0.0


def _wait_all_healthy(urls: list[str], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(is_healthy(url) for url in urls):
            return True
        time.sleep(0.2)
    return False


def run(settings: Settings, demo_sources: bool | None = None, data_dir: Path = DATA_DIR) -> int:
    """Run every part until SIGINT/SIGTERM; the demo's stand-ins too when `demo_sources` (None:
    when the config names them)."""
    running = read_run_file(data_dir)
    if running is not None:
        raise OpswallError(
            f"a wall is already running from this directory (pid {running.pid}, "
            f"{running.web_url}/); stop it first"
        )
    if demo_sources is None:
        demo_sources = names_demo_sources(settings.config_path)
    redis = provide_redis(settings.redis_url, data_dir)
    log.info("redis: %s", redis.kind)
    env = {"OPSWALL_REDIS_URL": redis.url, "OPSWALL_DATABASE_URL": settings.database_url}
    demo = prepare_demo(settings, data_dir) if demo_sources else Demo({})
    env |= demo.env
    parts = _parts(settings, env, demo_sources)
    stopping = _stop_on_signals()
    try:
        for part in parts:
            part.child.start(wait=False)
        host = "localhost" if settings.host in ("0.0.0.0", "127.0.0.1") else settings.host
        web = f"http://{host}:{settings.port}"
        write_run_file(data_dir, RunningWall(os.getpid(), web, env))
        _supervise(parts, settings, web, stopping)
    finally:
        remove_run_file(data_dir)
        for part in parts:
            part.child.stop()
        demo.stop()
        redis.stop()
    return 0


def _parts(settings: Settings, env: dict[str, str], demo_sources: bool) -> list[Part]:
    common = ["--config", str(settings.config_path)]
    gateway = ["--host", settings.gateway_host, "--port", str(settings.gateway_port)]
    web_args = ["--host", settings.host, "--port", str(settings.port)]
    web_args += ["--gateway-port", str(settings.gateway_port)]
    parts = [
        Part("gateway", PartProcess(["gateway", *common, *gateway], env)),
        Part("feeds", PartProcess(["feeds", *common], env)),
        Part("web", PartProcess(["web", *common, *web_args], env)),
    ]
    if demo_sources:
        parts.append(Part("demo-sources", PartProcess(["demo-sources"], env)))
    if "OPSWALL_DEMO_MEDIA" in env:
        parts.append(Part("demo-media", PartProcess(["demo-media"], env)))
    return parts


def _stop_on_signals() -> threading.Event:
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    return stopping


def _supervise(parts: list[Part], settings: Settings, web: str, stopping: threading.Event) -> None:
    """Announce the wall once healthy, then restart what dies until SIGINT/SIGTERM."""
    ready = _wait_all_healthy(
        [
            f"http://127.0.0.1:{settings.port}/healthz",
            f"http://127.0.0.1:{settings.gateway_port}/healthz",
        ],
        60,
    )
    if ready:
        print(f"opswall is live: {web}/  (screens under {web}/wall/<screen>)", flush=True)
    else:
        log.error("the wall did not become healthy within 60 s; still trying")
    while not stopping.wait(0.5):
        for part in parts:
            _keep_alive(part)


def _keep_alive(part: Part) -> None:
    process = part.child.process
    if process is None or process.poll() is None:
        return
    now = time.monotonic()
    if part.next_start == 0.0:
        delay = min(30.0, 0.5 * 2**part.restarts)
        log.error("%s exited with %s; restarting in %.1fs", part.name, process.returncode, delay)
        part.next_start = now + delay
    elif now >= part.next_start:
        part.restarts += 1
        part.next_start = 0.0
        part.child.start(wait=False)
