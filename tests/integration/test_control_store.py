"""The wall state in a real Redis: concurrent actions from two panels never corrupt it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import redis

from opswall.config.loader import load_config
from opswall.control.store import ControlStore
from opswall.keys import CMD_STREAM, STATE_KEY
from opswall.runtime.redis_provider import RedisServer
from opswall.tiles import default_registry

pytestmark = pytest.mark.redis

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_two_panels_acting_at_once_apply_every_action_in_order(redis_server: RedisServer) -> None:
    config = load_config(FIXTURES / "session.yaml", default_registry())
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    client.delete(STATE_KEY, CMD_STREAM)

    def panel(name: str) -> None:
        store = ControlStore(redis.Redis.from_url(redis_server.url))
        for i in range(40):
            store.apply({"action": "drill", "var": "province", "value": f"{name}{i}"}, name, config)

    threads = [threading.Thread(target=panel, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = ControlStore(client).read()
    assert final.version == 80  # no action lost to a concurrent write
    announced = [json.loads(fields["state"]) for _, fields in client.xrange(CMD_STREAM)]
    assert [state["version"] for state in announced] == list(range(1, 81))  # each version once
    assert announced[-1]["vars"] == final.vars and final.by in ("a", "b")
    unchanged = ControlStore(client).apply({"action": "resume"}, "a", config)
    assert unchanged[0] is unchanged[1] and client.xlen(CMD_STREAM) == 80  # no-ops not announced
