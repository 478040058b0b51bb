"""`opswall run`: every part of the demo in one command, each in its own process.

The parts are the same commands production runs separately (`opswall web`, `gateway`, `feeds`);
a part that dies is restarted with backoff, so the demo heals like production would.
"""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from opswall.runtime.demo import prepare_demo
from opswall.runtime.processes import PartProcess, is_healthy
from opswall.runtime.redis_provider import provide_redis
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


def run(settings: Settings, data_dir: Path = Path(".opswall")) -> int:
    redis = provide_redis(settings.redis_url, data_dir)
    log.info("redis: %s", redis.kind)
    common = ["--config", str(settings.config_path)]
    env = {"OPSWALL_REDIS_URL": redis.url, "OPSWALL_DATABASE_URL": settings.database_url}
    demo = prepare_demo(settings, data_dir)
    env |= demo.env
    gateway = ["--host", settings.gateway_host, "--port", str(settings.gateway_port)]
    web_args = ["--host", settings.host, "--port", str(settings.port)]
    web_args += ["--gateway-port", str(settings.gateway_port)]
    parts = [
        Part("gateway", PartProcess(["gateway", *common, *gateway], env)),
        Part("feeds", PartProcess(["feeds", *common], env)),
        Part("web", PartProcess(["web", *common, *web_args], env)),
        Part("demo-sources", PartProcess(["demo-sources"], env)),
    ]
    if "OPSWALL_DEMO_MEDIA" in demo.env:
        parts.append(Part("demo-media", PartProcess(["demo-media"], env)))
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for part in parts:
            part.child.start(wait=False)
        host = "localhost" if settings.host in ("0.0.0.0", "127.0.0.1") else settings.host
        web = f"http://{host}:{settings.port}"
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
        while not stopping:
            time.sleep(0.5)
            for part in parts:
                _keep_alive(part)
    finally:
        for part in parts:
            part.child.stop()
        demo.stop()
        redis.stop()
    return 0


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
