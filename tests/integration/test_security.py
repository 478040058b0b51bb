"""Roles, device tokens, tickets, CSRF, rate limits and classified data, against real processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from opswall.auth.accounts import Accounts
from opswall.gateway.server import NOT_AUTHORISED
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned
from opswall.web.first_values import FIRST_BYTES
from tests.conftest import redis_client

pytestmark = pytest.mark.redis

FIXTURES = Path(__file__).parents[1] / "fixtures"


@dataclass
class Secured:
    web: str
    gateway: int
    config: Path
    record: Provisioned
    redis_url: str

    def sign_in(self, user: str, password: str | None = None) -> tuple[requests.Session, str]:
        session = requests.Session()
        page = session.get(f"{self.web}/login", timeout=5).text
        csrf = csrf_of(page)
        reply = session.post(
            f"{self.web}/login",
            data={
                "username": user,
                "password": password or self.record.password,
                "csrf_token": csrf,
            },
            allow_redirects=False,
            timeout=10,
        )
        assert reply.status_code == 302, reply.text
        # The session keeps its CSRF token; any page with a form shows it.
        return session, csrf_of(session.get(f"{self.web}/login", timeout=5).text)

    def hello(self, screen: str, **fields: Any) -> ClientConnection:
        ws = connect(f"ws://127.0.0.1:{self.gateway}/ws/{screen}", open_timeout=5)
        ws.send(json.dumps({"type": "hello", "last": {}, **fields}))
        return ws


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'data-csrf="([^"]+)"', html
    )
    assert found, html[:500]
    return found.group(1)


def render(session: requests.Session, web: str, path: str) -> str:
    """What Dash's page callback renders at `path` for this session (as the browser asks it)."""
    body = {
        "output": "page.children",
        "outputs": {"id": "page", "property": "children"},
        "inputs": [
            {"id": "url", "property": "pathname", "value": path},
            {"id": "layout-rev", "property": "data", "value": None},
        ],
        "state": [{"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["url.pathname"],
    }
    reply = session.post(f"{web}/_dash-update-component", json=body, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.text


def closed_reason(ws: ClientConnection, timeout: float = 5, code: int = NOT_AUTHORISED) -> str:
    """Why the gateway closed the socket; 4403 for who is refused, 1008 for what they sent."""
    deadline = time.monotonic() + timeout  # heartbeats keep coming: bound the whole wait
    with pytest.raises(ConnectionClosed) as closed:
        while time.monotonic() < deadline:
            ws.recv(timeout=max(0.1, deadline - time.monotonic()))
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == code
    return closed.value.rcvd.reason


@pytest.fixture
def secured(
    redis_server: RedisServer,
    tmp_path: Path,
    start_gateway: Any,
    start_web: Any,
    record: Provisioned,
) -> Secured:
    config = tmp_path / "session.yaml"
    shutil.copy(FIXTURES / "session.yaml", config)
    r = redis_client(redis_server.url)
    r.delete("{wall}:state", "{wall}:cmd", *r.keys("{ratelimit}:*"))
    gateway = start_gateway(config, redis_server.url)
    web = start_web(config, redis_server.url, gateway)
    return Secured(web, gateway, config, record, redis_server.url)


def test_a_wall_page_needs_a_valid_device_token(secured: Secured) -> None:
    base = secured.web
    anonymous = requests.get(f"{base}/wall/main", allow_redirects=False, timeout=5)
    assert (
        anonymous.status_code == 302 and anonymous.headers["Location"] == "/login?next=/wall/main"
    )
    wrong = requests.get(f"{base}/wall/main?token=not-a-token", allow_redirects=False, timeout=5)
    assert wrong.status_code == 403 and "not authorised" in wrong.text
    screen = requests.Session()
    enrol = screen.get(
        f"{base}/wall/main?token={secured.record.viewer_token}", allow_redirects=False, timeout=5
    )
    assert enrol.status_code == 302 and enrol.headers["Location"] == "/wall/main"
    cookie = enrol.headers["Set-Cookie"]
    assert "opswall_device=" in cookie and "HttpOnly" in cookie and "Max-Age=315360000" in cookie
    assert screen.get(f"{base}/wall/main", allow_redirects=False, timeout=5).status_code == 200
    # An operator revokes the token: the screen is told so, never sent to a login page.
    operator, csrf = secured.sign_in("operator")
    db = Database(secured.record.database_url)
    token_id = next(t.id for t in Accounts(db).tokens() if t.label == "test wall")
    revoke = operator.post(
        f"{base}/admin/tokens", data={"revoke": token_id, "csrf_token": csrf}, timeout=5
    )
    assert revoke.status_code == 200 and "revoked" in revoke.text
    again = screen.get(f"{base}/wall/main", allow_redirects=False, timeout=5)
    assert again.status_code == 403 and "not authorised" in again.text
    db.dispose()


def test_the_websocket_takes_only_a_valid_token_for_that_screen(secured: Secured) -> None:
    assert "not authorised" in closed_reason(secured.hello("main", token="wrong"))
    assert "not authorised" in closed_reason(secured.hello("main"))
    db = Database(secured.record.database_url)
    accounts = Accounts(db)
    left_id, left_only = accounts.create_token("left PC", "left", False, "operator")
    assert "not authorised" in closed_reason(secured.hello("main", token=left_only))
    ws = secured.hello("left", token=left_only)
    assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
    # Revoked while connected: the gateway cuts the socket off within its re-check period.
    accounts.revoke_token(left_id, "operator")
    started = time.monotonic()
    assert closed_reason(ws, timeout=10) == "device token revoked"
    assert time.monotonic() - started < 8
    assert "not authorised" in closed_reason(secured.hello("left", token=left_only))
    db.dispose()


def test_a_panel_socket_ends_when_its_session_does(secured: Secured) -> None:
    """A leader's open panel socket is cut (4403, "signed out") within the gateway's re-check
    period once that person signs out: signing out ends access at once, sockets included."""
    leader, csrf = secured.sign_in("leader")
    ticket = leader.post(
        f"{secured.web}/api/ticket", headers={"X-CSRF-Token": csrf}, timeout=5
    ).json()["ticket"]
    panel = secured.hello("_panel", ticket=ticket)
    assert json.loads(panel.recv(timeout=5))["type"] == "welcome"
    out = leader.post(f"{secured.web}/logout", data={"csrf_token": csrf}, timeout=5)
    assert out.status_code in (200, 302)
    assert closed_reason(panel, timeout=12) == "signed out"


def test_a_viewer_cannot_steer_the_wall(secured: Secured) -> None:
    r = redis_client(secured.redis_url)
    screen = requests.Session()
    screen.get(f"{secured.web}/wall/main?token={secured.record.viewer_token}", timeout=5)
    refused = screen.post(
        f"{secured.web}/api/control", json={"action": "scene", "scene": "economy"}, timeout=5
    )
    assert refused.status_code in (401, 403)
    ws = secured.hello("main", token=secured.record.viewer_token)
    assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
    ws.send(json.dumps({"type": "control", "action": "scene", "scene": "economy"}))
    assert "may not send 'control'" in closed_reason(ws, code=1008)
    panel = secured.hello("_panel", token=secured.record.viewer_token)
    assert "not authorised" in closed_reason(panel)
    assert r.get("{wall}:state") is None and r.xlen("{wall}:cmd") == 0


def test_state_changes_need_the_sessions_csrf_token(secured: Secured) -> None:
    leader, csrf = secured.sign_in("leader")
    url = f"{secured.web}/api/control"
    action = {"action": "scene", "scene": "economy"}
    assert leader.post(url, json=action, timeout=5).status_code == 403
    assert (
        leader.post(url, json=action, headers={"X-CSRF-Token": "forged"}, timeout=5).status_code
        == 403
    )
    assert redis_client(secured.redis_url).get("{wall}:state") is None
    done = leader.post(url, json=action, headers={"X-CSRF-Token": csrf}, timeout=5)
    assert done.status_code == 200 and done.json() == {"changed": True, "version": 1}
    state = json.loads(redis_client(secured.redis_url).get("{wall}:state") or "{}")
    assert state["scene"] == "economy" and state["by"] == "leader"
    bad = leader.post(
        url, json={"action": "scene", "scene": "flood"}, headers={"X-CSRF-Token": csrf}, timeout=5
    )
    assert bad.status_code == 400 and bad.json()["error"] == "unknown scene 'flood'"
    for body, error in [
        (
            {"action": "scene", "scene": "economy", "note": "x"},
            "field 'note': not part of a 'scene' action",
        ),
        ({"action": "unfocus", "screen": ["main"]}, "'unfocus' needs 'screen'"),
        (
            {"action": "raise", "rule": "r", "warning": "w"},
            "action must be one of scene, release, focus, unfocus, drill, pause, resume, ack",
        ),
    ]:
        refused = leader.post(url, json=body, headers={"X-CSRF-Token": csrf}, timeout=5)
        assert (refused.status_code, refused.json()) == (400, {"error": error})
    assert leader.post(f"{secured.web}/logout", timeout=5).status_code == 403


def test_roles_gate_the_pages(secured: Secured) -> None:
    leader, _ = secured.sign_in("leader")
    assert leader.get(f"{secured.web}/control", timeout=5).status_code == 200
    assert leader.get(f"{secured.web}/admin/audit", timeout=5).status_code == 403
    operator, _ = secured.sign_in("operator")
    assert operator.get(f"{secured.web}/admin/audit", timeout=5).status_code == 200
    assert operator.get(f"{secured.web}/admin/users", timeout=5).status_code == 403
    admin, _ = secured.sign_in("admin")
    assert admin.get(f"{secured.web}/admin/users", timeout=5).status_code == 200
    anonymous = requests.get(f"{secured.web}/control", allow_redirects=False, timeout=5)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    assert requests.post(f"{secured.web}/api/ticket", timeout=5).status_code == 403  # no CSRF


def test_sign_in_is_rate_limited(secured: Secured) -> None:
    attempts = []
    session = requests.Session()
    csrf = csrf_of(session.get(f"{secured.web}/login", timeout=5).text)
    for _ in range(9):
        reply = session.post(
            f"{secured.web}/login",
            data={"username": "leader", "password": "wrong-password", "csrf_token": csrf},
            allow_redirects=False,
            timeout=10,
        )
        attempts.append(reply.status_code)
    assert attempts == [200] * 8 + [429]
    right = session.post(
        f"{secured.web}/login",
        data={"username": "leader", "password": secured.record.password, "csrf_token": csrf},
        allow_redirects=False,
        timeout=10,
    )
    assert right.status_code == 429  # even the right password waits out the window


def test_setup_link_creates_the_first_admin_once(
    redis_server: RedisServer, tmp_path: Path, start_gateway: Any
) -> None:
    from opswall.runtime.ports import free_port
    from tests.conftest import OpswallProcess

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    empty = Provisioned(url, "", "", "")
    port = free_port()
    web = OpswallProcess(
        ["web", "--config", str(FIXTURES / "session.yaml"), "--port", str(port)],
        redis_server.url,
        f"http://127.0.0.1:{port}/healthz",
        empty,
    ).start()
    try:
        base = f"http://127.0.0.1:{port}"
        db = Database(url)
        token = Accounts(db).setup_token()
        assert token
        session = requests.Session()
        assert session.get(f"{base}/setup/wrong", timeout=5).status_code == 404
        csrf = csrf_of(session.get(f"{base}/setup/{token}", timeout=5).text)
        weak = session.post(
            f"{base}/setup/{token}",
            data={"username": "ada", "password": "short", "csrf_token": csrf},
            timeout=10,
        )
        assert "at least 10 characters" in weak.text
        made = session.post(
            f"{base}/setup/{token}",
            data={"username": "ada", "password": "a long enough secret", "csrf_token": csrf},
            allow_redirects=False,
            timeout=10,
        )
        assert made.status_code == 302
        assert session.get(f"{base}/admin/users", timeout=5).status_code == 200
        assert requests.get(f"{base}/setup/{token}", timeout=5).status_code == 404  # used up
        assert Accounts(db).authenticate("ada", "a long enough secret") is not None
        db.dispose()
    finally:
        web.stop()


def test_classified_feeds_never_reach_an_uncleared_socket(secured: Secured) -> None:
    r = redis_client(secured.redis_url)
    r.delete("feed:secret_ops", "feed:wind")
    viewer = secured.hello("left", token=secured.record.viewer_token, feeds=["wind", "secret_ops"])
    cleared = secured.hello(
        "left", token=secured.record.cleared_token, feeds=["wind", "secret_ops"]
    )
    seen: dict[str, list[str]] = {"viewer": [], "cleared": []}
    for ws in (viewer, cleared):
        for _ in range(3):  # welcome, view, snapshot
            ws.recv(timeout=5)
    r.xadd("feed:secret_ops", {"value": "7"})
    r.xadd("feed:wind", {"value": "12"})
    for name, ws in (("viewer", viewer), ("cleared", cleared)):
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                seen[name].append(ws.recv(timeout=0.5))
            except TimeoutError:
                continue
    assert any('"wind"' in frame for frame in seen["viewer"])
    assert not any("secret_ops" in frame for frame in seen["viewer"])
    assert any("secret_ops" in frame for frame in seen["cleared"])


def test_every_action_lands_in_the_audit_trail(secured: Secured) -> None:
    leader, csrf = secured.sign_in("leader")
    leader.post(
        f"{secured.web}/api/control",
        json={"action": "scene", "scene": "disaster"},
        headers={"X-CSRF-Token": csrf},
        timeout=5,
    )
    leader.post(
        f"{secured.web}/api/control",
        json={"action": "pause"},
        headers={"X-CSRF-Token": csrf},
        timeout=5,
    )
    operator, op_csrf = secured.sign_in("operator")
    created = operator.post(
        f"{secured.web}/admin/tokens",
        data={"label": "PC 7", "screen": "main", "csrf_token": op_csrf},
        timeout=5,
    )
    link = re.search(r'data-role="created">([^<]+)<', created.text)
    assert link and "/wall/main?token=" in link.group(1)
    requests.get(link.group(1).replace("localhost", "127.0.0.1"), allow_redirects=False, timeout=5)
    os.utime(secured.config)
    secured.config.write_text(
        secured.config.read_text(encoding="utf-8").replace("Session wall", "Session wall 2"),
        encoding="utf-8",
    )
    deadline = time.monotonic() + 10
    page = ""
    while time.monotonic() < deadline:
        page = operator.get(f"{secured.web}/admin/audit", timeout=5).text
        if 'data-action="config.reload"' in page:
            break
        time.sleep(0.3)
    for action in (
        "login",
        "control.scene",
        "control.pause",
        "token.create",
        "device.enrol",
        "config.reload",
    ):
        assert f'data-action="{action}"' in page, action
    db = Database(secured.record.database_url)
    from opswall.auth.audit import recent

    rows = {(row.actor, row.action) for row in recent(db)}
    assert ("leader", "control.scene") in rows and ("operator", "token.create") in rows
    scene = recent(db, action="control.scene")[0]
    assert scene.target == "disaster" and scene.detail == {"scene": "disaster"}
    assert scene.device.startswith("python-requests") and scene.address == "127.0.0.1"
    db.dispose()


def first_values(secured: Secured, token: str, screen: str) -> tuple[str, list[Any] | None]:
    """A screen's page as its device renders it, and the first entries it carries (or None)."""
    device = requests.Session()
    device.get(f"{secured.web}/wall/{screen}?token={token}", timeout=5)
    page = render(device, secured.web, f"/wall/{screen}")
    props = json.loads(page)["response"]["page"]["children"]["props"]
    first = props.get("data-first")
    return page, None if first is None else json.loads(first)[1]["entries"]


def test_an_uncleared_page_carries_no_classified_value(secured: Secured) -> None:
    """A page's first values (issue 22, part 4) follow its socket's scope: the uncleared
    screen's HTML has the open feed's value and nothing of the classified one."""
    r = redis_client(secured.redis_url)
    r.delete("feed:secret_ops", "feed:wind")
    wind = r.xadd("feed:wind", {"value": "12.5"})
    r.xadd("feed:secret_ops", {"value": "987654.25"})
    page, entries = first_values(secured, secured.record.viewer_token, "left")
    assert entries is not None and [e[:2] for e in entries] == [["wind", wind]]
    assert "secret_ops" not in page and "987654" not in page
    _, cleared = first_values(secured, secured.record.cleared_token, "left")
    assert cleared is not None and {e[0] for e in cleared} == {"wind", "secret_ops"}


def test_hostile_entries_leave_a_page_whole(secured: Secured) -> None:
    """Malformed entries are skipped and an oversized feed is left to the socket: the page
    renders, within its bound, with the other feeds' values."""
    r = redis_client(secured.redis_url)
    r.delete("feed:secret_ops", "feed:wind")
    wind = r.xadd("feed:wind", {"value": "12.5"})
    r.xadd("feed:wind", {"value": b"\xff\xfe"})  # not UTF-8
    r.xadd("feed:wind", {"json": "[" * 5000 + "]" * 5000})
    r.xadd("feed:wind", {"\x07bell": "1", "ts": "yesterday"})
    huge = "x" * 200_000  # two of them are more than a page carries
    r.xadd("feed:secret_ops", {"text": huge})
    r.xadd("feed:secret_ops", {"text": huge})
    page, entries = first_values(secured, secured.record.cleared_token, "left")
    assert entries is not None and [e[:2] for e in entries] == [["wind", wind]]
    assert len(page) < FIRST_BYTES + 100_000
