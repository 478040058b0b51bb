"""The screen fleet end to end with real processes (issue 21): a gateway and a web process on
one Redis, wall PCs played by websocket clients with a device token. Their reports reach
/admin/screens.json through the gateway's published fleet; a screen that loses its device raises
a warning after wall.screen_down_after and clears it when a device is back; identify and reload
reach only the screens they name, and each command is audited."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.sync.client import ClientConnection, connect

from opswall.control.store import ControlStore
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.store.redis_client import connect as redis_connect
from opswall.store.schema import AuditEvent
from opswall.testing import Provisioned
from tests.integration.test_cli import opswall
from tests.integration.test_operator_pages import sign_in
from tests.integration.test_security import csrf_of

pytestmark = pytest.mark.redis


VIEWS: dict[ClientConnection, str] = {}


def wall_pc(port: int, token: str, screen: str) -> ClientConnection:
    """A wall page's socket: hello with the device token, then its opening frames (the view
    it is told to show is what it reports it shows)."""
    ws = connect(f"ws://127.0.0.1:{port}/ws/{screen}", open_timeout=5)
    ws.send(json.dumps({"type": "hello", "rev": "", "last": {}, "token": token}))
    assert json.loads(ws.recv(timeout=5))["type"] == "welcome"
    view = json.loads(ws.recv(timeout=5))
    assert view["type"] == "view"
    VIEWS[ws] = view["view"]["key"]
    return ws


def report(ws: ClientConnection, screen: str) -> None:
    """A report as a page of an older build sends it (the gateway's build is the install's)."""
    frame = {"type": "report", "screen": screen, "paint_age": 50, "frames": 1, "link": "up"}
    frame |= {"view": VIEWS[ws], "viewport": [1920, 1080], "dpr": 1, "build": "x"}
    ws.send(json.dumps(frame))


def frames_of(ws: ClientConnection, kind: str, within: float = 3.0) -> list[dict[str, Any]]:
    got, deadline = [], time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = json.loads(ws.recv(timeout=left))
        except TimeoutError:
            break
        if frame["type"] == kind:
            got.append(frame)
    return got


def until(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


@pytest.fixture
def fleet_wall(
    own_redis: RedisServer, wall_config: Path, start_gateway: Any, start_web: Any
) -> tuple[int, str, Path]:
    text = wall_config.read_text(encoding="utf-8")
    wall_config.write_text(text.replace("theme: dark}", "theme: dark, screen_down_after: 2s}"))
    port = start_gateway(wall_config, own_redis.url)
    return port, start_web(wall_config, own_redis.url, port), wall_config


def states(session: requests.Session, web: str) -> dict[str, str]:
    fleet = session.get(f"{web}/admin/screens.json", timeout=5).json()
    return {row["screen"]: row["state"] for row in fleet["screens"] if row["devices"]}


def screen_warnings(redis_url: str) -> dict[str, bool]:
    state = ControlStore(redis_connect(redis_url)).read()
    return {w.rule: w.cleared for w in state.warnings if w.rule.startswith("screen:")}  # latest


def test_the_fleet_page_follows_devices_and_screens_raise_and_clear_warnings(
    fleet_wall: tuple[int, str, Path], own_redis: RedisServer, record: Provisioned
) -> None:
    port, web, _ = fleet_wall
    operator = sign_in(web, "operator", record.password)
    main, second = (wall_pc(port, record.viewer_token, screen) for screen in ("main", "second"))
    report(main, "main")
    report(second, "second")
    assert until(lambda: states(operator, web) == {"main": "old_build", "second": "old_build"}), (
        operator.get(f"{web}/admin/screens.json", timeout=5).text
    )
    fleet = operator.get(f"{web}/admin/screens.json", timeout=5).json()
    meant = {row["screen"]: row["view"] for row in fleet["screens"]}
    assert meant["main"] == {"scene": None, "layout": "main", "source": "own", "dim": 1.0}
    page = operator.get(f"{web}/admin/screens", timeout=5)
    assert (
        page.status_code == 200
        and 'type="module" src="/_opswall/static/fleet/fleet.js"' in page.text
    )
    second.close()
    assert until(lambda: states(operator, web)["second"] == "disconnected")
    assert until(lambda: screen_warnings(own_redis.url).get("screen:second") is False)
    assert screen_warnings(own_redis.url).get("screen:main") in (None, True)  # not open
    metrics = operator.get(f"{web}/metrics", timeout=5).text
    assert 'opswall_screen_up{screen="main"} 1' in metrics
    assert 'opswall_screen_up{screen="second"} 0' in metrics
    assert 'opswall_screen_state{screen="second",state="disconnected"} 1' in metrics
    assert 'opswall_screen_script_errors{screen="main"} 0' in metrics
    assert re.search(r'opswall_screen_paint_age_seconds\{screen="main"\} \d', metrics)
    back = wall_pc(port, record.viewer_token, "second")
    report(back, "second")
    assert until(lambda: screen_warnings(own_redis.url).get("screen:second") is True)
    main.close()
    back.close()


def test_identify_and_reload_reach_only_the_screen_named_and_are_audited(
    fleet_wall: tuple[int, str, Path], record: Provisioned
) -> None:
    port, web, _ = fleet_wall
    operator = sign_in(web, "operator", record.password)
    main, second = (wall_pc(port, record.viewer_token, screen) for screen in ("main", "second"))
    report(main, "main")
    report(second, "second")
    assert until(lambda: set(states(operator, web)) == {"main", "second"})  # devices now
    csrf = csrf_of(operator.get(f"{web}/admin/screens", timeout=5).text)
    form = {"csrf_token": csrf, "command": "identify", "screen": "main"}
    answer = operator.post(f"{web}/admin/screens", data=form, allow_redirects=False, timeout=5)
    assert answer.status_code == 303
    [identify] = frames_of(main, "identify")
    assert identify["screen"] == "main" and identify["device"] == "test wall"
    assert frames_of(second, "identify", within=1.0) == []
    form |= {"command": "reload", "screen": "second"}
    operator.post(f"{web}/admin/screens", data=form, allow_redirects=False, timeout=5)
    assert [f["reason"] for f in frames_of(second, "reload")] == ["operator"]
    assert frames_of(main, "reload", within=1.0) == []
    refused = operator.post(f"{web}/admin/screens", data=form | {"screen": "nope"}, timeout=5)
    assert refused.status_code == 400
    db = Database(record.database_url)
    with db.session() as s:
        done = [
            (e.action, e.target)
            for e in s.query(AuditEvent).filter(AuditEvent.action.like("screen.%"))
        ]
    db.dispose()
    assert done == [("screen.identify", "main"), ("screen.reload", "second")]
    main.close()
    second.close()


def test_the_cli_lists_the_fleet_and_identifies_a_screen(
    fleet_wall: tuple[int, str, Path], own_redis: RedisServer, record: Provisioned
) -> None:
    """`opswall screens list` shows each screen and its devices; `identify` reaches the screen;
    a screen the wall lacks is refused with exit 1 and no traceback."""
    port, _, config = fleet_wall
    main = wall_pc(port, record.viewer_token, "main")
    report(main, "main")
    env = {**os.environ, "OPSWALL_REDIS_URL": own_redis.url, **record.env}
    listed = until(
        lambda: (
            (r := opswall("screens", "--config", str(config), "list", env=env)).returncode == 0
            and "test wall old_build" in r.stdout
            and r
        )
    )
    assert listed, "no device listed"
    rows = {line.split()[0]: line.split()[1] for line in listed.stdout.splitlines()}
    assert rows == {
        "main": "old_build",
        "second": "no_device",
        "third": "no_device",
        "fourth": "no_device",
    }
    sent = opswall("screens", "--config", str(config), "identify", "main", env=env)
    assert sent.returncode == 0 and "identify sent to screen main" in sent.stdout
    assert [f["screen"] for f in frames_of(main, "identify")] == ["main"]
    refused = opswall("screens", "--config", str(config), "reload", "nope", env=env)
    assert refused.returncode == 1 and "unknown screen 'nope'" in refused.stderr
    assert "Traceback" not in refused.stderr
    main.close()
