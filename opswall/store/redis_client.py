"""One place that turns `OPSWALL_REDIS_URL` into a client: one server, Sentinel or Cluster.

- `redis://` and `rediss://` address one server;
- `redis+sentinel://[user:password@]host:port[,host:port...]/service[/db]` (or
  `rediss+sentinel://`) addresses the primary that Redis Sentinel names for `service`: the client
  asks the sentinels where it is on every (re)connect, so after a failover it finds the promoted
  replica by itself. The credentials are the data nodes'; the sentinels are asked without them;
- `redis+cluster://host:port` (or `rediss+cluster://`) addresses a Redis Cluster through any of
  its nodes: the client learns the others and the slot map from it.
Every part (web, gateway, feed runner, CLI) connects through here, so a deployment moves to
Sentinel or a cluster by changing the URL (a cluster also wants `wall.stream_shards`, see
`opswall.config.models`).

Commands that name several keys must keep them in one hash slot on a cluster. `slot_groups` splits
a set of stream keys into groups one XREAD may name: all of them on one server, one group per slot
on a cluster (hash-tagged stream keys share a few slots, so a gateway needs few readers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import redis
import redis.asyncio as aioredis
import redis.asyncio.sentinel as aiosentinel
import redis.sentinel
from redis.crc import key_slot

ALL_SLOTS = -1  # the one group on a single server
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}
SENTINEL_SCHEMES = {"redis+sentinel": False, "rediss+sentinel": True}  # -> TLS to the data nodes

SyncClient = redis.Redis | redis.RedisCluster
AsyncClient = aioredis.Redis | aioredis.RedisCluster


def _scheme(url: str) -> tuple[str, str]:
    """(scheme in lower case, the rest); no scheme: ("", url)."""
    scheme, sep, rest = url.partition("://")
    return (scheme.lower(), rest) if sep else ("", url)


def cluster_url(url: str) -> str | None:
    """The plain URL of a cluster address (what redis-py's cluster client takes), else None."""
    scheme, rest = _scheme(url)
    plain = CLUSTER_SCHEMES.get(scheme)
    if plain is None:
        return None
    # A cluster has one database: a trailing /0 is accepted, any other number is a mistake.
    host, _, db = rest.partition("/")
    if db not in ("", "0"):
        raise ValueError(f"a Redis Cluster has only database 0, not /{db}: {url}")
    return f"{plain}://{host}"


@dataclass(frozen=True)
class SentinelAddress:
    sentinels: tuple[tuple[str, int], ...]
    service: str
    db: int = 0
    username: str | None = None
    password: str | None = None
    tls: bool = False

    def node_options(self) -> dict[str, Any]:
        """What the primary's connections take beyond the caller's options."""
        options: dict[str, Any] = {"db": self.db, "ssl": self.tls}
        if self.username is not None:
            options["username"] = self.username
        if self.password is not None:
            options["password"] = self.password
        return options


def sentinel_address(url: str) -> SentinelAddress | None:
    """The parts of a Sentinel address, else None; a malformed one raises ValueError naming why."""
    scheme, rest = _scheme(url)
    tls = SENTINEL_SCHEMES.get(scheme)
    if tls is None:
        return None
    credentials, at, rest = rest.rpartition("@")
    hosts, _, path = rest.partition("/")
    service, _, db = path.partition("/")
    if not service:
        raise ValueError(f"a Sentinel address names its service after the hosts: {url}")
    if db not in ("", "0") and not db.isdigit():
        raise ValueError(f"not a database number: /{db} in {url}")
    sentinels = tuple(_host_port(part, url) for part in hosts.split(","))
    username = password = None
    if at:
        user, colon, secret = credentials.partition(":")
        username = unquote(user) or None
        password = unquote(secret) if colon else None
    return SentinelAddress(sentinels, unquote(service), int(db or 0), username, password, tls)


def _host_port(part: str, url: str) -> tuple[str, int]:
    host, colon, port = part.rpartition(":")
    if not colon or not host or not port.isdigit():
        raise ValueError(f"a sentinel is host:port, not {part!r}: {url}")
    return host.strip("[]"), int(port)


def connect(url: str, **options: Any) -> SyncClient:
    """A blocking client for `url` (a server, a Sentinel-named primary or a cluster)."""
    if (address := sentinel_address(url)) is not None:
        sentinel = redis.sentinel.Sentinel(address.sentinels, **options)  # type: ignore[no-untyped-call]
        primary: redis.Redis = sentinel.master_for(  # type: ignore[no-untyped-call]
            address.service, **address.node_options()
        )
        return primary
    plain = cluster_url(url)
    if plain is None:
        return redis.Redis.from_url(url, **options)
    return redis.RedisCluster.from_url(plain, **options)


def connect_async(url: str, **options: Any) -> AsyncClient:
    """An asyncio client for `url` (a server, a Sentinel-named primary or a cluster)."""
    if (address := sentinel_address(url)) is not None:
        sentinel = aiosentinel.Sentinel(address.sentinels, **options)  # type: ignore[no-untyped-call]
        primary: aioredis.Redis = sentinel.master_for(address.service, **address.node_options())
        return primary
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
