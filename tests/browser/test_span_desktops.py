"""A span whose screens include a PC driving two panels as one desktop (issue 23), in headless
Chromium: its page is both panels' pixels edge to edge (its OS draws across the bezel inside
it), and the canvas skips only the bezel between screens.

One wall serves the module (tests/fixtures/span-desktop.yaml: 1 x 3 panels of 640x360, 10 px
bezel gaps; `east` drives panels 2 and 3).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.config.spans import geometry_of
from opswall.control.store import ControlStore
from opswall.legibility.stitch import stitch
from opswall.tiles import default_registry
from tests.browser.conftest import Wall, module_wall, stop_module_wall
from tests.browser.test_spans import (
    PIXEL_SHARE_TOLERANCE,
    STILL,
    differing_share,
    shot,
    wait_drawn,
    write_ramp,
)
from tests.conftest import FIXTURES, redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

FIXTURE = FIXTURES / "span-desktop.yaml"
SIZES = {"west": (640, 360), "east": (1280, 360)}


@dataclass
class DesktopWall:
    wall: Wall
    config: WallConfig
    slices: dict[str, Page]
    canvas: Page


@pytest.fixture(scope="module")
def desktops(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopWall]:
    running = module_wall(browser, tmp_path_factory.mktemp("desktops"), FIXTURE)
    r = redis_client(running.redis.url)
    write_ramp(r)
    config = load_config(running.config, default_registry())
    ControlStore(r).apply({"action": "scene", "scene": "wide"}, "test", config)
    slices = {screen: running.open(screen, *size) for screen, size in SIZES.items()}
    geometry = geometry_of(config, "wide")
    assert geometry is not None
    canvas = running.new_page("canvas", geometry.width, geometry.height)
    canvas.goto(f"{running.url}/wall/west?token={running.record.viewer_token}&canvas")
    for page in [*slices.values(), canvas]:
        page.wait_for_selector("#wall-screen.wall-span[data-layout=wide]", timeout=15000)
        page.add_style_tag(content=STILL)
    yield DesktopWall(running, config, slices, canvas)
    stop_module_wall(running)


def test_a_two_panel_desktop_draws_its_slice_unscaled_and_stitches_into_the_canvas(
    desktops: DesktopWall,
) -> None:
    """The east page (1280x360) draws its 1280 px slice 1:1, not one panel's worth scaled up;
    the two pages stitched with the one bezel gap between screens match the whole canvas."""
    geometry = geometry_of(desktops.config, "wide")
    assert geometry is not None
    assert geometry.width == 640 + 10 + 1280 and geometry.bezels == ((640, 0, 10, 360),)
    east = desktops.slices["east"]
    assert east.evaluate("document.getElementById('wall-screen').style.scale") == ""
    for page in [*desktops.slices.values(), desktops.canvas]:
        wait_drawn(page, "wide")
    places = {cut.screen: (cut.x, cut.y) for cut in geometry.slices}
    share = 1.0
    for _ in range(10):  # charts settle their ticks on their own timers: until they agree
        shots = {screen: desktops.slices[screen].screenshot() for screen in places}
        joined = stitch((geometry.width, geometry.height), places, shots)
        whole = shot(desktops.canvas)
        share = differing_share(whole, joined, geometry)
        if share <= PIXEL_SHARE_TOLERANCE:
            break
        time.sleep(0.5)
    print(f"\nwide: {share:.4%} of the compared pixels differ")
    assert share <= PIXEL_SHARE_TOLERANCE
    chart = east.evaluate(
        "(() => { const r = document.querySelector('[data-tile=chart]').getBoundingClientRect();"
        " return [r.left, r.right]; })()"
    )
    assert chart[0] < 0 and chart[1] > 640  # the chart runs on across the desktop's own bezel
