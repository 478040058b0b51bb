"""The soak's smoke form: a few demo screens at 10x feed rate, sampled, judged by slope.

The full run (`python -m bench.soak`, 30 minutes, every screen) is in docs/reliability.md; this
short one proves the harness measures real pages and catches what it should, in CI time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.soak import judge

ROOT = Path(__file__).parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def test_slope_judge_tells_a_leak_from_a_plateau() -> None:
    """A series that fills a buffer and stops is bounded; one that keeps climbing is not, even
    with garbage-collection spikes on top."""
    times = [float(t) for t in range(0, 600, 10)]
    plateau = [40 + min(t, 200) / 20 + (8 if i % 7 == 0 else 0) for i, t in enumerate(times)]
    leak = [40 + t / 60 + (8 if i % 7 == 0 else 0) for i, t in enumerate(times)]
    assert judge("js_heap_mb", times, plateau, warmup=200).bounded
    verdict = judge("js_heap_mb", times, leak, warmup=200)
    assert not verdict.bounded and verdict.slope_per_hour == pytest.approx(60, rel=0.05)


@pytest.mark.timeout(600)
def test_soak_smoke_finds_memory_bounded(tmp_path: Path) -> None:
    out = tmp_path / "soak.json"
    args = ["--minutes", "2.5", "--screens", "emergency,records,transport", "--warmup", "75"]
    run = subprocess.run(
        [sys.executable, "-m", "bench.soak", *args, "--tolerance", "2", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    verdicts = {v["series"]: v for v in report["verdicts"]}
    assert set(verdicts) == {"js_heap_mb", "dom_nodes", "server_rss_mb"}
    assert len(report["samples"]) >= 20
    assert verdicts["js_heap_mb"]["first"] > 5  # real pages were sampled
    assert verdicts["dom_nodes"]["first"] > 500
    assert report["error_pages"] == 0
    assert report["bounded"], run.stdout[-2000:]
    assert run.returncode == 0 and "verdict: PASS" in run.stdout
    assert out.with_suffix(".png").stat().st_size > 10_000  # the plot was drawn
