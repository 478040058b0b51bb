"""The gateway against a real redis-server: snapshot, live push, resume, dead letters, restarts."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from opswall.gateway.reader import FRAME_INTERVAL
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned
from tests.conftest import redis_client

pytestmark = pytest.mark.redis

FRAME_INTERVAL_HZ = 1 / FRAME_INTERVAL


class Screen:
    """A test screen: connects, says hello, and reads the welcome and the snapshot frame."""

    def __init__(
        self, port: int, token: str, screen: str = "main", last: dict[str, str] | None = None
    ) -> None:
        self.ws = connect(f"ws://127.0.0.1:{port}/ws/{screen}", open_timeout=5)
        self.ws.send(json.dumps({"type": "hello", "rev": "", "last": last or {}, "token": token}))
        self.welcome = json.loads(self.ws.recv(timeout=5))
        assert self.welcome["type"] == "welcome"
        self.view = json.loads(self.ws.recv(timeout=5))
        assert self.view["type"] == "view"
        first = json.loads(self.ws.recv(timeout=5))
        assert first["type"] == "data"
        self.snapshot: list[list[Any]] = first["entries"]

    def __enter__(self) -> ClientConnection:
        return self.ws

    def __exit__(self, *exc: object) -> None:
        self.ws.close()


def frames(
    ws: ClientConnection,
    kind: str,
    until: Callable[[list[dict[str, Any]]], bool],
    timeout: float = 5.0,
) -> list[dict[str, Any]]:
    """Collect frames of one type until `until(collected)` holds (or time runs out)."""
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until(got):
        try:
            message = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        except TimeoutError:
            break
        if message["type"] == kind:
            got.append(message)
    return got


def entries_of(ws: ClientConnection, count: int, timeout: float = 5.0) -> list[list[Any]]:
    collected: list[list[Any]] = []

    def enough(got: list[dict[str, Any]]) -> bool:
        collected[:] = [e for frame in got for e in frame["entries"]]
        return len(collected) >= count

    frames(ws, "data", enough, timeout)
    return collected


def test_snapshot_then_live_entries(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """A new screen gets recent entries on connect, then each new entry as it is added."""
    r = redis_client(redis_server.url)
    r.delete("feed:power_load")
    first = r.xadd("feed:power_load", {"value": "41000"})
    second = r.xadd("feed:power_load", {"value": "41500.5"})
    port = start_gateway(wall_config, redis_server.url)
    screen = Screen(port, record.viewer_token)
    with screen as ws:
        assert screen.welcome["redis"] is True and len(screen.welcome["rev"]) == 12
        snapshot = screen.snapshot
        assert [(e[1], e[3]["value"]) for e in snapshot] == [(first, 41000), (second, 41500.5)]
        third = r.xadd("feed:power_load", {"value": "42000", "ts": "2026-11-21T05:00:00Z"})
        [live] = entries_of(ws, 1)
        assert live[:3] == ["power_load", third, 1795237200000]


def test_a_burst_reaches_a_screen_in_at_most_one_frame_per_display_frame(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """Entries added one by one every millisecond arrive batched: no more data frames than
    display frames (60 Hz) in the time they took to add, and every entry once, in order."""
    r = redis_client(redis_server.url)
    port = start_gateway(wall_config, redis_server.url)
    with Screen(port, record.viewer_token) as ws:
        started = time.monotonic()
        added = []
        for i in range(300):
            added.append(r.xadd("feed:power_load", {"value": str(i)}))
            time.sleep(0.001)
        took = time.monotonic() - started
        got = frames(ws, "data", lambda f: sum(len(x["entries"]) for x in f) >= 300, 10)
    assert [e[1] for frame in got for e in frame["entries"]] == added
    # Unpaced, the gateway read and sent as often as entries came: about one frame per entry.
    assert len(got) <= took * FRAME_INTERVAL_HZ + 2, (len(got), took)


def test_each_screen_gets_only_its_feeds(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """An entry for a feed shown only on 'second' reaches 'second' and not 'main'."""
    r = redis_client(redis_server.url)
    r.delete("feed:rivers", "feed:power_load")
    port = start_gateway(wall_config, redis_server.url)
    with (
        Screen(port, record.viewer_token, "main") as main,
        Screen(port, record.viewer_token, "second") as second,
    ):
        r.xadd("feed:rivers", {"json": json.dumps({"rows": [{"name": "Sông Hồng", "value": 9.1}]})})
        [row] = entries_of(second, 1)
        assert row[3]["rows"][0]["name"] == "Sông Hồng"
        assert entries_of(main, 1, timeout=1.0) == []


def test_resume_sends_exactly_the_missed_entries(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """A screen that reconnects with its last id gets every missed entry once, in order."""
    r = redis_client(redis_server.url)
    r.delete("feed:power_load")
    port = start_gateway(wall_config, redis_server.url)
    with Screen(port, record.viewer_token) as ws:
        applied = r.xadd("feed:power_load", {"value": "1"})
        assert entries_of(ws, 1)[0][1] == applied
    missed = [r.xadd("feed:power_load", {"value": str(v)}) for v in range(2, 7)]
    resuming = Screen(port, record.viewer_token, last={"power_load": applied})
    with resuming as ws:
        # In the resume frame, or (those the gateway had not read yet) in the next live ones.
        pending = len(missed) - len(resuming.snapshot)
        live = entries_of(ws, pending) if pending else []
        assert [e[1] for e in [*resuming.snapshot, *live]] == missed
        assert entries_of(ws, 1, timeout=0.5) == []  # and nothing twice


def test_resume_from_before_the_cache_reads_the_stream(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """A resume point older than the gateway's cache is served from the stream, without a gap."""
    r = redis_client(redis_server.url)
    r.delete("feed:power_load")
    pipe = r.pipeline()
    for value in range(2600):
        pipe.xadd("feed:power_load", {"value": str(value)})
    ids = pipe.execute()
    port = start_gateway(wall_config, redis_server.url)
    resuming = Screen(port, record.viewer_token, last={"power_load": ids[99]})
    with resuming:
        assert [e[1] for e in resuming.snapshot] == ids[100:]


def test_malformed_entry_is_set_aside_and_counted(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """A malformed entry goes to deadletter:<feed> with its reason; good entries still flow."""
    r = redis_client(redis_server.url)
    r.delete("feed:power_load", "deadletter:power_load", "opswall:deadletters")
    port = start_gateway(wall_config, redis_server.url)
    with Screen(port, record.viewer_token) as ws:
        bad = r.xadd("feed:power_load", {"json": "{not json"})
        good = r.xadd("feed:power_load", {"value": "7"})
        [delivered] = entries_of(ws, 1)
        assert delivered[1] == good
        time.sleep(0.3)
    [(dead_id, dead)] = r.xrange("deadletter:power_load")
    assert dead_id == bad
    assert dead["reason"].startswith("json field is not JSON")
    assert json.loads(dead["entry"]) == {"json": "{not json"}
    assert r.hget("opswall:deadletters", "power_load") == "1"


def healthz(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return dict(json.load(response))


POISON = {
    "deep": {"json": '{"a":' * 3000 + "1" + "}" * 3000},
    "surrogate": {"json": '{"name": "\\ud800"}'},
    "not utf-8": {b"value": b"\xff\xfe\xed"},
    "control": {"value": "4\x002"},
    "huge name": {"v" * 5000: "1"},
}


def test_poison_entries_are_set_aside_and_the_gateway_stays_up(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """Entries that once crashed the gateway (JSON thousands of levels deep, a lone surrogate
    escape, bytes that are not UTF-8...) are dead-lettered with their reason and counted; the
    same gateway goes on, and the next good entry reaches the screen (issue 17)."""
    r = redis_client(redis_server.url)
    raw = redis.Redis.from_url(redis_server.url)  # bytes in, bytes out
    r.delete("feed:power_load", "deadletter:power_load", "opswall:deadletters")
    port = start_gateway(wall_config, redis_server.url)
    with Screen(port, record.viewer_token) as ws:
        bad = [raw.xadd("feed:power_load", fields).decode() for fields in POISON.values()]  # type: ignore[arg-type]
        good = r.xadd("feed:power_load", {"value": "7"})
        [delivered] = entries_of(ws, 1)
        assert delivered[1] == good
    again = Screen(port, record.viewer_token)  # a screen connecting now gets a clean snapshot
    with again:
        assert [e[1] for e in again.snapshot] == [good]
    dead = {entry_id: fields for entry_id, fields in raw.xrange("deadletter:power_load")}
    assert [entry_id.decode() for entry_id in dead] == bad
    reasons = [fields[b"reason"].decode() for fields in dead.values()]
    assert reasons == [
        "json field nests deeper than 32 levels",
        "json.name: lone surrogate U+D800 at char 0",
        "field 'value' is not UTF-8 text (byte 0xff at 0)",
        "field 'value': control character U+0000 at char 1",
        f"field name '{'v' * 40}…' is longer than 128 characters",
    ]
    kept = json.loads(dead[bad[2].encode()][b"entry"])
    assert kept == {"value": "\\xff\\xfe\\xed"}  # the raw bytes, escaped
    health = healthz(port)
    assert health["rejected"] == {"power_load": len(POISON)} and health["failures"] == 0


def test_a_lone_surrogate_never_reaches_a_screen(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """A `json` string holding a lone surrogate escape decodes to text no frame can carry: it is
    refused at the edge, so the broadcast to the screens showing that feed goes on (issue 17)."""
    r = redis_client(redis_server.url)
    r.delete("feed:power_load")
    port = start_gateway(wall_config, redis_server.url)
    with Screen(port, record.viewer_token) as ws:
        r.xadd("feed:power_load", {"value": "1", "json": '{"note": "\\udfff"}'})
        good = r.xadd("feed:power_load", {"value": "8"})
        assert [e[1] for e in entries_of(ws, 1)] == [good]
    assert healthz(port)["rejected"] == {"power_load": 1}


def test_bad_clients_are_refused_without_hurting_others(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """Unknown screens and garbage hellos are closed with 1008; other screens keep receiving."""
    r = redis_client(redis_server.url)
    port = start_gateway(wall_config, redis_server.url)
    with Screen(port, record.viewer_token) as healthy:
        with (
            connect(f"ws://127.0.0.1:{port}/ws/nope") as ws,
            pytest.raises(ConnectionClosed) as closed,
        ):
            ws.send(json.dumps({"type": "hello"}))
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
        with (
            connect(f"ws://127.0.0.1:{port}/ws/main") as ws,
            pytest.raises(ConnectionClosed) as closed,
        ):
            ws.send(b"\x00\xffgarbage")
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and "hello" in closed.value.rcvd.reason
        added = r.xadd("feed:power_load", {"value": "5"})
        assert entries_of(healthy, 1)[0][1] == added


def test_redis_restart_is_reported_and_survived(
    own_redis: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """Redis going away turns the screen's source 'down'; when it is back, entries flow again."""
    r = redis_client(own_redis.url)
    before = r.xadd("feed:power_load", {"value": "1"})
    port = start_gateway(wall_config, own_redis.url)
    screen = Screen(port, record.viewer_token)
    with screen as ws:
        assert screen.snapshot[-1][1] == before
        own_redis.stop()
        down = frames(ws, "hb", lambda got: any(not f["redis"] for f in got), timeout=8)
        assert down and down[-1]["redis"] is False
        own_redis.start()
        up = frames(ws, "hb", lambda got: any(f["redis"] for f in got), timeout=15)
        assert up and up[-1]["redis"] is True
        after = [r.xadd("feed:power_load", {"value": str(v)}) for v in (2, 3)]
        assert [e[1] for e in entries_of(ws, 2, timeout=8)] == after


def test_config_edit_announces_a_new_layout(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """A valid edit sends the new revision to affected screens; an invalid one sends nothing."""
    port = start_gateway(wall_config, redis_server.url)
    text = wall_config.read_text(encoding="utf-8")
    main_screen = Screen(port, record.viewer_token, "main")
    with main_screen as main, Screen(port, record.viewer_token, "second") as second:
        rev = main_screen.welcome["rev"]
        wall_config.write_text(text.replace("type: clock", "type: clok"), encoding="utf-8")
        assert frames(main, "view", lambda got: bool(got), timeout=2) == []
        moved = text.replace("{col: 10, row: 1, w: 3, h: 2}}", "{col: 10, row: 4, w: 3, h: 2}}")
        wall_config.write_text(moved, encoding="utf-8")
        os.utime(wall_config)
        started = time.monotonic()
        layout = frames(main, "view", lambda got: bool(got), timeout=2)
        assert layout and layout[0]["view"]["rev"] != rev
        assert time.monotonic() - started < 2
        assert frames(second, "view", lambda got: bool(got), timeout=1) == []


def test_config_edit_while_redis_is_down(
    own_redis: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """An edit adding a feed while Redis is down still re-lays out; the feed flows once it is back."""
    port = start_gateway(wall_config, own_redis.url)
    r = redis_client(own_redis.url)
    with Screen(port, record.viewer_token, "main") as ws:
        own_redis.stop()
        frames(ws, "hb", lambda got: any(not f["redis"] for f in got), timeout=8)
        text = wall_config.read_text(encoding="utf-8").replace(
            "screens:\n",
            "  - id: aqi\n    label: AQI\n    cadence: 1s\n    source: {kind: redis}\nscreens:\n",
            1,
        )
        text = text.replace(
            "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n",
            "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n"
            "      - {id: aqi, type: kpi, at: {col: 1, row: 5, w: 3, h: 2}, feed: aqi}\n",
            1,
        )
        wall_config.write_text(text, encoding="utf-8")
        os.utime(wall_config)
        assert frames(ws, "view", lambda got: bool(got), timeout=3)
        # The page re-renders and says what it now shows, as the browser client does.
        ws.send(json.dumps({"type": "sub", "feeds": ["power_load", "aqi"], "last": {}}))
        own_redis.start()
        frames(ws, "hb", lambda got: any(f["redis"] for f in got), timeout=15)
        added = r.xadd("feed:aqi", {"value": "150"})
        delivered = entries_of(ws, 1, timeout=8)
        assert [e[1] for e in delivered if e[0] == "aqi"] == [added]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        assert json.load(response)["redis"] is True  # the gateway lived through it all


garbage_frames = st.lists(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300),
        st.sampled_from(
            [
                "{}",
                "[]",
                "null",
                '{"type": "sub", "feeds": "power_load"}',
                '{"type": "sub", "feeds": [1, 2], "last": {"power_load": "x-y"}}',
                '{"type": "hello", "last": []}',
                '{"type": "control", "action": "scene", "scene": "x"}',
                '{"type": "sub", "feeds": ["power_load"], "last": {"power_load": "99999999999999999999-0"}}',
            ]
        ),
        st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=4).map(json.dumps),
    ),
    min_size=1,
    max_size=5,
)


@pytest.mark.timeout(300)
def test_garbage_frames_never_hurt_other_screens(
    redis_server: RedisServer, wall_config: Path, start_gateway: Any, record: Provisioned
) -> None:
    """Generated garbage, before and after a valid hello, is refused; the gateway stays up and a
    healthy screen on it keeps receiving every entry in order."""
    r = redis_client(redis_server.url)
    port = start_gateway(wall_config, redis_server.url)
    healthy = Screen(port, record.viewer_token)
    received: list[str] = []
    closes: Counter[int] = Counter()

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(frames=garbage_frames, hello_first=st.booleans(), screen=st.sampled_from(["main", "x"]))
    def attack(frames: list[str | bytes], hello_first: bool, screen: str) -> None:
        with connect(f"ws://127.0.0.1:{port}/ws/{screen}", open_timeout=5) as ws:
            hello = {"type": "hello", "rev": "", "last": {}, "token": record.viewer_token}
            try:
                if hello_first:
                    ws.send(json.dumps(hello))
                for frame in frames:
                    ws.send(frame)
                while True:
                    ws.recv(timeout=2)
            except ConnectionClosed as closed:
                closes[closed.rcvd.code if closed.rcvd else 0] += 1
            except TimeoutError:
                closes[-1] += 1  # still open: only valid subscriptions were sent
        added = r.xadd("feed:power_load", {"value": str(len(received))})
        received.extend(e[1] for e in entries_of(healthy.ws, 1) if e[0] == "power_load")
        assert received[-1] == added

    with healthy:
        attack()
        deadline = time.monotonic() + 5
        while True:  # a closed socket is detached just after its close handshake
            health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())
            if health["screens"] == {"main": 1} or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert health["screens"] == {"main": 1}  # only the healthy screen is still attached
    assert closes[1008] >= 30, closes  # most garbage is refused as a policy violation
    # 4403: a hello that parses but names no valid credentials (refused as "not you").
    assert set(closes) <= {1008, 1009, 4403, -1}, closes


def test_the_writer_sets_dead_letters_aside_once_across_replicas(
    redis_server: RedisServer, wall_config: Path, db: Database
) -> None:
    """The dead letters the core asks for (an entry it could not take in included) are written
    under the entry's own id with the reason, and counted; a second gateway replica writing the
    same ones adds nothing. (The core's isolation itself: tests/unit/test_gateway_core.py.)"""
    from opswall.config.live import ConfigSource
    from opswall.control.store import ControlStore
    from opswall.control.warnings import WarningService
    from opswall.gateway.core import GatewayCore
    from opswall.gateway.effects import Reply
    from opswall.gateway.writer import RecordWriter
    from opswall.store.redis_client import ALL_SLOTS, connect, connect_async
    from opswall.tiles import default_registry
    from tests.conftest import run_async

    r = redis_client(redis_server.url)
    r.delete("feed:power_load", "deadletter:power_load", "opswall:deadletters")
    bad = r.xadd("feed:power_load", {"json": "{not json"})
    r.xadd("feed:power_load", {"value": "4"})
    core: GatewayCore[object] = GatewayCore(ConfigSource(wall_config, default_registry()).current)
    reply = redis.Redis.from_url(redis_server.url).xread({"feed:power_load": "0-0"})
    letters = core.take([Reply(ALL_SLOTS, reply, 0.0)], 0).dead_letters

    async def write() -> None:
        client = connect_async(redis_server.url)
        try:
            for _replica in range(2):
                warnings = WarningService(ControlStore(connect(redis_server.url)), db)
                writer = RecordWriter(client, warnings, core)
                await writer.dead_letters(letters)
        finally:
            await client.aclose()

    run_async(write())
    [(dead_id, dead)] = r.xrange("deadletter:power_load")
    assert dead_id == bad and dead["reason"].startswith("json field is not JSON")
    assert dead["stream"] == "feed:power_load"
    assert r.hget("opswall:deadletters", "power_load") == "1"
