"""The screen fleet as operators and wall PCs see it (issue 21), in headless Chromium against
real processes: three wall pages report themselves; /admin/screens shows them live without a
reload; a page closed is disconnected there and raises a warning, cleared when it is back;
identify shows its overlay on the screen named only; reload reloads only that screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from opswall.control.store import ControlStore
from opswall.keys import VIDEO_PANES
from opswall.runtime.redis_provider import RedisServer
from opswall.store.redis_client import connect
from opswall.testing import Provisioned
from tests.browser.conftest import Wall

pytestmark = [pytest.mark.browser, pytest.mark.redis]

SCREENS = ("main", "second", "third")
REPORTED = 15_000  # ms: a page's first report comes within 5 s, the fleet is published every 2 s


@pytest.fixture
def fleet_wall(
    own_redis: RedisServer, wall_config: Path, browser: Browser, record: Provisioned
) -> Iterator[Wall]:
    """A wall whose screens raise a warning after 2 s down."""
    text = wall_config.read_text(encoding="utf-8")
    wall_config.write_text(text.replace("theme: dark}", "theme: dark, screen_down_after: 2s}"))
    running = Wall(wall_config, own_redis, browser, record).start()
    yield running
    running.stop()


def fleet_page(wall: Wall) -> Page:
    page = wall.new_page("fleet", 1600, 900)
    wall.sign_in(page, "operator", "/admin/screens")
    return page


def wait_state(page: Page, screen: str, state: str, timeout: float = REPORTED) -> None:
    page.wait_for_selector(f"#fleet tr[data-screen={screen}][data-state={state}]", timeout=timeout)


def screen_warning(wall: Wall, screen: str) -> bool | None:
    """The screen's latest warning: None: never raised; False: open; True: cleared."""
    state = ControlStore(connect(wall.redis.url)).read()
    mine = [w.cleared for w in state.warnings if w.rule == f"screen:{screen}"]
    return mine[-1] if mine else None


def test_a_closed_screen_is_disconnected_and_warned_of_until_it_returns(
    fleet_wall: Wall,
) -> None:
    pages = {screen: fleet_wall.open(screen) for screen in SCREENS}
    fleet = fleet_page(fleet_wall)
    for screen in SCREENS:
        wait_state(fleet, screen, "live")
    source = fleet.wait_for_selector("#fleet tr[data-screen=main] [data-role=source]")
    assert source.get_attribute("data-source") == "own" and source.inner_text() == "own layout"
    fleet.evaluate("() => { window.__stayed = true; }")  # the page is updated, never reloaded
    pages["third"].close()
    fleet_wall.pages.remove(pages["third"])
    wait_state(fleet, "third", "disconnected")
    fleet.wait_for_function("() => window.__stayed === true")
    deadline = 20
    for _ in range(deadline * 5):
        if screen_warning(fleet_wall, "third") is False:
            break
        fleet.wait_for_timeout(200)
    assert screen_warning(fleet_wall, "third") is False
    assert screen_warning(fleet_wall, "main") in (None, True)
    fleet_wall.open("third")
    wait_state(fleet, "third", "live")
    for _ in range(deadline * 5):
        if screen_warning(fleet_wall, "third") is True:
            break
        fleet.wait_for_timeout(200)
    assert screen_warning(fleet_wall, "third") is True
    assert fleet_wall.console_errors == []


def test_identify_and_reload_act_on_the_screen_named_only(fleet_wall: Wall) -> None:
    pages = {screen: fleet_wall.open(screen) for screen in SCREENS}
    fleet = fleet_page(fleet_wall)
    for screen in SCREENS:
        wait_state(fleet, screen, "live")
        pages[screen].evaluate("() => { window.__loaded = 'before'; }")
    fleet.click("#fleet tr[data-screen=main] button[data-command=identify]")
    overlay = pages["main"].wait_for_selector("[data-role=identify]", timeout=10_000)
    assert overlay.inner_text().split("\n")[0] == "main"
    assert "test wall" in overlay.inner_text()
    for other in ("second", "third"):
        assert pages[other].query_selector("[data-role=identify]") is None
    fleet.wait_for_selector("#fleet tr[data-screen=second] button[data-command=reload]")
    fleet.click("#fleet tr[data-screen=second] button[data-command=reload]")
    pages["second"].wait_for_function("() => window.__loaded === undefined", timeout=10_000)
    pages["second"].wait_for_selector("#wall-screen[data-link=up]", timeout=15_000)
    for other in ("main", "third"):
        assert pages[other].evaluate("() => window.__loaded") == "before"
    assert fleet_wall.console_errors == []


def test_each_screen_has_a_live_read_only_miniature_that_is_no_device(fleet_wall: Wall) -> None:
    """/admin/screens mirrors each screen: its own page, laid out at the size its device
    reports, framed inert; the mirror opens its own socket but never counts as
    a device (its screen stays live, not duplicated), and the live table's polls never reload
    it. A screen without a device is mirrored too, at full HD."""
    fleet_wall.open("main", 1280, 720)
    fleet = fleet_page(fleet_wall)
    wait_state(fleet, "main", "live")
    mirror = fleet.wait_for_selector(
        "#miniatures figure[data-screen=main] iframe[data-role=mirror]"
    )
    assert fleet.evaluate("() => document.querySelector('#miniatures figure .miniature-box').inert")
    fleet.wait_for_function(
        "() => document.querySelector('#miniatures figure[data-screen=main] iframe').width === '1280'"
    )
    inner = mirror.content_frame()
    assert inner is not None
    inner.wait_for_selector("#wall-screen[data-screen=main][data-link=up]", timeout=15_000)
    inner.evaluate("() => { window.__mirrored = true; }")
    fleet.wait_for_timeout(12_000)  # several polls, and two reports of the mirror's own timer
    assert inner.evaluate("() => window.__mirrored") is True
    row = fleet.query_selector("#fleet tr[data-screen=main]")
    assert row is not None and row.get_attribute("data-state") == "live"
    assert len(row.query_selector_all("td:nth-child(4) [data-device]")) == 1
    heap, long_tasks, panes = (row.query_selector(f"td:nth-child({n})") for n in (9, 10, 11))
    assert heap is not None and re.fullmatch(
        r"[\d.,]+ MB( . (rising|flat|falling))?", heap.inner_text()
    )
    assert long_tasks is not None and re.fullmatch(
        r"\d+( \([\d.,]+ ms\))?", long_tasks.inner_text()
    )
    assert panes is not None and panes.inner_text() == "–"  # main plays no video
    empty = fleet.query_selector("#miniatures figure[data-screen=second] iframe")
    assert empty is not None and empty.get_attribute("width") == "1920"
    # The mirror of `fourth` (video panes, no device) plays them but never reports their health.
    assert fleet.query_selector("#miniatures figure[data-screen=fourth] iframe") is not None
    panes = connect(fleet_wall.redis.url).hkeys(VIDEO_PANES)
    assert [p for p in panes if str(p).startswith(("fourth/", "b'fourth/"))] == []
    assert fleet_wall.console_errors == []


def test_a_frozen_page_is_not_painting(fleet_wall: Wall) -> None:
    """A page whose script is paused (the DevTools protocol's debugger) stops reporting: the
    fleet page shows it as not painting, the others stay live."""
    pages = {screen: fleet_wall.open(screen) for screen in ("main", "second")}
    fleet = fleet_page(fleet_wall)
    for screen in pages:
        wait_state(fleet, screen, "live")
    devtools = pages["second"].context.new_cdp_session(pages["second"])
    devtools.send("Debugger.enable")
    devtools.send("Debugger.pause")
    wait_state(fleet, "second", "not_painting", timeout=30_000)
    assert fleet.get_attribute("#fleet tr[data-screen=main]", "data-state") == "live"
    devtools.send("Debugger.resume")
    wait_state(fleet, "second", "live", timeout=20_000)


def marker(page: Page) -> str | None:
    """The mark a test left on the page; None once it reloaded (or while it is reloading)."""
    try:
        return str(page.evaluate("() => window.__loaded"))
    except PlaywrightError:
        return None


def test_pages_of_an_old_build_reload_by_themselves_one_at_a_time(
    fleet_wall: Wall, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade (the gateway restarted on a new page build), the open pages are old:
    one reloads by itself, and the next not at the same time."""
    pages = [fleet_wall.open(screen) for screen in ("main", "second")]
    for page in pages:
        page.evaluate("() => { window.__loaded = 'before'; }")
    assert fleet_wall.gateway is not None
    fleet_wall.gateway.stop()
    monkeypatch.setenv("OPSWALL_PAGE_BUILD", "upgraded")
    fleet_wall.start_gateway()
    for _ in range(150):  # a page's marker is gone once it reloaded
        gone = [p for p in pages if marker(p) != "before"]
        if gone:
            break
        pages[0].wait_for_timeout(200)
    assert len(gone) == 1  # one at a time: the other waits UPDATE_SPACING_MS
    gone[0].wait_for_selector("#wall-screen[data-link=up]", timeout=15_000)


def test_burn_in_care_moves_and_dims_the_canvas(
    own_redis: RedisServer, wall_config: Path, browser: Browser, record: Provisioned
) -> None:
    """wall.care: the screen's root moves by shift_px in steps (measured as its transform) and,
    the night window open, is dimmed (its filter)."""
    care = '{shift_px: 3, shift_every: 1s, night_from: "00:00", night_to: "00:00", night_dim: 0.5}'
    text = wall_config.read_text(encoding="utf-8")
    wall_config.write_text(text.replace("theme: dark}", f"theme: dark, care: {care}}}"))
    wall = Wall(wall_config, own_redis, browser, record).start()
    try:
        page = wall.open("main")
        seen = set()
        for _ in range(40):
            seen.add(
                page.evaluate(
                    "() => getComputedStyle(document.getElementById('wall-screen')).transform"
                )
            )
            page.wait_for_timeout(250)
        moves = {t for t in seen if t != "none"}
        assert len(seen) >= 3 and moves  # it moved, in more than one step
        for matrix in moves:  # matrix(1, 0, 0, 1, dx, dy), |dx|, |dy| in {0, 3}
            dx, dy = (abs(float(v)) for v in matrix.rstrip(")").split(",")[4:])
            assert {dx, dy} <= {0.0, 3.0}
        dimmed = page.evaluate(
            "() => getComputedStyle(document.getElementById('wall-screen')).filter"
        )
        assert dimmed == "brightness(0.5)"
        assert wall.console_errors == []
    finally:
        wall.stop()


def with_schedule(text: str, screen: str, window: str) -> str:
    """The config with a one-window schedule on `screen` (after its id and title lines)."""
    lines = text.split("\n")
    at = lines.index(f"  - id: {screen}") + 2
    return "\n".join([*lines[:at], "    schedule:", f"      - {window}", *lines[at:]])


def test_a_screens_schedule_shows_on_the_panel_the_fleet_page_and_the_screen(
    own_redis: RedisServer, wall_config: Path, browser: Browser, record: Provisioned
) -> None:
    """main's all-day window holds a scene, second's dims it: the panel's cards say so, the
    fleet page names the schedule, and second's page is dimmed to wall.care.night_dim."""
    text = wall_config.read_text(encoding="utf-8")
    for screen, window in (("main", "scene: calm"), ("second", "mode: dim")):
        text = with_schedule(text, screen, f'{{from: "00:00", to: "00:00", {window}}}')
    text += "scenes:\n  - {id: calm, title: Calm, show: {main: second}}\n"
    wall_config.write_text(text, encoding="utf-8")
    wall = Wall(wall_config, own_redis, browser, record).start()
    try:
        second = wall.open("second")
        panel = wall.panel()
        card = panel.wait_for_selector(".p-screen[data-screen=main][data-source=schedule]")
        assert "SCHEDULED" in card.inner_text()
        dimmed = panel.wait_for_selector(".p-screen[data-screen=second][data-dim='0.6']")
        assert "DIMMED" in dimmed.inner_text()
        second.wait_for_function(
            "() => getComputedStyle(document.getElementById('wall-screen')).filter"
            " === 'brightness(0.6)'",
            timeout=10_000,
        )
        fleet = fleet_page(wall)
        source = fleet.wait_for_selector("#fleet tr[data-screen=main] [data-role=source]")
        assert source.get_attribute("data-source") == "schedule"
        assert source.inner_text() == "calm · scheduled"
        assert wall.console_errors == []
    finally:
        wall.stop()
