"""Layouts across several screens (issue 23), in headless Chromium: each screen its own page at
its panel's resolution, against one page drawing the whole canvas (`?canvas`).

One wall serves the module (tests/fixtures/spans.yaml: 2 x 2 panels of 640x360, 10 px bezel
gaps); its four slice pages stay open and follow the scenes the tests hold.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.config.spans import SpanGeometry, geometry_of
from opswall.config.yaml_source import read_yaml_file
from opswall.control.store import ControlStore
from opswall.legibility.bezels import bezel_findings
from opswall.legibility.stitch import stitch
from opswall.tiles import default_registry
from tests.browser.conftest import Wall, module_wall, stop_module_wall
from tests.browser.test_bezel_estimate import estimate_against_page
from tests.conftest import FIXTURES, redis_client

FIXTURE = FIXTURES / "spans.yaml"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "spans"
SCREENS = ("nw", "ne", "sw", "se")
# Pictures are compared still: no transitions, no pulsing badge, no blinking caret, and no age
# line ("2 s ago" moves between two screenshots taken a moment apart).
STILL = """*, *::before, *::after { transition: none !important; animation: none !important; }
.tile-age { visibility: hidden !important; }"""
# A channel may differ by this much (anti-aliasing of the same edge), and this share of the
# compared pixels may differ more (none did in the runs that set it; see the assertion).
CHANNEL_TOLERANCE = 8
PIXEL_SHARE_TOLERANCE = 0.001
RAMP = 30  # the load feed's entries: a straight line, one every 10 s


@dataclass
class SpanWall:
    wall: Wall
    config: WallConfig
    store: ControlStore
    slices: dict[str, Page]
    canvas: Page  # nw's page with ?canvas: the whole canvas in one viewport


@pytest.fixture(scope="module")
def spans(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpanWall]:
    running = module_wall(browser, tmp_path_factory.mktemp("spans"), FIXTURE)
    r = redis_client(running.redis.url)
    write_ramp(r)
    rows = [{"name": code, "value": 40 + 2 * n} for n, code in enumerate(("01", "42", "79"))]
    r.xadd("feed:provinces", {"json": json.dumps({"rows": rows})})
    config = load_config(running.config, default_registry())
    store = ControlStore(r)
    slices = {screen: running.open(screen, 640, 360) for screen in SCREENS}
    token = running.record.viewer_token
    canvas = running.new_page("canvas", 1290, 730)
    canvas.goto(f"{running.url}/wall/nw?token={token}&canvas")
    canvas.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
    for page in [*slices.values(), canvas]:
        page.add_style_tag(content=STILL)
    yield SpanWall(running, config, store, slices, canvas)
    stop_module_wall(running)


def write_ramp(r: Any) -> None:
    """The load feed's last five minutes: a straight line, the same rise every 10 s."""
    now = int(time.time() * 1000)
    for i in range(RAMP):
        r.xadd("feed:load", {"value": str(40000 + 100 * i), "ts": str(now - (RAMP - i) * 10_000)})


def hold_scene(spans: SpanWall, scene: str, layout: str, pages: list[Page]) -> None:
    spans.store.apply({"action": "scene", "scene": scene}, "test", spans.config)
    for page in pages:
        page.wait_for_selector(f"#wall-screen.wall-span[data-layout='{layout}']", timeout=15000)


def wait_drawn(page: Page, layout: str) -> None:
    """The layout's chart lines and map colours are drawn, with every entry."""
    page.wait_for_function(
        """([layout, ramp]) => {
          const grid = document.querySelector(`.wall-grid[data-layout='${layout}']`);
          const plots = [...grid.querySelectorAll('[data-tile-type=chart]')];
          const maps = [...grid.querySelectorAll('[data-tile-type=map] path[data-value]')];
          const wantMap = grid.querySelector('[data-tile-type=map]') ? 3 : 0;
          return plots.length > 0 && plots.every((p) => p.drawn && p.drawn.series.length
            && p.drawn.series[0].t.length >= ramp && p.querySelector('path.chart-line[d^=M]'))
            && maps.length >= wantMap; }""",
        arg=[layout, RAMP],
        timeout=15000,
    )
    page.wait_for_timeout(300)  # a draw the last resize asked for


def shot(page: Page) -> Image.Image:
    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


def stitched(spans: SpanWall, geometry: SpanGeometry) -> Image.Image:
    """The slices' screenshots placed where their panels are on the canvas; the bezel gaps
    (no pixel of any screen) stay black."""
    places = {cut.screen: (cut.x, cut.y) for cut in geometry.slices}
    shots = {screen: spans.slices[screen].screenshot() for screen in places}
    return stitch((geometry.width, geometry.height), places, shots)


def differing_share(a: Image.Image, b: Image.Image, geometry: SpanGeometry) -> float:
    """The share of pixels outside the bezel gaps whose colour differs beyond the tolerance."""
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 * (v > CHANNEL_TOLERANCE))
    for x, y, w, h in geometry.bezels:
        diff.paste(0, (x, y, x + w, y + h))
    gap_pixels = sum(w * h for _, _, w, h in geometry.bezels)  # (overlap of two gaps: ignored)
    compared = geometry.width * geometry.height - gap_pixels
    return sum(1 for v in diff.getdata() if v) / compared


@pytest.mark.parametrize(
    ("scene", "screens"), [("pair", ("nw", "ne")), ("quad", ("nw", "ne", "sw", "se"))]
)
def test_slices_stitched_with_their_bezel_gaps_are_the_whole_canvas(
    spans: SpanWall, scene: str, screens: tuple[str, ...]
) -> None:
    """Each screen draws its slice of the span's canvas: stitched at the panels' places with the
    bezel gaps, they match one page drawing the whole canvas at the same scale."""
    geometry = geometry_of(spans.config, scene)
    assert geometry is not None
    pages = [spans.slices[s] for s in screens]
    spans.canvas.set_viewport_size({"width": geometry.width, "height": geometry.height})
    hold_scene(spans, scene, scene, [*pages, spans.canvas])
    for page in [*pages, spans.canvas]:
        wait_drawn(page, scene)
    for _ in range(10):  # charts settle their ticks on their own timers: until they agree
        for page in [*pages, spans.canvas]:  # (a loaded machine may miss a heartbeat: relinked)
            page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
        whole, joined = shot(spans.canvas), stitched(spans, geometry)
        share = differing_share(whole, joined, geometry)
        if share <= PIXEL_SHARE_TOLERANCE:
            break
        time.sleep(0.5)
    if share > PIXEL_SHARE_TOLERANCE:  # kept for a person to look at
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        whole.save(ARTIFACTS / f"{scene}-whole.png")
        joined.save(ARTIFACTS / f"{scene}-stitched.png")
    print(f"\n{scene}: {share:.4%} of the compared pixels differ")
    assert share <= PIXEL_SHARE_TOLERANCE, f"{share:.4%} of pixels differ (see {ARTIFACTS})"
    # A picture that is all one colour would match too: the canvas shows the span's tiles.
    assert len(set(whole.resize((64, 32)).getdata())) > 20


def test_a_line_and_a_map_across_a_bezel_have_no_step(spans: SpanWall) -> None:
    """The chart and map crossing the bezel are drawn alike on both sides: the same paths, at
    the canvas place each slice's offset says, so a line continues straight across it."""
    geometry = geometry_of(spans.config, "pair")
    assert geometry is not None
    pages = [spans.slices["nw"], spans.slices["ne"]]
    hold_scene(spans, "pair", "pair", pages)
    drawn = []
    for page, cut in zip(pages, geometry.slices, strict=True):
        wait_drawn(page, "pair")
        drawn.append(
            page.evaluate(
                """([dx, dy]) => ['chart', 'map'].map((id) => {
                  const el = document.querySelector(`.wall-grid[data-layout=pair] [data-tile=${id}]`);
                  const r = el.getBoundingClientRect();
                  const paths = [...el.querySelectorAll('path.chart-line, path[data-value]')];
                  return { id, left: r.left + dx, top: r.top + dy, width: r.width,
                           paths: paths.map((p) => p.getAttribute('d')) }; })""",
                [cut.x, cut.y],
            )
        )
    assert drawn[0] == drawn[1]
    chart = drawn[0][0]
    assert chart["left"] < 640 < chart["left"] + chart["width"]  # it does cross the bezel
    assert all(tile["paths"] for tile in drawn[0])


def test_an_entry_is_applied_in_the_same_frame_on_every_slice(spans: SpanWall) -> None:
    """The gateway stamps each live batch with when to apply it; every slice applies it in the
    first frame that begins at or after that instant (its clock timed by pings)."""
    pages = [spans.slices[s] for s in SCREENS]
    hold_scene(spans, "quad", "quad", pages)
    r = redis_client(spans.wall.redis.url)
    ids = []
    for i in range(6):  # apart: the pages' charts redraw between two (2 cores, 5 pages)
        ids.append(str(r.xadd("feed:load", {"value": str(50000 + i)})))
        time.sleep(0.4)
    applied: dict[str, dict[str, dict[str, Any]]] = {}
    for screen, page in spans.slices.items():
        page.wait_for_function("id => window.opswall.lastIds.load === id", arg=ids[-1])
        records = page.evaluate("window.opswall.sync.applied")
        applied[screen] = {i: rec for rec in records for i in rec["ids"] if i in ids}
        assert set(applied[screen]) == set(ids), screen  # each entry went through the schedule
    skews = []
    on_time = 0
    for entry in ids:
        records = [applied[screen][entry] for screen in SCREENS]
        assert len({rec["at"] for rec in records}) == 1  # one instant for every slice
        for rec in records:
            assert rec["frame"] >= rec["at"]  # never before it
            if not rec["late"]:  # arrived in time: the first frame at or after `at`
                assert rec["prev"] is None or rec["prev"] < rec["at"]
                on_time += 1
        skews.append(max(r["frame"] for r in records) - min(r["frame"] for r in records))
    assert on_time > 0
    # The chart redraws on the same quarter-second ticks of the gateway's clock on every slice.
    chart = "[data-layout=quad] [data-tile=chart4]"
    ticks = [int(page.get_attribute(chart, "data-draw-tick") or 1) for page in pages]
    assert all(tick % 250 == 0 for tick in ticks), ticks
    late = sum(applied[s][e]["late"] for s in SCREENS for e in ids)
    print(
        f"\nskew between the slices' apply frames (ms): {[round(s, 1) for s in skews]}; "
        f"{late} of {len(ids) * len(SCREENS)} arrived after their instant; the chart's last "
        f"redraw ticks: {sorted(set(ticks))}"
    )


def test_the_check_reports_text_across_a_bezel(spans: SpanWall) -> None:
    """`opswall check --render`'s bezel rule: the chart title across the bezel is reported at
    its tile in the YAML; the map's title, clear of it, is not."""
    geometry = geometry_of(spans.config, "pair")
    assert geometry is not None
    spans.canvas.set_viewport_size({"width": geometry.width, "height": geometry.height})
    hold_scene(spans, "pair", "pair", [spans.canvas])
    wait_drawn(spans.canvas, "pair")
    _, source = read_yaml_file(spans.wall.config)
    layout = spans.config.screen("pair")
    assert layout is not None
    findings = bezel_findings(spans.canvas, spans.config, source, layout)
    titles = [f for f in findings if "title" in f.message]
    assert [f.tile for f in titles] == ["chart"], findings
    assert titles[0].severity == "warning"
    assert titles[0].location.endswith(":33:9")  # the chart tile in spans.yaml
    assert "POWER SYSTEM LOAD" in titles[0].message.upper()


@pytest.mark.browser
@pytest.mark.parametrize("layout", ["pair", "quad"])
def test_the_plain_check_flags_what_the_drawn_page_does(spans: SpanWall, layout: str) -> None:
    """The estimate of `opswall check` without a browser (legibility/text_lines.py) against
    the drawn canvas: each tile where the page puts it (within a pixel), each title's drawn
    lines inside its estimated box, and every text `--render` finds on a bezel also named."""
    geometry = geometry_of(spans.config, layout)
    assert geometry is not None
    spans.canvas.set_viewport_size({"width": geometry.width, "height": geometry.height})
    hold_scene(spans, layout, layout, [spans.canvas])
    wait_drawn(spans.canvas, layout)
    drawn, estimated = estimate_against_page(spans.canvas, spans.wall.config, layout)
    assert drawn <= estimated, (drawn, estimated)
    assert (drawn, estimated) == (
        ({("chart", "title")},) * 2 if layout == "pair" else (set(), set())
    )


def test_the_panel_shows_each_screen_its_slice(spans: SpanWall) -> None:
    """The leader's panel draws a span on each screen's card as that screen's slice of it."""
    hold_scene(spans, "pair", "pair", [spans.slices["ne"]])
    panel = spans.wall.panel()
    card = panel.wait_for_selector("[data-screen=ne][data-layout=pair] [data-span] .p-mini-canvas")
    assert card is not None
    left, width = card.evaluate("el => [parseFloat(el.style.left), parseFloat(el.style.width)]")
    assert (left, width) == (
        pytest.approx(-100 * 650 / 640, abs=0.01),
        pytest.approx(201.5625, abs=0.01),
    )


def test_a_page_showing_no_span_applies_entries_at_once(spans: SpanWall) -> None:
    """Off a span, a live entry is applied as it arrives: nothing is held for a frame."""
    spans.store.apply({"action": "release"}, "test", spans.config)
    page = spans.slices["nw"]
    page.wait_for_selector("#wall-screen:not(.wall-span)[data-layout=nw]")
    entry = str(redis_client(spans.wall.redis.url).xadd("feed:load", {"value": "123"}))
    page.wait_for_function("id => window.opswall.lastIds.load === id", arg=entry)
    assert entry not in [
        i for rec in page.evaluate("window.opswall.sync.applied") for i in rec["ids"]
    ]
    assert page.evaluate("window.opswall.span") is None


def test_a_slice_that_loses_its_link_marks_only_its_part(spans: SpanWall) -> None:
    """A page whose link is gone says so over its own slice, its tiles down; its layout does not
    move, and the other slices stay live."""
    pages = [spans.slices[s] for s in SCREENS]
    hold_scene(spans, "quad", "quad", pages)
    lost = spans.slices["se"]
    grid = "#wall-screen .wall-grid[data-layout=quad]"
    before = lost.eval_on_selector(grid, "g => JSON.stringify(g.getBoundingClientRect())")
    lost.evaluate(
        "() => { window.WebSocket = function () { throw new Error('no network'); };"
        " window.opswall.ws.close(); }"
    )
    lost.wait_for_selector("#wall-screen[data-link=down]")
    banner = lost.locator("[data-role=banner]").bounding_box()
    assert banner is not None
    assert banner["x"] >= 0 and banner["x"] + banner["width"] <= 641 and banner["y"] >= 0
    assert lost.eval_on_selector(grid, "g => JSON.stringify(g.getBoundingClientRect())") == before
    lost.wait_for_selector(f"{grid} [data-tile=chart4][data-fresh=down]")
    for screen in ("nw", "ne", "sw"):
        page = spans.slices[screen]
        assert page.get_attribute("#wall-screen", "data-link") == "up"
        assert page.get_attribute(f"{grid} [data-tile=chart4]", "data-fresh") in ("live", "stale")
        assert page.locator("[data-role=banner]").is_hidden()
    assert not spans.wall.console_errors


def test_the_studio_draws_a_span_at_its_canvas_shape_with_its_bezels(spans: SpanWall) -> None:
    """The layout studio draws a span over its whole canvas (2 x 2 panels and the gaps), with
    its bezels marked where no screen draws."""
    page = spans.wall.new_page("studio", 1600, 1000)
    spans.wall.sign_in(page, "operator", "/admin/layout")
    page.goto(f"{spans.wall.url}/admin/layout?screen=quad")
    page.wait_for_selector("#st-board[data-screen=quad] .st-tile[data-tile=chart4]")
    board = page.locator("#st-board").bounding_box()
    assert board is not None
    assert board["width"] / board["height"] == pytest.approx(1290 / 730, rel=0.01)
    bezels = page.eval_on_selector_all(
        "#st-board [data-role=bezel]", "els => els.map((e) => [e.style.left, e.style.top])"
    )
    assert [[float(v.rstrip("%")) for v in b] for b in bezels] == [
        pytest.approx([100 * 640 / 1290, 0]),
        pytest.approx([0, 100 * 360 / 730]),
    ]
    page.close()


@pytest.mark.browser
def test_the_studio_check_names_text_on_a_bezel_and_marks_its_tile(spans: SpanWall) -> None:
    """The studio's Check on the span lists the plain check's bezel warning under its own
    heading, in the wall's language, and marks the chart's tile; apply stays possible."""
    page = spans.wall.new_page("studio-bezel", 1600, 1000)
    spans.wall.sign_in(page, "operator", "/admin/layout")
    page.goto(f"{spans.wall.url}/admin/layout?screen=pair")
    page.wait_for_selector("#st-board[data-screen=pair] .st-tile[data-tile=chart]")
    page.click("#st-check")
    page.wait_for_selector("#st-result .st-warnings li")
    texts = page.eval_on_selector_all(
        "#st-result p, #st-result li", "els => els.map((e) => e.textContent)"
    )
    assert (
        "Warning: some text lies on a bezel between two screens and would be cut on the wall."
        in texts
    )
    assert any(
        t.startswith("33:9: title 'Power system load") and "nw and ne" in t for t in texts
    ), texts
    assert page.get_attribute("#st-board .st-tile[data-tile=chart]", "data-small") == "true"
    assert page.get_attribute("#st-board .st-tile[data-tile=map]", "data-small") is None
    page.close()
