"""What each token can see and reach, on real processes (issue 17, parts 4 and 6): a screen's
socket gets only the feeds that screen can show, a classified rule's value stays with cleared
people, /media/ and pane reports take only wall-screen tokens, every page carries the security
headers, and the web process follows config edits without a page render."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.sync.client import ClientConnection

from opswall.auth.accounts import Accounts
from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned, provision
from tests.conftest import FIXTURES, OpswallProcess, redis_client
from tests.integration.test_layout_studio import model_of
from tests.integration.test_security import Secured, closed_reason, render

pytestmark = pytest.mark.redis

NORTH = """  - {id: dams, label: {vi: "Hồ", en: "Dams"}, cadence: 1s, source: {kind: redis}}
screens:
  - id: north
    title: {vi: "Bắc", en: "North"}
    grid: {cols: 1, rows: 1}
    tiles:
      - {id: dams, type: kpi, at: {col: 1, row: 1}, feed: dams}
"""
SECRET_RULE = """  - id: secret-high
    feed: secret_ops
    above: 5
    message: {vi: "Tác chiến cao", en: "Operations high"}
"""
SECRET_VALUE = "987654.25"


Launch = Callable[[str], Secured]


@pytest.fixture
def launch(
    redis_server: RedisServer,
    tmp_path: Path,
    start_gateway: Any,
    start_web: Any,
    record: Provisioned,
) -> Launch:
    """Start a gateway and a web process on a config of this text."""

    def start(text: str) -> Secured:
        config = tmp_path / "wall_config.yaml"
        config.write_text(text, encoding="utf-8")
        r = redis_client(redis_server.url)
        r.delete("{wall}:state", "{wall}:cmd", "feed:dams", "feed:wind", "feed:secret_ops")
        gateway = start_gateway(config, redis_server.url)
        web = start_web(config, redis_server.url, gateway)
        return Secured(web, gateway, config, record, redis_server.url)

    return start


@pytest.fixture
def scoped(launch: Launch) -> Secured:
    """The session wall plus a screen `north` whose feed no other screen shows, and a rule on
    the classified feed."""
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    return launch(text.replace("screens:\n", NORTH, 1) + SECRET_RULE)


def token_for(stack: Secured, scope: str, clearance: bool = False) -> str:
    db = Database(stack.record.database_url)
    try:
        return Accounts(db).create_token(f"test {scope}", scope, clearance, "admin")[1]
    finally:
        db.dispose()


def drain(ws: ClientConnection, seconds: float) -> list[str]:
    """Every frame that arrives within `seconds`."""
    frames: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            frames.append(str(ws.recv(timeout=0.3)))
        except TimeoutError:
            continue
    return frames


def ticket(stack: Secured, user: str) -> str:
    session, csrf = stack.sign_in(user)
    reply = session.post(f"{stack.web}/api/ticket", headers={"X-CSRF-Token": csrf}, timeout=5)
    assert reply.status_code == 200, reply.text
    return str(reply.json()["ticket"])


def test_a_one_screen_token_gets_no_feed_its_screen_cannot_show(scoped: Secured) -> None:
    """A token for `left` that asks for `north`'s feed gets none of its entries."""
    left = scoped.hello("left", token=token_for(scoped, "left"), feeds=["dams", "wind"])
    drain(left, 1.0)  # welcome, view, snapshot
    r = redis_client(scoped.redis_url)
    r.xadd("feed:dams", {"value": "31"})
    r.xadd("feed:wind", {"value": "12"})
    frames = drain(left, 2.0)
    assert any('"wind"' in frame for frame in frames)
    assert not any('"dams"' in frame for frame in frames)


def test_a_classified_rules_value_reaches_only_cleared_people(scoped: Secured) -> None:
    """The value that raised a rule on a classified feed is absent from uncleared panels,
    uncleared screens' alerts and the audit an uncleared operator reads."""
    uncleared_panel = scoped.hello("_panel", ticket=ticket(scoped, "leader"))
    cleared_panel = scoped.hello("_panel", ticket=ticket(scoped, "admin"))
    screen = scoped.hello("main", token=scoped.record.viewer_token)
    for ws in (uncleared_panel, cleared_panel, screen):
        drain(ws, 0.5)
    redis_client(scoped.redis_url).xadd("feed:secret_ops", {"value": SECRET_VALUE})
    assert any(SECRET_VALUE in frame for frame in drain(cleared_panel, 3.0))
    assert not any(SECRET_VALUE in frame for frame in drain(uncleared_panel, 0.5))
    assert not any(SECRET_VALUE in frame for frame in drain(screen, 0.5))
    operator, _ = scoped.sign_in("operator")
    page = operator.get(f"{scoped.web}/admin/audit", timeout=5).text
    assert 'data-action="warning.raised"' in page
    assert SECRET_VALUE not in page


@pytest.mark.parametrize("scope", ["push:wind", "agency:GSO", "metrics"])
def test_producer_agency_and_metrics_tokens_cannot_open_media(scoped: Secured, scope: str) -> None:
    """/media/ is for wall screens and people: a producer's, agency's or metrics token in the
    device cookie is refused."""
    cookie = {"opswall_device": token_for(scoped, scope)}
    reply = requests.get(f"{scoped.web}/media/clip.mp4", cookies=cookie, timeout=5)
    assert reply.status_code in (401, 403)
    screen = {"opswall_device": scoped.record.viewer_token}
    assert (
        requests.get(f"{scoped.web}/media/clip.mp4", cookies=screen, timeout=5).status_code == 404
    )


@pytest.fixture
def pushed(launch: Launch) -> Secured:
    """The minimal wall (its `fourth` screen plays video panes) with a push feed."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    return launch(text.replace("  - id: rivers\n", PUSHED, 1))


PUSHED = """  - id: pushed
    label: {vi: "Phản ánh", en: "Feedback"}
    cadence: 1s
    source: {kind: http_push, require: {value: number}}
  - id: rivers
"""


def pane_report(stack: Secured, screen: str, token: str) -> int:
    cookie = {"opswall_device": token}
    body = {"tile": "bridges", "site": "desk", "state": "live", "last_live": None}
    url = f"{stack.web}/wall/{screen}/video-state"
    return requests.post(url, json=body, cookies=cookie, timeout=5).status_code


def test_a_pane_report_is_taken_only_for_a_screen_that_shows_the_pane(pushed: Secured) -> None:
    """`main` never shows the `bridges` conference tile: its token's report of it is refused;
    `fourth`'s is recorded."""
    assert pane_report(pushed, "main", token_for(pushed, "main")) in (403, 404)
    assert pane_report(pushed, "fourth", token_for(pushed, "fourth")) == 204
    assert pane_report(pushed, "fourth", token_for(pushed, "push:pushed")) == 403


def test_a_push_feed_removed_from_the_yaml_is_refused_without_a_page_render(
    pushed: Secured,
) -> None:
    """The producers' API follows a config edit within about a second, with no page asked."""
    headers = {"Authorization": f"Bearer {token_for(pushed, 'push:pushed')}"}
    url = f"{pushed.web}/api/feeds/pushed/entries"
    assert requests.post(url, json={"value": 1}, headers=headers, timeout=5).status_code == 202
    text = pushed.config.read_text(encoding="utf-8")
    pushed.config.write_text(text.replace(PUSHED, "  - id: rivers\n", 1), encoding="utf-8")
    edited = time.monotonic()
    statuses = []
    while time.monotonic() - edited < 3:
        statuses.append(requests.post(url, json={"value": 2}, headers=headers, timeout=5))
        if statuses[-1].status_code == 404:
            break
        time.sleep(0.1)
    assert statuses[-1].status_code == 404  # within the 3 s waited, no page asked


@pytest.fixture(scope="module")
def one_wall(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Secured]:
    """One session wall for the header checks (they change nothing)."""
    directory = tmp_path_factory.mktemp("headers")
    record = provision(directory)
    config = directory / "session.yaml"
    config.write_text((FIXTURES / "session.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    gateway_port, web_port = free_port(), free_port()

    def part(args: list[str], port: int) -> OpswallProcess:
        args = [*args, "--config", str(config), "--port", str(port)]
        health = f"http://127.0.0.1:{port}/healthz"
        return OpswallProcess(args, redis_server.url, health, record).start()

    parts = [
        part(["gateway"], gateway_port),
        part(["web", "--gateway-port", str(gateway_port)], web_port),
    ]
    yield Secured(f"http://127.0.0.1:{web_port}", gateway_port, config, record, redis_server.url)
    for part in parts:
        part.stop()


PAGES = [
    ("/wall/main", "screen", "'self'"),
    ("/", "admin", "'none'"),
    ("/control", "admin", "'none'"),
    ("/admin/tokens", "admin", "'none'"),
    ("/admin/audit", "admin", "'none'"),
    ("/admin/feeds", "admin", "'none'"),
    ("/admin/users", "admin", "'none'"),
    ("/login", "", "'none'"),
]
SECRET_PAGES = ("/admin/", "/login", "/control")


@pytest.mark.parametrize(("path", "who", "ancestors"), PAGES)
def test_every_page_carries_the_security_headers(
    one_wall: Secured, path: str, who: str, ancestors: str
) -> None:
    """A strict CSP (scripts only from this server, no inline script allowed), nosniff, a
    referrer policy; only wall pages may be framed, by this server; secret pages not cached."""
    session = requests.Session()
    if who == "screen":
        session.cookies.set("opswall_device", one_wall.record.viewer_token)
    elif who:
        session, _ = one_wall.sign_in(who)
    reply = session.get(f"{one_wall.web}{path}", allow_redirects=False, timeout=5)
    assert reply.status_code == 200, reply.text[:300]
    csp = dict(
        part.strip().split(" ", 1) for part in reply.headers["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["object-src"] == "'none'" and csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == ancestors
    assert f"ws://127.0.0.1:{one_wall.gateway}" in csp["connect-src"]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    if path.startswith(SECRET_PAGES):
        assert reply.headers["Cache-Control"] == "no-store"


def test_the_gateway_health_says_nosniff(one_wall: Secured) -> None:
    """The gateway's /healthz JSON is not sniffed as anything else."""
    reply = requests.get(f"http://127.0.0.1:{one_wall.gateway}/healthz", timeout=5)
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_a_forged_host_header_adds_nothing_to_the_policy(one_wall: Secured) -> None:
    """The gateway origin comes from the Host header: a forged one cannot inject directives."""
    forged = {"Host": "evil.example;script-src *"}
    reply = requests.get(f"{one_wall.web}/login", headers=forged, timeout=5)
    assert "script-src *" not in reply.headers["Content-Security-Policy"]


def test_a_draft_preview_is_for_people_and_never_for_a_device(scoped: Secured) -> None:
    """The studio's preview window (issue 20): leaders and operators get a kept draft's wall
    page (`/draft/<digest>/<layout>`, rendered as the screen `_draft`), and its socket gets the
    feeds the page names within their clearance; a device token gets neither page nor socket."""
    web = scoped.web
    leader, csrf = scoped.sign_in("leader")
    base = model_of(leader.get(f"{web}/admin/layout", timeout=5).text)["base"]
    kept = leader.post(
        f"{web}/admin/layout/preview/window",
        json={"base": base, "changes": []},
        headers={"X-CSRF-Token": csrf},
        timeout=10,
    )
    assert kept.status_code == 200, kept.text
    path = f"/draft/{kept.json()['draft']}/north"
    operator, _ = scoped.sign_in("operator")
    for person in (leader, operator):
        assert person.get(f"{web}{path}", timeout=5).status_code == 200
        page = render(person, web, path)
        assert '"data-screen":"_draft"' in page and '"data-tile":"dams"' in page
    device = requests.Session()
    device.cookies.set("opswall_device", scoped.record.viewer_token)
    refused = device.get(f"{web}{path}", allow_redirects=False, timeout=5)
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert "_draft" not in render(device, web, path) and "dams" not in render(device, web, path)

    socket = scoped.hello("_draft", ticket=ticket(scoped, "leader"), feeds=["dams", "secret_ops"])
    drain(socket, 0.5)
    r = redis_client(scoped.redis_url)
    r.xadd("feed:dams", {"value": "31"})
    r.xadd("feed:secret_ops", {"value": SECRET_VALUE})
    frames = drain(socket, 2.0)
    assert any('"dams"' in frame for frame in frames)  # a feed of no screen the leader is on
    assert not any(SECRET_VALUE in frame for frame in frames)  # the leader has no clearance
    device_socket = scoped.hello("_draft", token=scoped.record.viewer_token, feeds=["dams"])
    assert "not authorised" in closed_reason(device_socket)
