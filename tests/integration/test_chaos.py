"""The chaos suite's short form: every fault heals by itself with nothing lost or applied twice.

It runs the same script as `python -m bench.chaos` (real redis-server, gateway and web processes
killed with SIGKILL, a balancer cutting and freezing sockets, headless Chromium screens). Only
outcomes are asserted, never how fast: the recovery times are reported in docs/reliability.md.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.mark.timeout(900)
def test_every_fault_heals_without_loss_duplicates_or_error_pages(tmp_path: Path) -> None:
    out = tmp_path / "chaos.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.chaos", "--short", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=800,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    outcomes = {o["fault"]: o for o in report["outcomes"]}
    assert len(outcomes) == 7
    for name, o in outcomes.items():
        assert o["entries_checked"] > 20, name  # the audit compared real streams
        assert o["lost"] == 0, o
        assert o["applied_twice"] == 0, o
        assert o["error_pages"] == 0, o
        assert o["shown_down"], o  # the outage was visible on every screen while it lasted
        assert math.isfinite(o["time_to_live_s"]), o  # every screen live again, no reload
    # Faults that stop Redis taking writes really did: those entries never reached a stream.
    assert outcomes["fill redis to maxmemory"]["refused_writes"] > 0
    assert outcomes["kill -9 redis, restart"]["refused_writes"] > 0
    assert "lost" in run.stdout and "kill -9 gateway, restart" in run.stdout
