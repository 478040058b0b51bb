"""`opswall check --render`: the legibility check, run as an operator runs it (its own Redis,
gateway, web app and headless Chromium, started by the command)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.redis]

FIXTURE = Path(__file__).parents[1] / "fixtures" / "legibility.yaml"
ROOT = Path(__file__).parents[2]
# An error line: `file:line:col: error: <screen> tile <id>: '<text>' ... .<class>: capitals ...`
ERROR = re.compile(r": error: \S+ (?:tile (?P<tile>\S+)|header): .* \.(?P<style>[\w-]+): capitals")


def check(*args: str, config: Path = FIXTURE) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "opswall", "check", str(config), "--render", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def deliberately_small() -> dict[str, set[str] | None]:
    """The README's table of the demo's deliberately small texts: CSS class -> the tiles it is
    small in (None: wherever it is)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- deliberately-small -->")[1].split("<!-- /deliberately-small -->")[
        0
    ]
    listed: dict[str, set[str] | None] = {}
    for row in re.findall(r"^\| `\.([\w-]+)` \| ([^|]+) \|", section, re.M):
        style, where = row
        tiles = set(re.findall(r"`([\w-]+)`", where))
        listed[style] = tiles or None
    return listed


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


def test_the_demo_wall_is_legible_but_for_what_the_readme_lists() -> None:
    """The shipped demo at 5 m on 55-inch 1080p screens: every error the check reports is a
    text the README lists as deliberately small (in the tiles it names); titles, figures and
    everything else pass, and no glyph is cut."""
    listed = deliberately_small()
    assert listed.get("tile-title", set()) is not None  # titles pass, but in the tiles named
    run = check("--distance", "5m", "--diagonal", "55", config=ROOT / "wall_config.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert errors, run.stdout
    unlisted = []
    for line in errors:
        found = ERROR.search(line)
        tiles = listed.get(found.group("style"), set()) if found else set()
        if not found or (tiles is not None and (found.group("tile") or "header") not in tiles):
            unlisted.append(line)
    assert unlisted == [], "\n".join(unlisted)
    assert all(row.split()[5] == "0" for row in run.stdout.splitlines()[-9:])  # cut glyphs
    # The span (issue 23) is drawn whole and judged as a screen, and no text lies on its bezel.
    assert [r.split()[:2] for r in run.stdout.splitlines()[-10:-9]] == [
        ["provinces-wide", "3846x1080"]
    ]
    assert "across a bezel" not in run.stdout
