"""Each adapter against a real peer started here: an HTTP server whose document changes, SQLite
and PostgreSQL tables being appended to, a Mosquitto broker. And the runner around them: a
failing source is reported, retried with backoff, and recovers, without stopping the others."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from opswall.config.models import Feed
from opswall.feeds.adapters.base import AdapterError
from opswall.feeds.adapters.http_poll import HttpPoll
from opswall.feeds.adapters.sql_poll import SqlPoll
from opswall.feeds.health import probe
from opswall.feeds.kinds import adapter_for
from opswall.runtime.mosquitto import MosquittoBroker
from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer
from tests.conftest import FIXTURES, run_async


@dataclass
class Site:
    """A web service whose documents the test changes; it records what it was asked."""

    bodies: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    delay: float = 0.0
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("If-None-Match")))
            time.sleep(state.delay)
            status, body = state.bodies.get(self.path, (404, b"not here"))
            etag = f'"{hash(body) & 0xFFFFFF:x}"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            try:
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up waiting (the timeout test)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


def make_feed(source: dict[str, Any], cadence: str = "1s", feed_id: str = "probe") -> Feed:
    return Feed.model_validate(
        {"id": feed_id, "label": "Probe", "cadence": cadence, "source": source}
    )


async def fetched(feed: Feed, redis_client: Any = None) -> list[dict[str, str]]:
    """One poll of an http_poll feed; its dead letters go to `redis_client`, if given."""
    adapter = adapter_for(feed, redis_client)
    assert isinstance(adapter, HttpPoll)
    try:
        return await adapter.fetch()
    finally:
        await adapter.close()


def dead_reasons(server: RedisServer, feed: Feed) -> list[str]:
    """The reasons in the feed's dead-letter stream, oldest first."""
    sync = redis.Redis.from_url(server.url, decode_responses=True)
    return [fields["reason"] for _, fields in sync.xrange(f"deadletter:{feed.id}")]


def test_http_poll_reads_json_then_asks_conditionally(site: Site) -> None:
    site.bodies["/fuel.json"] = (200, json.dumps({"prices": {"ron95": {"price": 20830}}}).encode())
    feed = make_feed(
        {
            "kind": "http_poll",
            "url": site.url("/fuel.json"),
            "fields": {"value": "prices.ron95.price"},
        }
    )
    adapter = adapter_for(feed, None)
    assert isinstance(adapter, HttpPoll)

    async def polls() -> list[list[dict[str, str]]]:
        try:
            first = await adapter.fetch()
            unchanged = await adapter.fetch()
            site.bodies["/fuel.json"] = (200, b'{"prices": {"ron95": {"price": 20910}}}')
            changed = await adapter.fetch()
            return [first, unchanged, changed]
        finally:
            await adapter.close()

    first, unchanged, changed = run_async(polls())
    assert first == [{"value": "20830"}]
    assert unchanged == []  # 304 Not Modified: nothing new to write
    assert changed == [{"value": "20910"}]
    assert site.requests[0][1] is None and site.requests[1][1] is not None  # If-None-Match sent


def test_http_poll_sets_a_bad_record_aside_and_writes_the_others(
    site: Site, redis_server: RedisServer
) -> None:
    """In a polled document, a record with a lone surrogate or a value beyond a float is set
    aside with its reason; the good records of the same document are written (issue 17)."""
    records = '[{"v": 1, "n": "ok"}, {"v": 2, "n": "\\ud800"}, {"v": 1e400}, {"v": 4}]'
    site.bodies["/gauges.json"] = (200, records.encode())
    feed = make_feed(
        {"kind": "http_poll", "url": site.url("/gauges.json"), "take": "all"},
        feed_id=f"gauges-{time.time_ns()}",
    )
    client = __import__("redis.asyncio", fromlist=["Redis"]).Redis.from_url(redis_server.url)

    async def poll() -> list[dict[str, str]]:
        try:
            return await fetched(feed, client)
        finally:
            await client.aclose()

    assert run_async(poll()) == [{"v": "1", "n": "ok"}, {"v": "4"}]
    assert dead_reasons(redis_server, feed) == [
        "field 'n': lone surrogate U+D800 at char 0",
        "field 'v': inf is not a finite number",
    ]


def test_http_poll_csv_rows_and_every_failure_named(site: Site) -> None:
    site.bodies["/weather.csv"] = (200, "name,temp\nHuế,24.5\nĐà Nẵng,25\n".encode())
    site.bodies["/broken"] = (500, b"oops")
    rows = make_feed(
        {"kind": "http_poll", "url": site.url("/weather.csv"), "format": "csv", "take": "rows"}
    )
    broken = make_feed({"kind": "http_poll", "url": site.url("/broken")})
    slow = make_feed({"kind": "http_poll", "url": site.url("/weather.csv"), "timeout": "0.3s"})

    def run(feed: Feed) -> Any:
        return fetched(feed)

    [entry] = run_async(run(rows))
    assert json.loads(entry["json"]) == {
        "rows": [{"name": "Huế", "temp": "24.5"}, {"name": "Đà Nẵng", "temp": "25"}]
    }
    with pytest.raises(AdapterError, match=r"answered HTTP 500"):
        run_async(run(broken))
    site.delay = 1.0
    with pytest.raises(AdapterError, match=r"no answer from .* in 0.3s"):
        run_async(run(slow))


@pytest.fixture(params=["sqlite", "postgresql"])
def source_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A producer's own database (not opswall's), with a table that grows."""
    from tests.conftest import postgres_url

    urls: Iterator[str] = (
        iter([f"sqlite:///{tmp_path / 'customs.db'}"])
        if request.param == "sqlite"
        else postgres_url()
    )
    url = next(urls)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE declarations (id INTEGER PRIMARY KEY, port TEXT, value_musd FLOAT)")
        )
    engine.dispose()
    yield url
    for _ in urls:
        pass


def customs_feed(source_db: str) -> Feed:
    """A sql_poll feed over the declarations table, with a stream of its own."""
    return make_feed(
        {
            "kind": "sql_poll",
            "url": source_db,
            "query": "SELECT id, port, value_musd FROM declarations WHERE id > :cursor ORDER BY id",
            "cursor": "id",
            "fields": {"value": "value_musd", "port": "port"},
        },
        feed_id=f"customs-{time.time_ns()}",
    )


def test_sql_poll_reads_only_new_rows_and_resumes_from_its_cursor(
    source_db: str, redis_server: RedisServer
) -> None:
    engine = create_engine(source_db)

    def add(*rows: tuple[int, str, float]) -> None:
        with engine.begin() as connection:
            for row in rows:
                connection.execute(
                    text("INSERT INTO declarations VALUES (:i, :p, :v)"),
                    {"i": row[0], "p": row[1], "v": row[2]},
                )

    feed = customs_feed(source_db)
    client = __import__("redis.asyncio", fromlist=["Redis"]).Redis.from_url(redis_server.url)

    async def polls() -> list[list[dict[str, str]]]:
        seen = []
        adapter = adapter_for(feed, client)
        assert isinstance(adapter, SqlPoll)
        add((1, "Cát Lái", 1.5), (2, "Hải Phòng", 2.25))
        seen.append(await adapter.fetch())
        seen.append(await adapter.fetch())
        await adapter.close()
        add((3, "Cái Mép", 0.75))
        again = adapter_for(feed, client)  # a restarted runner: the cursor comes from Redis
        assert isinstance(again, SqlPoll)
        stream = again.batches()
        seen.append(await anext(stream))
        await again.close()
        await client.aclose()
        return seen

    first, nothing, after_restart = run_async(polls())
    engine.dispose()
    assert first == [{"value": "1.5", "port": "Cát Lái"}, {"value": "2.25", "port": "Hải Phòng"}]
    assert nothing == []
    assert after_restart == [{"value": "0.75", "port": "Cái Mép"}]


def test_sql_poll_sets_a_bad_row_aside_and_moves_past_it(
    source_db: str, redis_server: RedisServer
) -> None:
    """A row with a control character or a huge text is set aside with its reason; the rows
    around it are written and the cursor moves past it, so it never stalls the feed (issue 17)."""
    engine = create_engine(source_db)
    with engine.begin() as connection:
        for row in [
            (1, "Cát Lái", 1.5),
            (2, "esc\x1b[2J", 2.0),
            (3, "x" * 300_000, 3.0),
            (4, "Vũng Áng", 4.0),
        ]:
            connection.execute(
                text("INSERT INTO declarations VALUES (:i, :p, :v)"),
                {"i": row[0], "p": row[1], "v": row[2]},
            )
    engine.dispose()
    feed = customs_feed(source_db)
    client = __import__("redis.asyncio", fromlist=["Redis"]).Redis.from_url(redis_server.url)

    async def polls() -> list[list[dict[str, str]]]:
        adapter = adapter_for(feed, client)
        assert isinstance(adapter, SqlPoll)
        seen = [await adapter.fetch(), await adapter.fetch()]
        await adapter.close()
        await client.aclose()
        return seen

    written, after = run_async(polls())
    assert written == [{"value": "1.5", "port": "Cát Lái"}, {"value": "4.0", "port": "Vũng Áng"}]
    assert after == []
    assert dead_reasons(redis_server, feed) == [
        "field 'port': control character U+001B at char 3",
        "field 'port' is larger than 262144 bytes",
    ]


def test_sql_poll_names_a_broken_query() -> None:
    feed = make_feed(
        {
            "kind": "sql_poll",
            "url": "sqlite://",
            "query": "SELECT * FROM nowhere WHERE id > :cursor",
            "cursor": "id",
        }
    )
    adapter = adapter_for(feed, None)
    assert adapter is not None
    with pytest.raises(AdapterError, match=r"query failed: .*no such table: nowhere"):
        run_async(adapter.fetch())  # type: ignore[attr-defined]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    if not MosquittoBroker.available():
        pytest.fail("mosquitto is required for these tests: run ./scripts/test, which installs it")
    server = MosquittoBroker(free_port(), tmp_path / "mqtt").start()
    yield server
    server.stop()


def test_mqtt_messages_become_entries_and_bad_ones_are_set_aside(
    broker: MosquittoBroker, redis_server: RedisServer
) -> None:
    import aiomqtt
    import redis.asyncio as aioredis

    feed = make_feed(
        {
            "kind": "mqtt",
            "url": broker.url,
            "topics": ["gauges/+"],
            "fields": {"value": "level"},
            "topic_field": "topic",
        },
        feed_id=f"gauge-{time.time_ns()}",
    )
    client = aioredis.Redis.from_url(redis_server.url)

    async def exchange() -> list[list[dict[str, str]]]:
        adapter = adapter_for(feed, client)
        assert adapter is not None
        stream = adapter.batches()
        assert await anext(stream) == []  # subscribed
        async with aiomqtt.Client("127.0.0.1", broker.port) as publisher:
            await publisher.publish("gauges/hanoi", b'{"level": 5.21}', qos=1)
            await publisher.publish("gauges/hanoi", b"not json", qos=1)
            await publisher.publish("gauges/hue", b'{"level": 2.4}', qos=1)
            got = [
                await asyncio.wait_for(anext(stream), 10),
                await asyncio.wait_for(anext(stream), 10),
            ]
        await client.aclose()
        return got

    got = run_async(exchange())
    assert got == [
        [{"value": "5.21", "topic": "gauges/hanoi"}],
        [{"value": "2.4", "topic": "gauges/hue"}],
    ]
    sync = redis.Redis.from_url(redis_server.url, decode_responses=True)
    [(_, bad)] = sync.xrange(f"deadletter:{feed.id}")
    assert bad["reason"].startswith("payload is not JSON") and bad["entry"] == "not json"
    assert sync.hget("opswall:deadletters", feed.id) == "1"


def test_the_runner_reports_a_failing_source_and_recovers_by_itself(
    site: Site, own_redis: RedisServer, tmp_path: Path
) -> None:
    """A feeds process against a source that fails, then works: the health page's inputs say
    failing with the reason, then ok, and entries flow, with no restart by anyone."""
    from opswall.config.live import ConfigSource
    from opswall.feeds.runner import FeedRunner
    from opswall.tiles import default_registry

    config = tmp_path / "wall_config.yaml"
    config.write_text(
        (FIXTURES / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "  - id: rivers\n",
            "  - id: fuel\n    label: Fuel\n    cadence: 1s\n"
            f'    source: {{kind: http_poll, url: "{site.url("/fuel.json")}", fields: {{value: price}}}}\n'
            "  - id: rivers\n",
            1,
        ),
        encoding="utf-8",
    )
    site.bodies["/fuel.json"] = (503, b"maintenance")
    source = ConfigSource(config, default_registry())
    client = redis.Redis.from_url(own_redis.url, decode_responses=True)

    async def scenario() -> tuple[str, str, str]:
        runner = FeedRunner(source, own_redis.url)
        task = asyncio.create_task(runner.adapters_forever())
        try:
            failing = await until(lambda: health(client, source, "failing"))
            site.bodies["/fuel.json"] = (200, b'{"price": 20830}')
            ok = await until(lambda: health(client, source, "ok"), timeout=15)
            return failing, ok, client.xrevrange("feed:fuel", count=1)[0][1]["value"]
        finally:
            task.cancel()
            await runner.close()

    failing, ok, value = run_async(scenario())
    assert "answered HTTP 503" in failing
    assert ok == "ok" and value == "20830"


def health(client: redis.Redis, source: Any, wanted: str) -> str | None:
    report = {h.feed: h for h in probe(client, source.current.config)}["fuel"]
    if report.state != wanted:
        return None
    return report.last_error if wanted == "failing" else report.state


async def until(check: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("condition not reached in time")


def test_mqtt_survives_a_deep_json_message(
    broker: MosquittoBroker, redis_server: RedisServer
) -> None:
    """A message nested thousands of levels deep (or holding a lone surrogate) is set aside with
    its reason; the same subscription delivers the next message (issue 17)."""
    import aiomqtt
    import redis.asyncio as aioredis

    feed = make_feed(
        {"kind": "mqtt", "url": broker.url, "topics": ["deep/+"], "fields": {"value": "level"}},
        feed_id=f"deep-{time.time_ns()}",
    )
    client = aioredis.Redis.from_url(redis_server.url)

    async def exchange() -> list[dict[str, str]]:
        adapter = adapter_for(feed, client)
        assert adapter is not None
        stream = adapter.batches()
        assert await anext(stream) == []
        async with aiomqtt.Client("127.0.0.1", broker.port) as publisher:
            await publisher.publish(
                "deep/a", b'{"level":' + b"[" * 5000 + b"]" * 5000 + b"}", qos=1
            )
            await publisher.publish("deep/a", b'{"level": "\\udc00"}', qos=1)
            await publisher.publish("deep/a", b'{"level": 3.5}', qos=1)
            got = await asyncio.wait_for(anext(stream), 10)
        await client.aclose()
        return got

    assert run_async(exchange()) == [{"value": "3.5"}]
    assert dead_reasons(redis_server, feed) == [
        "payload nests deeper than 32 levels",
        "field 'value': lone surrogate U+DC00 at char 0",
    ]
