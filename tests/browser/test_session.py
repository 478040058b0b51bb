"""A leader's session, end to end: the panel on a tablet steering open wall screens.

Real Redis, real web and gateway processes, Debian's Chromium; the wall state goes through the
control stream exactly as in production.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.store.schema import AuditEvent, WarningEvent
from opswall.testing import Provisioned
from tests.browser.conftest import Wall
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

FIXTURES = Path(__file__).parents[1] / "fixtures"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def session_wall(
    own_redis: RedisServer, tmp_path: Path, browser: Browser, record: Provisioned
) -> Iterator[Wall]:
    config = tmp_path / "session.yaml"
    shutil.copy(FIXTURES / "session.yaml", config)
    running = Wall(config, own_redis, browser, record).start()
    yield running
    running.stop()


def layout_of(page: Page) -> str:
    return str(page.get_attribute("#wall-screen", "data-layout"))


def wait_layout(page: Page, layout: str, timeout: float = 5000) -> None:
    page.wait_for_function(
        "l => document.getElementById('wall-screen')?.dataset.layout === l",
        arg=layout,
        timeout=timeout,
    )


def tap(page: Page, selector: str) -> None:
    page.locator(selector).first.click()


def audit_actions(
    record: Provisioned, wanted: str = "", count: int = 0
) -> list[tuple[str, str, str]]:
    """The audit trail, oldest first. The web app writes a row just after applying an action, so
    screens may switch a moment before it lands: wait (up to 5 s) for `count` rows of `wanted`."""
    db = Database(record.database_url)
    deadline = time.monotonic() + 5
    while True:
        with db.session() as s:
            rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
            found = [(r.actor, r.action, r.target) for r in rows]
        landed = sum(action.startswith(wanted) for _, action, _ in found)
        if landed >= count or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    db.dispose()
    return found


def test_a_tap_switches_two_open_screens(session_wall: Wall, record: Provisioned) -> None:
    """Scene buttons switch every screen the scene names; both panels show the result."""
    main, left = session_wall.open("main"), session_wall.open("left")
    panel = session_wall.panel()
    other = session_wall.panel(1024, 768)
    tap(panel, "[data-scene=economy]")
    wait_layout(main, "economy-layout")
    wait_layout(left, "economy-layout")
    assert main.locator("[data-tile=econ-load]:visible").count() == 1
    assert left.locator("[data-tile=wind]:visible").count() == 0
    assert main.get_attribute("#wall-screen", "data-scene") == "economy"
    # The other panel follows: last action wins and everyone sees it.
    other.wait_for_selector("[data-scene=economy][aria-pressed=true]")
    tap(other, "[data-scene=disaster]")
    wait_layout(main, "disaster-layout")
    panel.wait_for_selector("[data-scene=disaster][aria-pressed=true]")
    assert panel.locator("[data-scene=economy][aria-pressed=true]").count() == 0
    tap(panel, "[data-role=release]")
    wait_layout(main, "main")
    wait_layout(left, "left")
    trail = audit_actions(record, "control.", 3)
    actions = [(a, act, t) for a, act, t in trail if act.startswith("control.")]
    assert actions == [
        ("leader", "control.scene", "economy"),
        ("leader", "control.scene", "disaster"),
        ("leader", "control.release", ""),
    ]
    assert session_wall.console_errors == []


def test_focus_enlarges_a_tile_and_a_second_tap_returns(session_wall: Wall) -> None:
    main = session_wall.open("main")
    redis_client(session_wall.redis.url).xadd("feed:power_load", {"value": "41000"})
    panel = session_wall.panel()
    tap(panel, "[data-target=main]")
    tap(panel, "[data-screen=main] [data-tile=load-chart]")
    main.wait_for_function(
        "() => document.getElementById('wall-screen').dataset.focus === 'load-chart'"
    )
    assert main.locator("[data-tile]:visible").count() == 1
    box = main.locator("[data-tile=load-chart]").bounding_box()
    assert box is not None and box["width"] > 1800 and box["height"] > 900  # the whole screen
    panel.wait_for_selector("[data-screen=main][data-source=focus]")
    tap(panel, "[data-screen=main] [data-tile=load-chart]")
    main.wait_for_function("() => document.getElementById('wall-screen').dataset.focus === ''")
    assert main.locator("[data-tile]:visible").count() == 3
    main.wait_for_function(
        "() => document.querySelector('[data-tile=load] [data-role=value]').dataset.value === '41000'"
    )  # values survive both re-renders


def test_province_drill_down_moves_the_highlight(session_wall: Wall) -> None:
    main = session_wall.open("main")
    main.wait_for_selector("[data-tile=map]:visible path.province.highlighted[data-code='01']")
    panel = session_wall.panel()
    panel.wait_for_selector("[data-province='42']")
    tap(panel, "[data-province='42']")
    main.wait_for_selector("[data-tile=map] path.province.highlighted[data-code='42']")
    assert main.locator("[data-tile=map] path.highlighted").count() == 1
    panel.wait_for_selector("[data-role=map] path.chosen[data-code='42']")
    panel.wait_for_selector("[data-province='42'][aria-pressed=true]")
    assert panel.inner_text("[data-role=province]") == "Ha Tinh"
    tap(panel, "[data-role=clear-province]")
    main.wait_for_selector("[data-tile=map]:visible path.province.highlighted[data-code='01']")


def test_the_panel_shows_the_province_a_scene_sets(session_wall: Wall) -> None:
    """A scene with `province: "42"` lights 42 on the panel's map and its button, as on the wall."""
    main = session_wall.open("main")
    panel = session_wall.panel()
    panel.wait_for_selector("[data-role=map] path[data-code='42']")
    tap(panel, "[data-scene=disaster]")
    main.wait_for_selector(
        "[data-tile=storm-map]:visible path.province.highlighted[data-code='42']"
    )
    panel.wait_for_selector("[data-role=map] path.chosen[data-code='42']")
    panel.wait_for_selector("[data-province='42'][aria-pressed=true]")
    assert panel.inner_text("[data-role=province]") == "Ha Tinh"
    tap(panel, "[data-role=release]")
    panel.wait_for_selector("[data-role=map] path.chosen", state="detached")


def test_rotation_advances_with_each_scenes_dwell_and_pauses(session_wall: Wall) -> None:
    side = session_wall.open("side")
    side.evaluate(
        """() => { window.__scenes = []; setInterval(() => {
             const root = document.getElementById('wall-screen');
             window.__scenes.push([Date.now(), root ? root.dataset.scene : '']); }, 50); }"""
    )
    side.wait_for_timeout(9500)
    samples = side.evaluate("() => window.__scenes")
    runs: list[tuple[str, int]] = []  # (scene, duration) of each complete run
    start, current = samples[0][0], samples[0][1]
    for at, scene in samples[1:]:
        if scene != current:
            runs.append((current, at - start))
            start, current = at, scene
    complete = runs[1:]  # the first run was joined midway
    assert {scene for scene, _ in complete} == {"economy", "disaster"}
    for scene, duration in complete:
        expected = 1500 if scene == "economy" else 3000
        assert abs(duration - expected) < 700, (scene, duration, runs)  # 1.5 s vs 3 s: distinct
    panel = session_wall.panel()
    tap(panel, "[data-role=pause]")
    panel.wait_for_selector("[data-role=pause][aria-pressed=true]")
    frozen = side.get_attribute("#wall-screen", "data-scene")
    side.wait_for_timeout(3600)  # longer than any dwell
    assert side.get_attribute("#wall-screen", "data-scene") == frozen
    tap(panel, "[data-role=pause]")
    side.wait_for_function(
        "s => document.getElementById('wall-screen').dataset.scene !== s",
        arg=frozen,
        timeout=4000,
    )


def test_a_rule_takes_over_a_screen_and_reverts_on_acknowledgement(
    session_wall: Wall, record: Provisioned
) -> None:
    main, left = session_wall.open("main"), session_wall.open("left")
    panel = session_wall.panel()
    r = redis_client(session_wall.redis.url)
    r.xadd("feed:wind", {"value": "40"})
    left.wait_for_function(
        "() => document.querySelector('[data-tile=wind] [data-role=value]')?.dataset.value === '40'"
    )
    assert layout_of(main) == "main"
    raised = r.xadd("feed:wind", {"value": "120"})
    wait_layout(main, "disaster-layout")
    main.wait_for_selector("#wall-screen.wall-takeover")
    banner = main.locator("[data-role=alert-banner]")
    banner.wait_for(state="visible")
    assert "Storm wind above 90 km/h" in banner.inner_text()
    assert layout_of(left) == "left"  # the rule takes over main only
    left.wait_for_selector("[data-role=alert-banner]:visible")  # the banner is wall-wide
    card = panel.locator(f"[data-alert='storm:{raised}']")
    card.wait_for()
    assert card.get_attribute("data-severity") == "critical"
    tap(panel, f"[data-ack='storm:{raised}']")
    wait_layout(main, "main")
    main.wait_for_selector("[data-role=alert-banner]", state="hidden")
    panel.wait_for_selector(f"[data-alert='storm:{raised}'] >> text=Acknowledged by leader")
    r.xadd("feed:wind", {"value": "30"})
    panel.wait_for_selector("[data-role=alerts] >> text=No rule warnings")
    db = Database(record.database_url)
    with db.session() as s:
        steps = [(w.step, w.by) for w in s.scalars(select(WarningEvent).order_by(WarningEvent.id))]
    db.dispose()
    assert steps == [("raised", "system"), ("acknowledged", "leader"), ("cleared", "system")]
    actions = {action for _, action, _ in audit_actions(record, "control.ack", 1)}
    assert {"warning.raised", "control.ack", "warning.cleared"} <= actions


def test_a_reloaded_screen_comes_back_in_the_current_state(session_wall: Wall) -> None:
    main = session_wall.open("main")
    panel = session_wall.panel()
    tap(panel, "[data-scene=disaster]")
    wait_layout(main, "disaster-layout")
    main.evaluate("() => { window.__before = true; }")
    main.reload()
    # The first render is already the held scene: never the default layout, not even briefly.
    main.wait_for_selector("#wall-screen")
    assert main.evaluate("() => window.__before") is None  # it really reloaded
    assert layout_of(main) == "disaster-layout"
    main.wait_for_selector("#wall-screen[data-link=up]")
    later = session_wall.open("main")  # a screen that starts now joins in the same state
    assert layout_of(later) == "disaster-layout"


def test_panel_at_tablet_sizes_looks_right(session_wall: Wall) -> None:
    """Screenshots for people to look at; big touch targets, nothing outside the viewport."""
    session_wall.open("main")
    redis_client(session_wall.redis.url).xadd("feed:wind", {"value": "95"})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1024, 768), (2732, 2048)):
        panel = session_wall.panel(width, height)
        panel.wait_for_selector("[data-role=map] path")
        panel.wait_for_selector("[data-alert]")
        panel.screenshot(path=str(ARTIFACTS / f"panel-{width}x{height}.png"))
        small = panel.evaluate(
            """() => [...document.querySelectorAll('#panel button, #panel a')]
                 .filter(b => b.offsetParent && !b.classList.contains('p-tile'))
                 .map(b => b.getBoundingClientRect())
                 .filter(r => r.height < 48 || r.width < 48).length"""
        )
        assert small == 0
        overflow = panel.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False


def test_a_classified_tile_is_absent_from_an_uncleared_screen(session_wall: Wall) -> None:
    r = redis_client(session_wall.redis.url)
    frames: list[str] = []
    uncleared = session_wall.new_page("left-uncleared")
    uncleared.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    uncleared.goto(f"{session_wall.url}/wall/left?token={session_wall.record.viewer_token}")
    uncleared.wait_for_selector("#wall-screen[data-link=up]")
    cleared = session_wall.open("left", token=session_wall.record.cleared_token)
    r.xadd("feed:secret_ops", {"value": "7"})
    r.xadd("feed:wind", {"value": "12"})
    cleared.wait_for_function(
        "() => document.querySelector('[data-tile=secret] [data-role=value]')?.dataset.value === '7'"
    )
    uncleared.wait_for_function(
        "() => document.querySelector('[data-tile=wind] [data-role=value]')?.dataset.value === '12'"
    )
    assert uncleared.locator("[data-tile=secret]").count() == 0
    assert "restricted" in uncleared.inner_text(".tile-restricted").lower()
    assert "secret_ops" not in uncleared.content()
    assert frames and not any("secret_ops" in frame for frame in frames)
