"""Pane reports kept in a real Redis: the state's start survives repeated reports, a screen gone
quiet shows as not-reporting, and a day-old report is forgotten."""

from __future__ import annotations

import pytest

from opswall.runtime.redis_provider import RedisServer
from opswall.web.video_states import FORGET_AFTER_MS, SILENT_AFTER_MS, panes, record
from tests.conftest import redis_client

pytestmark = pytest.mark.redis


def report(state: str, site: str = "hue", last_live: int | None = None) -> dict[str, object]:
    return {"tile": "bridges", "site": site, "state": state, "reason": "", "last_live": last_live}


def test_reports_keep_when_a_state_began_and_notice_a_silent_screen(own_redis: RedisServer) -> None:
    client = redis_client(own_redis.url)
    t0 = 1_800_000_000_000
    record(client, "session", report("live", last_live=t0), t0)
    record(client, "session", report("live", last_live=t0 + 30_000), t0 + 30_000)
    record(client, "session", report("no-signal", "danang"), t0 + 30_000)
    first, second = panes(client, t0 + 31_000)
    # Worst first: the pane without a picture leads.
    assert (first.site, first.state) == ("danang", "no-signal")
    assert (second.site, second.state, second.since_ms) == ("hue", "live", t0)
    assert second.last_live_ms == t0 + 30_000
    record(client, "session", report("no-signal", last_live=t0 + 30_000), t0 + 40_000)
    changed = next(p for p in panes(client, t0 + 40_000) if p.site == "hue")
    assert (changed.state, changed.since_ms) == ("no-signal", t0 + 40_000)
    quiet = panes(client, t0 + 40_000 + SILENT_AFTER_MS + 1)
    assert {p.state for p in quiet} == {"not-reporting"}
    assert panes(client, t0 + 40_000 + FORGET_AFTER_MS + 1) == []
    assert client.hlen("video:panes") == 0
