"""The benchmark harnesses themselves: they run end to end and their figures are coherent.

No timing is asserted (shared machines are noisy): only that every pushed entry is delivered
and painted, while polling shows a fraction of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_bench

ROOT = Path(__file__).parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def test_bench_suite_measures_every_figure(tmp_path: Path) -> None:
    """`python -m bench --quick` measures the matrix, the ramp, page load, costs and the polling
    baseline, and writes the JSON and the plot."""
    out = tmp_path / "bench.json"
    run, report = run_bench("bench", out, "--quick", timeout=600)
    matrix = report["matrix"]
    assert [(r["pages"], r["feeds"]) for r in matrix] == [(1, 6), (2, 6)]
    for r in matrix:
        assert r["samples"] > 20 and 90 <= r["delivered_pct"] <= 105, r
        assert 0 < r["p50_ms"] <= r["p99_ms"] and r["server_rss_mb"] > 50
    # Two screens are sent and paint about twice the updates of one.
    assert 1.5 < matrix[1]["updates_per_s"] / matrix[0]["updates_per_s"] < 2.5
    assert report["ramp"] and report["ramp"][0]["rate_hz"] == 5.0
    load = report["page_load"]
    assert (
        load["tiles"] == 24 and 0 < load["dom_content_loaded_p50_ms"] < load["all_painted_p50_ms"]
    )
    polling = report["baseline"]["polling"]
    assert polling["path"].startswith("Dash dcc.Interval") and polling["delivered_pct"] < 50
    assert report["baseline"]["ratio_p50"] > 0
    assert "rss_mb_per_screen" in report["costs"]
    assert out.with_suffix(".png").stat().st_size > 10_000
    assert "polling baseline / opswall latency" in run.stdout
    check_browser_cost(report["browser_cost"])


def check_browser_cost(cost: dict[str, Any]) -> None:
    """The browser-cost part's figures hang together: each page applied about one update a
    second in its idle window and several times more in its busy one, its main-thread time
    holds its parts, it was laid out (layouts counted), and a warm load moves fewer bytes than a cold one."""
    kinds = {(r["kind"], r["resolution"]) for r in cost["updates"]}
    assert kinds == {("kpi", "1080p"), ("chart_point", "1080p"), ("dash_native_kpi", "1080p")}
    for r in cost["updates"]:
        idle, loaded = r["idle"], r["loaded"]
        assert 0.5 <= idle["updates_per_s"] <= 2.5, r
        assert loaded["updates_per_s"] > 3 * idle["updates_per_s"], r
        for window in (idle, loaded):
            parts = window["ScriptDuration"] + window["LayoutDuration"]
            assert 0 < parts + window["RecalcStyleDuration"] <= window["TaskDuration"] * 1.01, r
            assert window["layouts_per_s"] > 0, r  # updates were applied: the page was laid out
        assert r["per_update"]["TaskDuration"] > 0, r
    page = cost["page"]
    assert page["tiles"] == 24 and page["charts"] == 4
    cold, warm = page["cold"], page["warm"]
    assert 0 < cold["dom_ready_ms"] <= cold["all_live_ms"], cold
    assert cold["requests"] > 10 and warm["kb"] < cold["kb"], page
    assert cold["kb_by_type"]["Script"] > 0


def test_control_bench_measures_tap_to_every_screen(tmp_path: Path) -> None:
    """The tap-to-screens benchmark drives real scene switches and records one figure per count."""
    out = tmp_path / "control_path.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.control_path",
            "--screens",
            "2",
            "--switches",
            "6",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    (result,) = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert result["screens"] == 2 and result["switches"] == 6
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert "tap -> every screen painted in the new scene" in run.stdout
