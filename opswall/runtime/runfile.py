"""`.opswall/run.json`: where a running `opswall run` put its Redis and its stand-ins, so that a
second shell's `opswall feeds list` or `redis-cli -u "$(opswall redis-url)"` reaches the same wall
without copying addresses from the log (they are free ports, chosen at each start)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(".opswall")  # the demo's files, under the directory `opswall run` starts in
RUN_FILE = "run.json"


@dataclass(frozen=True)
class RunningWall:
    pid: int  # the `opswall run` supervisor
    web_url: str
    env: dict[str, str]  # what its parts were given: OPSWALL_REDIS_URL, the demo's addresses...

    @property
    def redis_url(self) -> str:
        return self.env["OPSWALL_REDIS_URL"]


def write_run_file(data_dir: Path, wall: RunningWall) -> Path:
    """Owner-only: the environment holds the demo portal's token and the database URL."""
    path = data_dir / RUN_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump({"pid": wall.pid, "web_url": wall.web_url, "env": wall.env}, out, indent=2)
    return path


def read_run_file(data_dir: Path) -> RunningWall | None:
    """The wall running from this directory; None if there is none (or it died unannounced)."""
    try:
        data = json.loads((data_dir / RUN_FILE).read_text(encoding="utf-8"))
        wall = RunningWall(int(data["pid"]), str(data["web_url"]), dict(data["env"]))
        wall.redis_url  # noqa: B018 (a file without it names no wall)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return wall if _alive(wall.pid) else None


def remove_run_file(data_dir: Path) -> None:
    (data_dir / RUN_FILE).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process holds the number
        return True
    return True
