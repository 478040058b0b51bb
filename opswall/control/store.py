"""The wall state in Redis: one key holds it, one stream announces each new version.

`apply` is an optimistic transaction (WATCH/MULTI): two panels acting at once never interleave
a read and a write, the later action applies on top of the earlier one (last action wins), and
every version is announced once on `{wall}:cmd`, which every gateway reads with the feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redis.exceptions import WatchError

from opswall.clock import now_ms
from opswall.config.models import WallConfig
from opswall.control.actions import ControlAction, apply, parse_action
from opswall.control.state import WallState
from opswall.keys import CMD_STREAM, STATE_KEY
from opswall.replay import states
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient

CMD_MAXLEN = 1000


class ControlStore:
    def __init__(self, client: SyncClient, db: Database | None = None) -> None:
        self.redis = client
        self.db = db  # where each version is also kept for replays (issue 24)

    def read(self) -> WallState:
        return WallState.from_json(self.redis.get(STATE_KEY))

    def apply(
        self, action: ControlAction | Mapping[str, Any], actor: str, config: WallConfig
    ) -> tuple[WallState, WallState]:
        """Apply `action` atomically; return (before, after). `after is before`: no change.
        A raw mapping is parsed first: an invalid action raises ActionError and touches nothing."""
        typed = parse_action(action) if isinstance(action, Mapping) else action
        # transaction=True: a cluster client's pipelines are plain batches unless asked.
        with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(STATE_KEY)
                    before = WallState.from_json(pipe.get(STATE_KEY))
                    after = apply(before, typed, actor, config, now_ms())
                    if after is before:
                        pipe.unwatch()
                        return before, after
                    pipe.multi()
                    pipe.set(STATE_KEY, after.to_json())
                    pipe.xadd(
                        CMD_STREAM,
                        {
                            "state": after.to_json(),
                            "action": typed.action,
                            "by": actor,
                        },
                        maxlen=CMD_MAXLEN,
                        approximate=True,
                    )
                    pipe.execute()
                    states.record_quietly(self.db, after, typed.action)
                    return before, after
                except WatchError:
                    continue  # another action landed first: apply on top of it
