"""The Redis URL decides the client: one server, or a cluster reached through any node."""

from __future__ import annotations

import pytest
import redis

from opswall.store.redis_client import cluster_url, connect, is_cluster, slot_groups


def test_cluster_urls_are_told_from_server_urls() -> None:
    assert cluster_url("redis+cluster://10.0.0.5:7000") == "redis://10.0.0.5:7000"
    assert cluster_url("rediss+cluster://node.example:6380/0") == "rediss://node.example:6380"
    assert cluster_url("redis://127.0.0.1:6379/2") is None
    assert not is_cluster(connect("redis://127.0.0.1:6379/0"))
    assert isinstance(connect("redis://127.0.0.1:6379/0"), redis.Redis)


def test_a_cluster_url_naming_another_database_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="only database 0, not /3"):
        cluster_url("redis+cluster://10.0.0.5:7000/3")


def test_slot_groups_keep_hash_tagged_keys_together() -> None:
    keys = ["feed:{s1}:a", "feed:{s2}:b", "feed:{s1}:c", "{wall}:cmd"]
    assert list(slot_groups(keys, clustered=False).values()) == [keys]  # one read, one server
    groups = list(slot_groups(keys, clustered=True).values())
    assert sorted(map(sorted, groups)) == [
        ["feed:{s1}:a", "feed:{s1}:c"],
        ["feed:{s2}:b"],
        ["{wall}:cmd"],
    ]
