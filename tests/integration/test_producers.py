"""The producers' API and the operators' view of the connections, on real processes: a web app
and a gateway over a real Redis, the record in SQLite.

Producers push entries with a token for that one feed; agencies submit indicator reports with a
token for that agency. Operators see each feed's health at /admin/feeds and Prometheus reads the
same figures at /metrics."""

from __future__ import annotations

import re
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from opswall.auth.accounts import Accounts
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned
from tests.conftest import FIXTURES, redis_client
from tests.integration.test_security import csrf_of

ROOT = Path(__file__).resolve().parents[2]
PUSHED = """  - id: pushed
    label: {vi: "Phản ánh", en: "Feedback"}
    cadence: 1s
    source: {kind: http_push, require: {value: number}, max_batch: 5}
  - id: rivers
"""


@dataclass
class Stack:
    web: str
    redis_url: str
    record: Provisioned
    db: Database

    def token(self, scope: str) -> str:
        return Accounts(self.db).create_token(f"test {scope}", scope, False, "admin")[1]

    def post(
        self, path: str, token: str | None, body: Any = None, raw: bytes | None = None
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if raw is not None:
            return requests.post(f"{self.web}{path}", data=raw, headers=headers, timeout=10)
        return requests.post(f"{self.web}{path}", json=body, headers=headers, timeout=10)

    def operator(self) -> requests.Session:
        session = requests.Session()
        csrf = csrf_of(session.get(f"{self.web}/login", timeout=5).text)
        reply = session.post(
            f"{self.web}/login",
            data={"username": "operator", "password": self.record.password, "csrf_token": csrf},
            allow_redirects=False,
            timeout=10,
        )
        assert reply.status_code == 302
        return session


@pytest.fixture
def stack(
    redis_server: RedisServer,
    tmp_path: Path,
    start_gateway: Any,
    start_web: Any,
    record: Provisioned,
) -> Stack:
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    config = tmp_path / "wall_config.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: rivers\n", PUSHED, 1) + "catalogue: catalogue/indicators.csv\n"
    config.write_text(text, encoding="utf-8")
    r = redis_client(redis_server.url)
    r.delete(
        "feed:pushed", "feed:power_load", "feed:rivers", "deadletter:rivers", "opswall:deadletters"
    )
    gateway = start_gateway(config, redis_server.url)
    web = start_web(config, redis_server.url, gateway)
    return Stack(web, redis_server.url, record, Database(record.database_url))


def test_pushed_entries_need_this_feeds_token_and_valid_fields(stack: Stack) -> None:
    r = redis_client(stack.redis_url)
    path = "/api/feeds/pushed/entries"
    refused = stack.post(path, None, {"value": 1})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert stack.post(path, "made-up", {"value": 1}).status_code == 401
    screen_token = stack.record.viewer_token  # a wall PC's token pushes nothing
    assert (
        stack.post(path, screen_token, {"value": 1}).json()["error"]
        == "this token is not for push:pushed"
    )
    token = stack.token("push:pushed")
    assert stack.post("/api/feeds/power_load/entries", token, {"value": 1}).status_code == 404

    accepted = stack.post(
        path, token, [{"value": 3, "topic": "đất đai"}, {"value": 4, "detail": {"n": 1}}]
    )
    assert accepted.status_code == 202 and accepted.json()["written"] == 2
    stored = [fields for _, fields in r.xrange("feed:pushed")]
    assert stored == [
        {"value": "3", "topic": "đất đai"},
        {"value": "4", "json": '{"detail": {"n": 1}}'},
    ]

    bad = stack.post(
        path, token, {"entries": [{"value": 5}, {"value": "many"}, {"topic": "x"}, [1]]}
    )
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {"index": 1, "reason": "field 'value' must be a number (got 'many')"},
        {"index": 2, "reason": "missing required field 'value'"},
        {"index": 3, "reason": "an entry must be a JSON object, not list"},
    ]
    assert stack.post(path, token, raw=b"{not json").status_code == 400
    assert stack.post(path, token, [{"value": i} for i in range(6)]).status_code == 413
    assert r.xlen("feed:pushed") == 2  # nothing of a refused request was written


def test_agencies_submit_reports_and_corrections_need_a_reason(stack: Stack) -> None:
    token = stack.token("agency:NSO")
    path = "/api/reports?agency=NSO"
    first = stack.post(path, token, {"code": "GDP_GROWTH", "period": "2026-Q3", "value": 8.02})
    assert first.status_code == 201 and first.json()["accepted"][0]["revision"] == 1
    again = stack.post(path, token, {"code": "GDP_GROWTH", "period": "2026-Q3", "value": 8.10})
    assert again.status_code == 422
    assert "a correction needs a reason" in again.json()["problems"][0]["reason"]
    fixed = stack.post(
        path,
        token,
        {"code": "GDP_GROWTH", "period": "2026-Q3", "value": 8.1, "reason": "revised estimate"},
    )
    assert fixed.json()["accepted"][0]["revision"] == 2
    mixed = stack.post(
        path,
        token,
        [
            {"code": "CPI_YOY", "period": "2026-10", "value": 3.3},
            {"code": "EXPORTS", "period": "2026-10", "value": 42.6},
        ],
    )
    assert mixed.status_code == 207
    assert mixed.json()["problems"] == [{"index": 1, "reason": "EXPORTS is reported by MOIT"}]
    assert stack.post("/api/reports?agency=MOIT", token, {"code": "EXPORTS"}).status_code == 403


def test_feed_health_and_metrics_show_a_stopped_feed_and_one_sending_garbage(stack: Stack) -> None:
    r = redis_client(stack.redis_url)
    r.xadd("feed:power_load", {"value": "42000"})
    r.xadd("feed:rivers", {"ts": "last tuesday"})  # malformed: set aside by the gateway
    r.xadd("feed:rivers", {"value": "1"})
    deadline = time.monotonic() + 15
    session = stack.operator()
    while time.monotonic() < deadline:
        r.xadd("feed:rivers", {"value": "1"})  # rivers stays live; power_load has stopped
        page = session.get(f"{stack.web}/admin/feeds", timeout=5).text
        states = dict(re.findall(r'data-feed="([^"]+)" data-state="([^"]+)"', page))
        if (
            states.get("power_load") == "late"
            and 'data-feed="rivers" data-state="ok" data-errors="0" data-deadletters="1"' in page
        ):
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"health page never showed late + a dead letter: {states}")
    assert states["pushed"] == "waiting"  # nothing pushed yet
    assert "is neither epoch milliseconds nor ISO 8601" in page  # the reason, for the operator

    assert requests.get(f"{stack.web}/metrics", timeout=5).status_code == 401
    viewer = {"Authorization": f"Bearer {stack.record.viewer_token}"}
    assert requests.get(f"{stack.web}/metrics", headers=viewer, timeout=5).status_code == 401
    scrape = {"Authorization": f"Bearer {stack.token('metrics')}"}
    metrics = requests.get(f"{stack.web}/metrics", headers=scrape, timeout=5)
    assert metrics.status_code == 200 and metrics.headers["Content-Type"].startswith("text/plain")
    assert 'opswall_feed_state{feed="power_load",state="late"} 1' in metrics.text
    assert 'opswall_feed_deadletters_total{feed="rivers",kind="redis"} 1' in metrics.text
    assert 'opswall_feed_up{feed="rivers",kind="redis"} 1' in metrics.text
    assert session.get(f"{stack.web}/metrics", timeout=5).status_code == 200  # an operator may look


def test_web_keeps_serving_when_a_large_wall_holds_many_connections(stack: Stack) -> None:
    """Each wall PC's browser holds several idle keep-alive connections: 150 of them open at once
    (24 screens' worth) must not stop the web app answering new requests."""
    host, port = stack.web.removeprefix("http://").split(":")
    held = []
    try:
        for _ in range(150):
            sock = socket.create_connection((host, int(port)), timeout=10)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: wall\r\n\r\n")
            held.append(sock)
        for sock in held:  # every one answered (the server read it), and each stays open
            assert sock.recv(64).startswith(b"HTTP/1.1 200")
        assert requests.get(f"{stack.web}/healthz", timeout=10).status_code == 200
    finally:
        for sock in held:
            sock.close()


def test_hostile_bodies_are_refused_with_a_located_reason_never_500(stack: Stack) -> None:
    """Deep JSON, an oversized field, a lone surrogate, control characters, a 5 MB body: each is
    answered 4xx with the reason in the JSON body, and nothing reaches the stream (issue 17)."""
    r = redis_client(stack.redis_url)
    path = "/api/feeds/pushed/entries"
    token = stack.token("push:pushed")
    deep = b'{"value": 1, "d": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    refused = {
        "deep": stack.post(path, token, raw=deep),
        "field": stack.post(path, token, {"value": 1, "note": "x" * 1_900_000}),
        "surrogate": stack.post(path, token, raw=b'{"value": 1, "note": "\\ud800"}'),
        "control": stack.post(path, token, raw=b'{"value": 1, "note": "a\\u0000"}'),
        "5 MB": stack.post(path, token, raw=b'{"value": 1, "n": "' + b"x" * 5_000_000 + b'"}'),
        "big int": stack.post(path, token, raw=b'{"value": 1' + b"0" * 5000 + b"}"),
    }
    got = {name: (reply.status_code, reply.json()) for name, reply in refused.items()}
    assert got["deep"] == (400, {"error": "body nests deeper than 32 levels"})
    assert got["field"][0] == 422
    assert got["field"][1]["problems"] == [
        {"index": 0, "reason": "field 'note' is larger than 262144 bytes"}
    ]
    assert got["surrogate"] == (400, {"error": "body.note: lone surrogate U+D800 at char 0"})
    assert got["control"] == (400, {"error": "body.note: control character U+0000 at char 1"})
    assert got["5 MB"] == (413, {"error": "body larger than 2097152 bytes"})
    assert got["big int"][0] == 400 and "more than 40 digits" in got["big int"][1]["error"]
    assert r.xlen("feed:pushed") == 0
    reports = stack.post("/api/reports?agency=NSO", stack.token("agency:NSO"), raw=deep)
    assert (reports.status_code, reports.json()) == (
        400,
        {"error": "body nests deeper than 32 levels"},
    )


def test_the_control_api_refuses_a_hostile_body_with_its_reason(stack: Stack) -> None:
    """POST /api/control shares the bounded body parser: deep JSON is a 400 with the reason."""
    leader = requests.Session()
    csrf = csrf_of(leader.get(f"{stack.web}/login", timeout=5).text)
    leader.post(
        f"{stack.web}/login",
        data={"username": "leader", "password": stack.record.password, "csrf_token": csrf},
        timeout=10,
    )
    csrf = csrf_of(leader.get(f"{stack.web}/control", timeout=5).text)
    reply = leader.post(
        f"{stack.web}/api/control",
        data=b"[" * 5000 + b"]" * 5000,
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
        timeout=10,
    )
    assert (reply.status_code, reply.json()) == (400, {"error": "body nests deeper than 32 levels"})


def test_a_pane_report_with_a_hostile_body_is_refused_with_its_reason(stack: Stack) -> None:
    """POST /wall/<screen>/video-state (a wall PC's pane report) reads the same bounded body:
    deep JSON is a 400 with the reason, never a 500."""
    screen = requests.Session()
    screen.get(f"{stack.web}/wall/main?token={stack.record.viewer_token}", timeout=5)
    reply = screen.post(
        f"{stack.web}/wall/main/video-state",
        data=b"[" * 5000 + b"]" * 5000,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert (reply.status_code, reply.json()) == (400, {"error": "body nests deeper than 32 levels"})


def test_an_oversized_field_is_refused_not_stored(stack: Stack) -> None:
    """A 1.9 MB field fits in a 2 MB body but not in the contract: 422, and Redis holds nothing
    the gateway would then refuse (issue 17)."""
    token = stack.token("push:pushed")
    reply = stack.post("/api/feeds/pushed/entries", token, {"value": 1, "note": "x" * 1_900_000})
    assert reply.status_code == 422
    assert redis_client(stack.redis_url).xlen("feed:pushed") == 0


def test_feed_health_reads_a_poison_entry_at_the_head_of_a_stream(stack: Stack) -> None:
    """The newest entry of a feed holding bytes that are not UTF-8 (or a control character in
    its ts) does not break the operators' page or the metrics: the feed shows, with its dead
    letter (issue 17)."""
    raw = redis.Redis.from_url(stack.redis_url)
    raw.xadd("feed:rivers", {b"value": b"\xff\xfe", b"ts": b"\xc3\x28"})
    session = stack.operator()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page = session.get(f"{stack.web}/admin/feeds", timeout=5)
        assert page.status_code == 200, page.text[:300]
        if 'data-feed="rivers"' in page.text and 'data-deadletters="1"' in page.text:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the dead letter never showed")
    assert "is not UTF-8 text" in page.text
    scrape = {"Authorization": f"Bearer {stack.token('metrics')}"}
    assert requests.get(f"{stack.web}/metrics", headers=scrape, timeout=5).status_code == 200
