"""A private Mosquitto broker on a loopback port (the demo's IoT gauges, and the tests)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from opswall.runtime.ports import free_port, wait_for_port
from opswall.runtime.processes import stop_process


@dataclass
class MosquittoBroker:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    @staticmethod
    def available() -> bool:
        return shutil.which("mosquitto") is not None

    def start(self) -> MosquittoBroker:
        binary = shutil.which("mosquitto")
        if binary is None:
            raise RuntimeError("mosquitto is not installed")
        self.directory.mkdir(parents=True, exist_ok=True)
        conf = self.directory / f"mosquitto-{self.port}.conf"
        conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "log_dest stderr\nlog_type error\n",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if not wait_for_port("127.0.0.1", self.port, 10):
            self.stop()
            raise RuntimeError(f"mosquitto did not start on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        self.process = None


def private_broker(directory: Path) -> MosquittoBroker | None:
    """A started broker on a free port, or None when Mosquitto is not installed."""
    if not MosquittoBroker.available():
        return None
    return MosquittoBroker(free_port(), directory).start()
