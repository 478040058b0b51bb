"""History survives restarts: the recorder writes every entry to the database (once, even with
two recorders), and a screen's first render after the stream lost them still shows them."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.store.schema import HistoryPoint
from opswall.testing import Provisioned
from tests.conftest import OpswallProcess, redis_client
from tests.integration.test_gateway import Screen

pytestmark = pytest.mark.redis


def recorded(db: Database, feed: str) -> list[tuple[int, int, float | None]]:
    with db.session() as session:
        rows = session.execute(
            select(HistoryPoint.entry_ms, HistoryPoint.entry_seq, HistoryPoint.value)
            .where(HistoryPoint.feed == feed)
            .order_by(HistoryPoint.entry_ms, HistoryPoint.entry_seq)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def wait_for_rows(db: Database, feed: str, count: int, timeout: float = 20) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = recorded(db, feed)
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    raise AssertionError(f"{feed}: {len(recorded(db, feed))} of {count} entries recorded")


def test_history_survives_losing_the_stream_and_shows_on_first_render(
    own_redis: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    r = redis_client(own_redis.url)
    db = Database(record.database_url)
    recorders = [
        OpswallProcess(["feeds", "--config", str(wall_config)], own_redis.url, "", record).start(
            wait=False
        )
        for _ in range(2)  # two recorders share the work: each entry is recorded once
    ]
    try:
        ids = [r.xadd("feed:power_load", {"value": str(40000 + i)}) for i in range(30)]
        r.xadd("feed:power_load", {"ts": "garbage"})  # malformed: skipped, not recorded
        rows = wait_for_rows(db, "power_load", 30)
        time.sleep(1.0)  # give a double recording, if any, the time to show
        rows = recorded(db, "power_load")
        assert [f"{ms}-{seq}" for ms, seq, _ in rows] == ids
        assert [value for _, _, value in rows] == [40000.0 + i for i in range(30)]

        # The stream loses everything (a Redis restarted without persistence, or trimming).
        own_redis.stop()
        shutil.rmtree(own_redis.directory / "appendonlydir", ignore_errors=True)
        own_redis.start()
        assert redis_client(own_redis.url).xlen("feed:power_load") == 0
        port = start_gateway(wall_config, own_redis.url)  # a fresh gateway: nothing cached
        # The KPI with a 1-minute sparkline on "second" needs the last minute: from the database.
        screen = Screen(port, record.viewer_token, "second")
        with screen:
            history = [(e[1], e[3]["value"]) for e in screen.snapshot if e[0] == "power_load"]
        assert history == [(ids[i], 40000 + i) for i in range(30)]

        # Recording resumes by itself on the emptied Redis (its groups are made again).
        fresh = r.xadd("feed:power_load", {"value": "41234"})
        rows = wait_for_rows(db, "power_load", 31)
        assert f"{rows[-1][0]}-{rows[-1][1]}" == fresh
    finally:
        for part in recorders:
            part.stop()
        db.dispose()


def test_the_recorder_skips_poison_entries_and_records_the_rest(
    redis_server: RedisServer, wall_config: Path, record: Provisioned
) -> None:
    """An entry nested thousands of levels deep, or holding a lone surrogate, is skipped (and
    counted): the entries around it are recorded, for that feed and the others (issue 17)."""
    r = redis_client(redis_server.url)
    r.delete("feed:power_load")
    db = Database(record.database_url)
    recorder = OpswallProcess(
        ["feeds", "--config", str(wall_config)], redis_server.url, "", record
    ).start(wait=False)
    try:
        ids = [r.xadd("feed:power_load", {"value": "1"})]
        r.xadd("feed:power_load", {"json": '{"a":' * 3000 + "1" + "}" * 3000})
        r.xadd("feed:power_load", {"value": "2", "json": '{"note": "\\ud800"}'})
        ids += [r.xadd("feed:power_load", {"value": str(v)}) for v in (3, 4)]
        rows = wait_for_rows(db, "power_load", 3)
        assert [f"{ms}-{seq}" for ms, seq, _ in rows] == ids
    finally:
        recorder.stop()
        db.dispose()
