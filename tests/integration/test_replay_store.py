"""Wall state versions for replays (issue 24): appended by the control store, never changed,
deleted only below a prune floor the retention job declares first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from opswall.clock import now_ms
from opswall.config.feed_sources import IndicatorSource
from opswall.config.live import ConfigSource
from opswall.control.state import WallState
from opswall.history.recorder import Recorder
from opswall.replay import states
from opswall.replay.source import published
from opswall.store.db import Database
from opswall.store.schema import IndicatorReport
from opswall.tiles import default_registry
from tests.conftest import FIXTURES, run_async


def test_versions_are_kept_and_read_back_at_an_instant(db: Database) -> None:
    """The state in force at T is the newest version stamped at or before T."""
    now = now_ms()
    for version, scene in ((1, "economy"), (2, "disaster")):
        states.record(
            db,
            WallState(version=version, scene=scene, at_ms=now - 10_000 + version * 1000),
            "scene",
        )
    assert states.at(db, now - 10_000) is None
    found = states.at(db, now - 8500)
    assert found is not None and found.scene == "economy"
    assert (states.at(db, now) or WallState()).scene == "disaster"


def test_rows_are_never_updated_and_deleted_only_below_a_floor(db: Database) -> None:
    """Raw SQL, bypassing the ORM: the database's own triggers decide."""
    now = now_ms()
    for version in (1, 2, 3):
        states.record(db, WallState(version=version, at_ms=now - 100_000 + version), "pause")
    with pytest.raises(DBAPIError, match="never updated"), db.engine.begin() as c:
        c.execute(text("UPDATE wall_states SET by = 'x'"))
    with pytest.raises(DBAPIError, match="prune floor"), db.engine.begin() as c:
        c.execute(text("DELETE FROM wall_states"))
    with pytest.raises(DBAPIError, match="future"), db.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO prune_floors (tbl, before_ms, at, by) VALUES "
                "('wall_states', :b, CURRENT_TIMESTAMP, 'x')"
            ),
            {"b": now + 3_600_000},
        )
    # The retention job: versions older than the cut go, but the one in force at the cut stays.
    assert states.prune(db, now - 1000) == 2
    kept = states.at(db, now - 1000)
    assert kept is not None and kept.version == 3
    assert states.at(db, now - 100_000 + 2) is None  # older than retention: said, not invented
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as c:
        c.execute(text("DELETE FROM prune_floors"))  # the prune's mark stays


def test_the_history_recorder_prunes_wall_states_by_wall_replay_keep(
    db: Database, tmp_path: Path
) -> None:
    """Its retention pass drops versions older than wall.replay_keep, keeping the one in force."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    config = tmp_path / "wall_config.yaml"
    config.write_text(text.replace("wall: {", "wall: {replay_keep: 1h, ", 1), "utf-8")
    now = now_ms()
    for version, age_ms in ((1, 3 * 3_600_000), (2, 2 * 3_600_000), (3, 60_000)):
        states.record(db, WallState(version=version, at_ms=now - age_ms), "scene")
    recorder = Recorder(ConfigSource(config, default_registry()), cast(Any, None), db)
    recorder.next_prune = 0
    run_async(recorder.prune_due())  # in a thread: a browser test's loop may be running
    assert states.at(db, now - 3 * 3_600_000 + 1) is None  # version 1: older than retention
    kept = states.at(db, now - 3_600_000)
    assert kept is not None and kept.version == 2  # in force at the cut: kept


def test_a_replayed_indicator_is_as_old_as_the_publishers_entry_was(db: Database) -> None:
    """The publisher writes an indicator's entry at once on a report and every cadence after,
    so at S + 5.5 s (2 s cadence) the live tile read an entry written at S + 4 s: 1.5 s old,
    never 0 s (the replay instant). A span stamps each rewrite on the same beat, and a
    correction starts a new beat at its own submission."""
    start = now_ms() - 60_000
    source = IndicatorSource(kind="indicator", code="CPI_YOY")
    for revision, at in ((1, start), (2, start + 9_300)):
        with db.session() as s:
            s.add(
                IndicatorReport(
                    code="CPI_YOY",
                    area="national",
                    period="2026-10",
                    revision=revision,
                    value=3.3 + revision / 100,
                    submitted_at=datetime.fromtimestamp(at / 1000, UTC),
                    submitted_by="NSO",
                )
            )
    [alone] = published(db, source, 2000, start + 5500, None)
    assert alone.asof_ms == start + 4000 and alone.fields["revision"] == 1
    ahead = published(db, source, 2000, start + 12_000, start + 5500)
    assert [(e.asof_ms - start, e.fields["revision"]) for e in ahead] == [
        (6000, 1),
        (8000, 1),
        (9300, 2),
        (11_300, 2),
    ]
