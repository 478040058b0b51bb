"""Child processes of opswall parts, and waiting for their /healthz."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any


def stop_process(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `grace` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_healthy(
    url: str, timeout: float = 30.0, process: subprocess.Popen[Any] | None = None
) -> None:
    """Return once `url` answers 200; raise if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        if is_healthy(url):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


@dataclass
class PartProcess:
    """`python -m opswall <part> ...` as a child process, as production runs it."""

    args: list[str]
    env: dict[str, str]
    health_url: str | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self, wait: bool = True) -> PartProcess:
        command = [sys.executable, "-m", "opswall", *self.args]
        self.process = subprocess.Popen(command, env={**os.environ, **self.env})
        if wait and self.health_url:
            wait_healthy(self.health_url, process=self.process)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
