"""Redis Sentinel: a primary, a replica and three sentinels started here (redis-server in
sentinel mode); the gateway reaches the primary through a `redis+sentinel://` URL and follows a
failover by itself, as it follows a restart of a single server."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from opswall.feeds.stream_ids import as_text
from opswall.runtime.redis_provider import RedisSentinelServers
from opswall.store.redis_client import SyncClient, connect
from opswall.testing import Provisioned
from tests.integration.test_gateway import Screen, entries_of, frames

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


@pytest.fixture
def sentinel_servers(tmp_path: Path) -> Iterator[RedisSentinelServers]:
    servers = RedisSentinelServers(tmp_path / "sentinel").start()
    yield servers
    servers.stop()


def write_until_accepted(client: SyncClient, key: str, value: str, timeout: float = 30.0) -> str:
    """XADD through the Sentinel-named primary, retrying while there is none (mid-failover)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return as_text(client.xadd(key, {"value": value}))
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_gateway_follows_a_sentinel_failover_and_resumes_where_it_was(
    sentinel_servers: RedisSentinelServers,
    wall_config: Path,
    start_gateway: Any,
    record: Provisioned,
) -> None:
    """kill -9 of the primary: the screen is told the source is down, the sentinels promote the
    replica, and the gateway finds it by itself: the screen is told the source is back and gets
    the entries written to the new primary, each once, without the one it already had."""
    url = sentinel_servers.url
    writer = connect(url, socket_timeout=2)
    before = as_text(writer.xadd("feed:power_load", {"value": "1"}))
    assert writer.wait(1, 5000) == 1  # the replica holds it before the primary dies
    port = start_gateway(wall_config, url)
    first = sentinel_servers.primary_port()
    screen = Screen(port, record.viewer_token)
    with screen as ws:
        assert screen.welcome["redis"] is True and screen.snapshot[-1][1] == before
        sentinel_servers.kill(first)
        down = frames(ws, "hb", lambda got: any(not f["redis"] for f in got), timeout=10)
        assert down and down[-1]["redis"] is False
        up = frames(ws, "hb", lambda got: any(f["redis"] for f in got), timeout=30)
        assert up and up[-1]["redis"] is True
        promoted = sentinel_servers.primary_port()
        assert promoted != first and promoted in [s.port for s in sentinel_servers.servers]
        after = [write_until_accepted(writer, "feed:power_load", str(v)) for v in (2, 3)]
        # Collect for a while past the second: a repeat or the old entry would show up here.
        assert [e[1] for e in entries_of(ws, 3, timeout=3)] == after
    # What the dead primary had copied is on the promoted one: nothing the wall showed is gone.
    assert as_text(writer.xrange("feed:power_load", before, before)[0][0]) == before
