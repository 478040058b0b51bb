"""Scale-out on one machine: a 3-node Redis Cluster (redis-server in cluster mode, started here).

The sharded layout puts each feed's stream in one of `stream_shards` hash slots, so a gateway
reads many feeds with one XREAD per slot; the wall state and its announcement share a slot so
the panel's transaction stays atomic. Two gateways serving real screens over the cluster are in
tests/browser/test_cluster_screens.py. The throughput comparison is `python -m bench.cluster`
(its quick form runs here; figures are reported, not asserted: the machine is shared).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.stack import bench_config
from opswall.auth.throttle import PAIR_LIMIT
from opswall.config.loader import load_config
from opswall.control.store import ControlStore
from opswall.feeds.stream_ids import as_text, stream_items
from opswall.keys import CMD_STREAM, sharded_feed_stream
from opswall.runtime.redis_provider import RedisClusterServers
from opswall.store.redis_client import connect, connect_async, is_cluster, slot_groups, xread_slot
from opswall.tiles import default_registry
from opswall.web.security import LoginLimiter
from tests.conftest import run_async, run_bench

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not (shutil.which("redis-server") and shutil.which("redis-cli")),
        reason="needs redis-server and redis-cli",
    ),
]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[RedisClusterServers]:
    servers = RedisClusterServers(tmp_path / "cluster").start()
    yield servers
    servers.stop()


def test_sharded_streams_spread_over_the_nodes_and_control_stays_atomic(
    cluster: RedisClusterServers, tmp_path: Path
) -> None:
    path = tmp_path / "wall.yaml"
    path.write_text(bench_config(24, 1.0, shards=8), encoding="utf-8")
    keys = [feed.stream_key for feed in load_config(path, default_registry()).feeds]
    assert all(re.fullmatch(r"feed:\{s[0-7]\}:bench\d+", key) for key in keys), keys
    client = connect(cluster.url, decode_responses=True)
    assert is_cluster(client)
    # Every node holds some of the streams, and a gateway needs one read per hash tag in use.
    for key in keys:
        client.xadd(key, {"value": "1"})
    owners = {client.get_node_from_key(key).port for key in keys}
    assert owners == {server.port for server in cluster.servers}
    tags = {key.split("}")[0] for key in keys}
    assert len(slot_groups(keys, clustered=True)) == len(tags) and 1 < len(tags) <= 8
    # The panel's optimistic transaction (WATCH state, MULTI, SET + XADD) runs on the cluster.
    config = load_config(FIXTURES / "session.yaml", default_registry())
    store = ControlStore(connect(cluster.url))
    for i in range(5):
        store.apply({"action": "drill", "var": "province", "value": f"p{i}"}, "leader", config)
    assert store.read().version == 5 and store.read().vars == {"province": "p4"}
    announced = [json.loads(fields["state"])["version"] for _, fields in client.xrange(CMD_STREAM)]
    assert announced == [1, 2, 3, 4, 5]
    # Sign-in limits read their three counters in one MGET: they share a slot too.
    limiter = LoginLimiter(connect(cluster.url))
    for _ in range(PAIR_LIMIT):
        assert not limiter.verdict("minh", "10.0.0.9").blocked
        limiter.failed("minh", "10.0.0.9")
    assert limiter.verdict("minh", "10.0.0.9").blocked == "pair"
    assert not limiter.verdict("lan", "10.0.0.9").blocked


def getkeys_calls(cluster: RedisClusterServers) -> int:
    total = 0
    for server in cluster.servers:
        stats = connect(f"redis://127.0.0.1:{server.port}").info("commandstats")
        total += int(stats.get("cmdstat_command|getkeys", {}).get("calls", 0))
    return total


def test_a_slot_groups_read_goes_straight_to_the_node_that_holds_it(
    cluster: RedisClusterServers,
) -> None:
    """The gateway's XREAD per slot group names its node: every stream is read, from all three
    nodes, without the client asking a server which arguments are keys (COMMAND GETKEYS), the
    extra round trip that doubled a gateway's read cost on a cluster."""
    keys = [sharded_feed_stream(f"f{i}", 6) for i in range(18)]
    client = connect(cluster.url, decode_responses=True)
    for key in keys:
        client.xadd(key, {"value": "1"})
    groups = slot_groups(keys, clustered=True)
    assert len({client.get_node_from_key(g[0]).port for g in groups.values()}) == 3

    async def read_every_group() -> set[str]:
        reader = connect_async(cluster.url)
        seen: set[str] = set()
        try:
            for group in groups.values():
                reply = await xread_slot(reader, dict.fromkeys(group, "0-0"), count=10, block=100)
                seen |= {as_text(key) for key, entries in stream_items(reply) if entries}
        finally:
            await reader.aclose()
        return seen

    before = getkeys_calls(cluster)
    assert run_async(read_every_group()) == set(keys)
    assert getkeys_calls(cluster) == before


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_cluster_benchmark_quick_form_reports_both_topologies(tmp_path: Path) -> None:
    out = tmp_path / "cluster.json"
    _, report = run_bench("bench.cluster", out, "--quick", timeout=500)
    assert set(report["topologies"]) == {
        "1 gateway, 1 redis-server",
        "2 gateways, 1 redis-server",
        "2 gateways, 3-node Redis Cluster",
    }
    for steps in report["topologies"].values():
        # Every screen got (about) everything produced at the lowest rate, on either topology.
        first = steps[0]
        assert first["produced_per_s"] > 0
        assert first["delivered_per_s"] >= 0.9 * first["produced_per_s"] * report["screens"]
    assert report["gain"]["1 gateway, 1 redis-server"] == 1.0  # the others are relative to it
