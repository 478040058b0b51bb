"""One place that turns `OPSWALL_REDIS_URL` into a client, standalone or Redis Cluster.

`redis://` and `rediss://` address one server (or a Sentinel-managed primary behind a stable
name); `redis+cluster://host:port` (or `rediss+cluster://`) addresses a Redis Cluster through
any of its nodes: the client learns the others and the slot map from it. Every part (web,
gateway, feed runner, CLI) connects through here, so a deployment moves to a cluster by changing
the URL and giving the wall config `wall.stream_shards` (see `opswall.config.models`).

Commands that name several keys must keep them in one hash slot on a cluster. `slot_groups` splits
a set of stream keys into groups one XREAD may name: all of them on one server, one group per slot
on a cluster (hash-tagged stream keys share a few slots, so a gateway needs few readers).
"""

from __future__ import annotations

from typing import Any

import redis
import redis.asyncio as aioredis
from redis.crc import key_slot

ALL_SLOTS = -1  # the one group on a single server
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}

SyncClient = redis.Redis | redis.RedisCluster
AsyncClient = aioredis.Redis | aioredis.RedisCluster


def cluster_url(url: str) -> str | None:
    """The plain URL of a cluster address (what redis-py's cluster client takes), else None."""
    scheme, sep, rest = url.partition("://")
    plain = CLUSTER_SCHEMES.get(scheme.lower())
    if not sep or plain is None:
        return None
    # A cluster has one database: a trailing /0 is accepted, any other number is a mistake.
    host, _, db = rest.partition("/")
    if db not in ("", "0"):
        raise ValueError(f"a Redis Cluster has only database 0, not /{db}: {url}")
    return f"{plain}://{host}"


def connect(url: str, **options: Any) -> SyncClient:
    """A blocking client for `url` (a server or a cluster)."""
    plain = cluster_url(url)
    if plain is None:
        return redis.Redis.from_url(url, **options)
    return redis.RedisCluster.from_url(plain, **options)


def connect_async(url: str, **options: Any) -> AsyncClient:
    """An asyncio client for `url` (a server or a cluster)."""
    plain = cluster_url(url)
    if plain is None:
        return aioredis.Redis.from_url(url, **options)
    return aioredis.RedisCluster.from_url(plain, **options)


def is_cluster(client: object) -> bool:
    return isinstance(client, redis.RedisCluster | aioredis.RedisCluster)


def slot_groups(keys: list[str], clustered: bool) -> dict[int, list[str]]:
    """Keys that one multi-key command may name together, by hash slot (order kept within);
    on one server, all of them under ALL_SLOTS."""
    if not clustered:
        return {ALL_SLOTS: list(keys)} if keys else {}
    groups: dict[int, list[str]] = {}
    for key in keys:
        groups.setdefault(key_slot(key.encode()), []).append(key)
    return groups


async def xread_slot(client: AsyncClient, streams: dict[str, str], count: int, block: int) -> Any:
    """XREAD of one slot group's streams from their last ids.

    On a cluster the node is named from the group's first key. Left to itself, redis-py asks the
    server which of XREAD's arguments are keys (COMMAND GETKEYS) before every read: a second
    round trip that made a gateway's reads cost twice the CPU on a cluster."""
    if not isinstance(client, aioredis.RedisCluster):
        return await client.xread(streams, count=count, block=block)  # type: ignore[arg-type]
    await client.initialize()  # the slot map, refreshed if a failure made it stale
    node = client.get_node_from_key(next(iter(streams)))
    return await client.execute_command(
        "XREAD",
        "COUNT",
        count,
        "BLOCK",
        block,
        "STREAMS",
        *streams,
        *streams.values(),
        target_nodes=node,
    )
