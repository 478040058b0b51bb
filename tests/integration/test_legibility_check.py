"""`opswall check --render`: the legibility check, run as an operator runs it (its own Redis,
gateway, web app and headless Chromium, started by the command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.redis]

FIXTURE = Path(__file__).parents[1] / "fixtures" / "legibility.yaml"


def check(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "opswall", "check", str(FIXTURE), "--render", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)


def tile_mark(tile: str) -> str:
    """`file:line:col` of a tile's mapping in the fixture, as the check reports it."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if f"id: {tile}," in line)
    return f"{FIXTURE}:{number}:{lines[number - 1].index('{') + 1}"


def test_a_screen_readable_from_its_distance_passes() -> None:
    """A one-tile screen read from 1 m: no findings, exit 0, a summary row for it."""
    run = check("--distance", "1m", "--screen", "big")
    assert run.returncode == 0, run.stdout + run.stderr
    assert ": error:" not in run.stdout
    assert run.stdout.splitlines()[-1].split()[:2] == ["big", "1920x1080"]


def test_a_tiny_tile_is_reported_at_its_place_in_the_yaml(tmp_path: Path) -> None:
    """A KPI in one cell of a 24x24 grid read from 5 m: errors located at the tile, exit 1,
    and an annotated screenshot written."""
    run = check("--distance", "5m", "--screen", "tiny", "--shots", str(tmp_path))
    assert run.returncode == 1, run.stdout + run.stderr
    located = [line for line in run.stdout.splitlines() if line.startswith(tile_mark("speck"))]
    assert located, run.stdout
    assert all(": error: tiny tile speck:" in line for line in located[:1])
    assert "from 5 m" in located[0] and "needs" in located[0]
    assert (tmp_path / "tiny.png").stat().st_size > 10_000
