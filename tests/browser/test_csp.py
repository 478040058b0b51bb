"""The wall, the panel and the admin pages work under their Content-Security-Policy: nothing is
refused (no CSP violation reported), the pages still go live, and /control refuses framing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

from tests.browser.conftest import Wall
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

# Every violation the page sees, whether or not the browser also logs it to the console.
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def watched(wall: Wall, name: str) -> tuple[Page, list[str]]:
    """A new page with its CSP console messages and violation events recorded."""
    page = wall.new_page(name)
    page.add_init_script(WATCH)
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(f"{name}: {message.text}")

    page.on("console", on_console)
    return page, console


def violations(page: Page) -> list[Any]:
    found: list[Any] = []
    for frame in page.frames:
        found += frame.evaluate("() => window.__cspViolations || []")
    return found


def test_wall_panel_and_admin_pages_run_under_the_csp(wall: Wall) -> None:
    """Screens with every tile type (charts, map, framed screen, video panes), the panel and the
    token page load and update with no CSP violation in the console."""
    screen, console = watched(wall, "second")
    opened = screen.goto(f"{wall.url}/wall/second?token={wall.record.viewer_token}")
    assert opened is not None and "script-src 'self'" in opened.headers["content-security-policy"]
    screen.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": "4242"})
    screen.wait_for_selector("[data-tile='load'] [data-role=value][data-value='4242']")
    framed = screen.frame_locator("[data-tile='frame'] iframe")
    framed.locator("#wall-screen[data-link=up]").wait_for(timeout=15000)
    panes, more = watched(wall, "fourth")
    panes.goto(f"{wall.url}/wall/fourth?token={wall.record.viewer_token}")
    panes.wait_for_selector(".video-pane[data-site=desk][data-video-state=live]", timeout=15000)
    panel, on_panel = watched(wall, "panel")
    wall.sign_in(panel, "admin", "/control")
    panel.wait_for_selector("#panel[data-link=up]", timeout=15000)
    panel.goto(f"{wall.url}/admin/tokens")
    panel.wait_for_selector("form")
    panel.goto(f"{wall.url}/")
    panel.wait_for_selector("a[href^='/wall/']", timeout=15000)
    screen.wait_for_timeout(500)
    assert console + more + on_panel == []
    assert violations(screen) + violations(panes) + violations(panel) == []
    assert wall.console_errors == []


def test_the_control_page_cannot_be_framed(wall: Wall) -> None:
    """A same-site page that frames /control gets nothing (frame-ancestors 'none')."""
    page, console = watched(wall, "framer")
    wall.sign_in(page, "leader", "/control")
    page.set_content(f'<iframe id="f" src="{wall.url}/control"></iframe>')
    page.wait_for_timeout(1500)
    assert all(frame.locator("#panel").count() == 0 for frame in page.frames)
    assert any("frame-ancestors" in line for line in console)
