"""The Redis URL decides the client: one server, the primary Sentinel names, or a cluster
reached through any node."""

from __future__ import annotations

import pytest
import redis

from opswall.store.redis_client import (
    SentinelAddress,
    cluster_url,
    connect,
    is_cluster,
    sentinel_address,
    slot_groups,
)


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


def test_sentinel_urls_name_the_sentinels_the_service_and_the_data_nodes_credentials() -> None:
    url = "rediss+sentinel://wall:s%40cret@10.0.0.1:26379,[::1]:26380,s3.example:26381/ops/2"
    assert sentinel_address(url) == SentinelAddress(
        sentinels=(("10.0.0.1", 26379), ("::1", 26380), ("s3.example", 26381)),
        service="ops",
        db=2,
        username="wall",
        password="s@cret",
        tls=True,
    )
    plain = sentinel_address("redis+sentinel://127.0.0.1:26379/opswall")
    assert plain == SentinelAddress((("127.0.0.1", 26379),), "opswall")
    assert plain.node_options() == {"db": 0, "ssl": False}
    assert sentinel_address("redis://127.0.0.1:6379/0") is None
    assert cluster_url("redis+sentinel://127.0.0.1:26379/opswall") is None
    # A Sentinel URL makes a client of the primary Sentinel names (asked on connect, not here).
    client = connect("redis+sentinel://127.0.0.1:26379/opswall")
    assert isinstance(client, redis.Redis) and not is_cluster(client)
    assert client.connection_pool.service_name == "opswall"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("redis+sentinel://127.0.0.1:26379", "names its service"),
        ("redis+sentinel://127.0.0.1:26379/ops/x", "not a database number: /x"),
        ("redis+sentinel://127.0.0.1/ops", "host:port, not '127.0.0.1'"),
        ("redis+sentinel://a:1,,b:2/ops", "host:port, not ''"),
    ],
)
def test_a_malformed_sentinel_url_is_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("(", r"\(")):
        sentinel_address(url)
