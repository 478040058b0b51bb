"""The newcomer's path: the README's demo commands, typed in a second shell beside a running
`opswall run`, reach that demo (its Redis, its stand-in systems) with nothing copied from its log."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from opswall.runtime.ports import free_port
from opswall.runtime.processes import wait_healthy
from opswall.runtime.runfile import read_run_file
from tests.conftest import require_redis_server

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def second_shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`command` as a person types it: bash, the venv's `opswall` on PATH, no OPSWALL_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPSWALL_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`opswall run` of the demo config, from a directory holding it (as a clone does); its
    log in run.log there."""
    require_redis_server()
    tmp_path = tmp_path_factory.mktemp("clone")
    assert shutil.which("redis-cli")
    shutil.copy(ROOT / "wall_config.yaml", tmp_path)
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPSWALL_")}
    port, gateway_port = free_port(), free_port()
    ports = ["--port", str(port), "--gateway-port", str(gateway_port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "opswall", "run", *ports],
        cwd=tmp_path,
        env=env,
        stdout=(tmp_path / "run.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", timeout=90, process=process)
        yield tmp_path
    finally:
        process.terminate()
        process.wait(30)
    assert read_run_file(tmp_path / ".opswall") is None, "the run file outlived the demo"


def test_readme_demo_commands_work_from_a_second_shell(demo: Path) -> None:
    """The README's `redis-cli` lines write to the demo's Redis; `opswall feeds list` shows the
    demo's feeds with their state; `opswall feeds test` fetches from the demo's stand-ins."""
    running = read_run_file(demo / ".opswall")
    assert running is not None
    url = second_shell("opswall redis-url", demo)
    assert url.returncode == 0 and url.stdout.strip() == running.redis_url, url.stderr

    lines = [line for line in README.splitlines() if line.startswith("redis-cli ")]
    assert len(lines) == 3 and all('-u "$(opswall redis-url)"' in line for line in lines)
    ids = []
    for line in lines:
        written = second_shell(line, demo)
        assert written.returncode == 0 and re.fullmatch(r"\d+-\d+\n", written.stdout), written
        ids.append(written.stdout.strip())
    client = redis.Redis.from_url(running.redis_url, decode_responses=True)
    entries = [
        client.xrange(line.split("XADD ")[1].split()[0], entry_id, entry_id)
        for line, entry_id in zip(lines, ids, strict=True)
    ]
    client.close()
    assert [fields for [(_, fields)] in entries[:2]] == [
        {"value": "42512.5"},
        {"value": "42512.5", "ts": "2026-11-21T08:30:00+07:00"},
    ]
    assert "Sông Hồng – Hà Nội" in entries[2][0][1]["json"]

    assert "`opswall feeds list`" in README
    listed = second_shell("opswall feeds list", demo)
    assert listed.returncode == 0 and "Redis unavailable" not in listed.stderr, listed.stderr
    power = re.search(r"^power_load\s+simulator\s+\S+\s+(\S+)", listed.stdout, re.M)
    assert power is not None and power.group(1) == "ok", listed.stdout  # Redis found

    test_line = "opswall feeds test fuel_prices_moit"
    assert f"`{test_line}`" in README
    tested = second_shell(test_line, demo)
    assert tested.returncode == 0, tested.stderr
    assert "fuel_prices_moit (http_poll): 1 entry would be written" in tested.stdout


def test_every_part_of_the_demo_takes_a_config_edit(demo: Path) -> None:
    """An edit of the wall config is taken by the web part, the gateway and the feed runner
    alike, each by its own watcher (no page render, no restart)."""
    config = demo / "wall_config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('en: "Socio-economic overview"', 'en: "Edited"'), "utf-8")
    deadline = time.monotonic() + 30
    reloaded: set[str] = set()
    while time.monotonic() < deadline and reloaded != {"web", "gateway", "feeds"}:
        time.sleep(0.2)
        log = (demo / "run.log").read_text(encoding="utf-8")
        reloaded = set(re.findall(r"^\S+ \S+\s+(\w+) INFO config reloaded from", log, re.M))
    assert reloaded == {"web", "gateway", "feeds"}
