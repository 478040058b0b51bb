"""The time machine's costs (issue 24): a 24-tile screen drawn at a past instant, and 60x play.

usage: python -m bench.replay [--minutes 10] [--runs 5]

A real web process on a record holding `--minutes` of history for 24 feeds (one entry a second
each, as `bench.suite`'s 24-tile screen reads) and a wall state version. Measured:
(a) the server's rebuild of the screen at an instant (`ReplaySource.moment` + `rebuild`), ms;
(b) navigation to `/wall/load?at=` until all 24 tiles are painted with their data, ms (target
    under 1,500 ms);
    the first navigation in a new browser (empty caches) apart from the median of the rest;
(c) at 60x: how long play holds its clock for its first read-ahead, then, sampled every
    animation frame for 5 s from the moment the clock runs: replay time per wall time, the gaps
    between animation frames, and how long ago the replay clock passed the oldest frame not yet
    applied, in wall ms (0 when in step; a sample taken in the same animation frame just before
    the page applies is under 16.7 ms).
Written to bench/results/replay.json. Never run by the tests (no wall-clock bounds in tests).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from bench.stack import Stack
from bench.suite import ALL_PAINTED, load_config_24
from opswall.auth.sessions import Client, Sessions
from opswall.cli.snapshot import session_cookie
from opswall.clock import now_ms
from opswall.control.state import WallState
from opswall.history.store import insert_ignoring
from opswall.replay import states
from opswall.replay.core import rebuild
from opswall.replay.source import ReplaySource
from opswall.store.db import Database
from opswall.testing import CHROMIUM_ARGS, chromium_path
from opswall.tiles import default_registry

RESULTS = Path(__file__).parent / "results"
PAINTED = "n => document.querySelectorAll('[data-tile][data-fresh=live]').length >= n"

# Every animation frame for `ms`: the page's replay clock against 60x its own wall clock.
PACING = """ms => new Promise(resolve => {
  const s = window.opswall.replay, t0 = performance.now(), lags = [], gaps = [];
  let last = t0;
  const now = () => {
    const c = s.clock;
    return c.playing ? c.at + (Date.now() - c.wallAt) * c.speed : c.at;
  };
  const a0 = now();
  const frame = () => {
    // Clock against applied: how long ago (wall ms) the clock passed the oldest frame not yet
    // applied (held, or not read ahead yet past the horizon); 0 when every passed one is shown.
    const t = now(), held = s.pending.length ? s.pending[0].at : Infinity;
    gaps.push(performance.now() - last); last = performance.now();
    const due = Math.min(held, s.horizon === null ? t : s.horizon);
    lags.push(Math.max(0, t - due) / s.clock.speed);
    if (performance.now() - t0 < ms) requestAnimationFrame(frame);
    else resolve({lags, gaps, rate: (now() - a0) / (performance.now() - t0)});
  };
  requestAnimationFrame(frame);
})"""


def fill(db: Database, minutes: int, at: int) -> None:
    """`minutes` of history before `at` and 6 after it (what 5 s of 60x play reads)."""
    rows = [
        {
            "feed": f"bench{i}",
            "entry_ms": ms,
            "entry_seq": 0,
            "asof_ms": ms,
            "value": float(1000 + i + (ms // 1000) % 50),
            "fields": json.dumps({"value": 1000 + i + (ms // 1000) % 50}),
        }
        for i in range(24)
        for ms in range(at - minutes * 60_000, at + 6 * 60_000, 1000)
    ]
    for start in range(0, len(rows), 5000):
        insert_ignoring(db, rows[start : start + 5000])
    states.record(db, WallState(version=1, at_ms=at - minutes * 60_000, by="bench"), "resume")


def core_ms(db: Database, config: Path, at: int, runs: int) -> list[float]:
    source = ReplaySource(db, config, default_registry())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        moment = source.moment(at, now_ms())
        assert moment is not None
        screen = moment.snapshot.config.screen("load")
        assert screen is not None
        rebuild(moment, screen, True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def page_ms(page: Page, url: str) -> float:
    """Navigation start to all 24 tiles painted with their data of then."""
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function(PAINTED, arg=24, timeout=60_000)
    return float(page.evaluate(ALL_PAINTED, 24))


def run(minutes: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        config = directory / "wall_config.yaml"
        config.write_text(load_config_24(), "utf-8")
        stack = Stack(directory, config, balanced=False).start()
        try:
            assert stack.record is not None
            db = Database(stack.record.database_url)
            # The instant: just after the web process recorded its config revision at start
            # (nothing before the first revision can be replayed); the history around it is
            # written as if it had been recorded live.
            at = now_ms()
            fill(db, minutes, at)
            server = core_ms(db, config, at, runs)
            sid = Sessions(db).open("operator", Client("127.0.0.1", "bench"))
            assert sid is not None
            base = f"http://127.0.0.1:{stack.web_port}"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.context.add_cookies(
                    [{"name": "session", "value": session_cookie(db, sid), "url": base}]
                )
                url = f"{base}/wall/load?at={at}"
                loads = [page_ms(page, url) for _ in range(runs)]
                page.goto(url)
                page.evaluate(ALL_PAINTED, 24)
                page.wait_for_timeout(1000)  # the first paint's work done, as a person would
                page.select_option("[data-role=replay-speed]", "60")
                pressed = time.perf_counter()
                page.click("[data-role=replay-play]")
                page.wait_for_function("() => document.documentElement.dataset.replayPlaying")
                hold = (time.perf_counter() - pressed) * 1000
                pacing = page.evaluate(PACING, 5000)
                browser.close()
            db.dispose()
        finally:
            stack.stop()
    return {
        "load_average": os.getloadavg(),  # a shared machine's figures mean little
        "history_rows": 24 * minutes * 60,
        "server_rebuild_ms": {"median": statistics.median(server), "max": max(server)},
        "page_24_tiles_ms": {
            "first_in_new_browser": loads[0],
            "median_after": statistics.median(loads[1:]),
            "max_after": max(loads[1:]),
        },
        # Replay ms per wall ms over the window (60 at 60x), and how long ago the clock passed
        # the oldest frame still not applied, in wall ms (0: every passed frame is shown).
        "play_60x_rate": pacing["rate"],
        # Play holds its clock until its first read-ahead has arrived (replay.js `start`).
        "play_60x_hold_ms": hold,
        "frame_gap_ms": {
            "median": statistics.median(pacing["gaps"]),
            "p99": sorted(pacing["gaps"])[int(len(pacing["gaps"]) * 0.99)],
        },
        # Samples in which the clock had passed a frame not yet applied by more than a frame.
        "samples_a_frame_behind": sum(1 for lag in pacing["lags"] if lag > 1000 / 60),
        "samples": len(pacing["lags"]),
        "play_60x_lag_wall_ms": {
            "median": statistics.median(pacing["lags"]),
            "p99": sorted(pacing["lags"])[int(len(pacing["lags"]) * 0.99)],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = run(args.minutes, args.runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "replay.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
