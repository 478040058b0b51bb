"""The leader's panel on the demo wall, at every supported tablet size: a finger can use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from opswall.legibility.ink import TALL_SAMPLE, find_cut_ink
from opswall.runtime.redis_provider import RedisServer
from opswall.testing import Provisioned
from tests.browser.conftest import Wall

pytestmark = [pytest.mark.browser, pytest.mark.redis]

DEMO = Path(__file__).parents[2] / "wall_config.yaml"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
TABLETS = [(1024, 768), (1366, 1024), (2732, 2048)]

# Every control of the panel: its box, and whether its label fits inside it.
CONTROLS = """() => [...document.querySelectorAll(
    '#panel button, #panel a, #panel [role=button], #panel input, #panel select')]
  .filter(c => c.checkVisibility())
  .map(c => { const r = c.getBoundingClientRect();
    return {label: (c.textContent || c.getAttribute('aria-label') || '').trim().slice(0, 40),
            width: r.width, height: r.height,
            overflows: c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1}; })"""


@pytest.fixture
def demo_panel_wall(
    own_redis: RedisServer, browser: Browser, record: Provisioned
) -> Iterator[Wall]:
    """The demo config served by a gateway and the web app (no feeds: the panel needs none)."""
    running = Wall(DEMO, own_redis, browser, record).start()
    yield running
    running.stop()


@pytest.mark.parametrize(("width", "height"), TABLETS)
def test_every_panel_control_is_64_px_with_its_label_inside(
    demo_panel_wall: Wall, width: int, height: int
) -> None:
    """Scenes, screens, tiles, provinces, warnings: every control at least 64x64 px, no label
    spilling out of its button, nothing wider than the tablet, no glyph cut by its box."""
    panel = demo_panel_wall.panel(width, height)
    panel.wait_for_selector("[data-province]")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / f"demo-panel-{width}x{height}.png"))
    controls = panel.evaluate(CONTROLS)
    assert len(controls) > 60  # scenes, screens, the listed tiles, provinces...
    small = [c for c in controls if c["width"] < 64 or c["height"] < 64]
    assert small == [], f"controls under 64 px at {width}x{height}: {small[:10]}"
    spilling = [c["label"] for c in controls if c["overflows"]]
    assert spilling == [], f"labels outside their buttons at {width}x{height}: {spilling}"
    assert panel.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    cut = [str(c) for c in [*find_cut_ink(panel), *find_cut_ink(panel, TALL_SAMPLE)]]
    assert cut == [], f"glyphs cut at {width}x{height}: {cut}"
    assert demo_panel_wall.console_errors == []


def test_the_panel_may_be_zoomed(demo_panel_wall: Wall) -> None:
    """No `user-scalable=no`: a leader with poor sight can pinch to zoom."""
    panel = demo_panel_wall.panel()
    viewport = panel.get_attribute("meta[name=viewport]", "content") or ""
    assert "user-scalable=no" not in viewport.replace(" ", "")
    assert "maximum-scale=1" not in viewport.replace(" ", "")


def test_the_panel_lists_what_the_walls_alert_tiles_show_apart_from_rule_warnings(
    wall: Wall,
) -> None:
    """One honest list (issue 18): beside the rules' warnings, the panel lists the alerts the
    wall's alerts tiles show, as many as the tile shows (identical ones once), by severity."""
    import json

    from tests.browser.test_wall import wait_for
    from tests.conftest import redis_client

    panel = wall.panel()
    screen = wall.open("second")
    same = {"severity": "warning", "area": "Nghệ An", "text": "Sông Cả vượt báo động I", "ts": 1}
    alerts = [
        {"id": "c1", "severity": "critical", "area": "Lào Cai", "text": "Nguy cơ sạt lở đất"},
        {"id": "w1", **same},
        {"id": "w2", **same},
    ]
    redis_client(wall.redis.url).xadd("feed:rivers", {"json": json.dumps({"alerts": alerts})})
    wait_for(screen, "warnings", "el.dataset.alerts === '2'")
    panel.wait_for_selector("[data-role=wall-alerts][data-count='2']", timeout=15000)
    cards = panel.eval_on_selector_all(
        "[data-role=wall-alerts] .p-wall-alert",
        "cs => cs.map(c => [c.dataset.severity, c.textContent])",
    )
    assert [severity for severity, _ in cards] == ["critical", "warning"]
    assert "Lào Cai – Nguy cơ sạt lở đất" in cards[0][1]
    assert "critical ·" in cards[0][1] and "warning ·" in cards[1][1]  # a wall in English
    head = panel.text_content("[data-role=wall-alerts-head]")
    assert head == "Alerts on the wall · 1 critical, 1 warning"
    assert panel.text_content("[data-role=alerts]") == "No rule warnings"
