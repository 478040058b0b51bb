"""axe-core (npm, installed by scripts/test) audits a wall page, the panel and operator pages:
no serious or critical violation, in either language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from opswall.runtime.redis_provider import RedisServer
from opswall.testing import Provisioned
from tests.browser.conftest import Wall

pytestmark = [pytest.mark.browser, pytest.mark.redis]

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"
# The index and every operator page (test_operator_ink.py reads them too).
OPERATOR_PAGES = (
    "/",
    "/admin/feeds",
    "/admin/screens",
    "/admin/tokens",
    "/admin/audit",
    "/admin/users",
    "/admin/layout",
    "/admin/layout/history",
)


def landmarks(page: Page) -> dict[str, int]:
    """How many main landmarks and main headings the page has (one of each is right)."""
    counted: dict[str, int] = page.evaluate(
        "() => ({main: document.querySelectorAll('main').length,"
        " h1: document.querySelectorAll('h1').length})"
    )
    return counted


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    # Evaluated over the DevTools protocol, so the page's Content-Security-Policy does not apply.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. "
        f"{v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(autouse=True)
def _axe_installed() -> None:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run ./scripts/test, which installs it with npm")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_a_wall_page_has_no_serious_accessibility_violation(
    own_redis: RedisServer, browser: Browser, record: Provisioned, tmp_path: Path, locale: str
) -> None:
    """A wall screen in either language says which (`<html lang>`, the page's own language, so
    a reader or the browser never takes Vietnamese for English) and passes axe-core."""
    config = tmp_path / "wall.yaml"
    config.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("locale: en", f"locale: {locale}")
    )
    wall = Wall(config, own_redis, browser, record).start()
    try:
        page = wall.open("main")
        assert page.get_attribute("html", "lang") == locale
        assert landmarks(page) == {"main": 1, "h1": 1}
        assert serious_violations(page) == []
    finally:
        wall.stop()


def test_the_panel_and_operator_pages_have_no_serious_violation(wall: Wall) -> None:
    """The leader's panel, the index, feeds, screens, tokens, audit, people, layout studio and
    history."""
    panel = wall.panel(1366, 1024, user="admin")
    panel.wait_for_selector("[data-province]")
    found = {"/control": serious_violations(panel)}
    shapes = {"/control": landmarks(panel)}
    for path in OPERATOR_PAGES:
        panel.goto(f"{wall.url}{path}")
        panel.wait_for_load_state("networkidle")
        found[path] = serious_violations(panel)
        shapes[path] = landmarks(panel)
    assert {path: v for path, v in found.items() if v} == {}
    assert {path: s for path, s in shapes.items() if s != {"main": 1, "h1": 1}} == {}


def test_the_sign_in_page_has_no_serious_violation(wall: Wall) -> None:
    """The page everyone meets first."""
    page = wall.new_page("login")
    page.goto(f"{wall.url}/login")
    assert landmarks(page) == {"main": 1, "h1": 1}
    assert serious_violations(page) == []
