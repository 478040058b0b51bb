"""The layout studio in Chromium (issue 20): an operator drags a tile and applies, and the open
wall screen shows it moved; a drag onto another tile is refused; an invalid draft cannot be
applied and shows its located error; a hand edit since the draft opened refuses apply with its
diff; rollback restores the file and the screen. Screenshots at desktop and tablet size."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from opswall.keys import studio_draft
from opswall.legibility.ink import find_cut_ink
from tests.browser.conftest import Wall
from tests.browser.test_wall import wait_for
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
CLOCK = "{id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}"


def studio(wall: Wall, width: int = 1920, height: int = 1080, lang: str = "en") -> Page:
    page = wall.new_page(f"studio-{width}", width, height)
    wall.sign_in(page, "operator", "/admin/layout")
    page.goto(f"{wall.url}/admin/layout?screen=main&lang={lang}")
    page.wait_for_selector("#st-board .st-tile[data-tile=clock]")
    return page


def drag(page: Page, tile: str, cols: float, rows: float) -> None:
    """Drag a tile by its middle, `cols` and `rows` cells, in small steps as a hand would."""
    board = page.locator("#st-board").bounding_box()
    box = page.locator(f"#st-board [data-tile={tile}]").bounding_box()
    assert board and box
    cell_w, cell_h = board["width"] / 12, board["height"] / 6
    x, y = box["x"] + box["width"] / 3, box["y"] + box["height"] / 3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + cols * cell_w, y + rows * cell_h, steps=12)
    page.mouse.up()


def board_at(page: Page, tile: str) -> dict[str, str]:
    return page.eval_on_selector(
        f"#st-board [data-tile={tile}]", "el => ({left: el.style.left, top: el.style.top})"
    )


def test_drag_apply_refuse_and_roll_back(wall: Wall) -> None:
    """Drag, apply, the screen follows; overlap refused; invalid and stale drafts refused with
    their located error and diff; rollback restores."""
    original = wall.config.read_text(encoding="utf-8")
    screen = wall.open("main")
    page = studio(wall)
    start = board_at(page, "clock")
    drag(page, "clock", -6, 0)  # onto load-chart: refused while dragging
    assert board_at(page, "clock") == start
    drag(page, "clock", 0, 3)
    assert board_at(page, "clock")["top"] == "50%"
    assert "move main/clock col 10, row 4" in page.inner_text("#st-changes")
    page.click("#st-apply")
    page.wait_for_selector("#st-result .ok")
    assert CLOCK.replace("row: 1", "row: 4") in wall.config.read_text(encoding="utf-8")
    wait_for(screen, "clock", "el.style.gridRow.startsWith('4')", timeout=8000)

    page.fill("#st-cols", "10")  # the clock (cols 10-12) now stands outside the grid
    page.dispatch_event("#st-cols", "change")
    page.click("#st-apply")
    page.wait_for_selector("#st-result[data-status='422'] .st-issues")
    assert "clock: " in page.inner_text("#st-result .st-issues")
    assert page.get_attribute("#st-board [data-tile=clock]", "data-error") == "true"
    assert "grid" in page.inner_text("#st-board [data-tile=clock] .st-tile-error")  # on the tile
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "layout-studio-error-1920x1080.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    overlap = page.evaluate(OVERLAP_APPLY)
    assert overlap["status"] == 422 and "overlap" in overlap["message"]

    page.click("#st-reset")
    page.focus("#st-board [data-tile=clock]")
    page.keyboard.press("ArrowDown")  # the keyboard moves a tile as a drag does
    assert "move main/clock col 10, row 5" in page.inner_text("#st-changes")
    edited = wall.config.read_text(encoding="utf-8").replace("title: Second", "title: Hand", 1)
    wall.config.write_text(edited, encoding="utf-8")
    page.click("#st-apply")
    page.wait_for_selector("#st-result[data-status='409'] .st-diff")
    assert "+    title: Hand" in page.inner_text("#st-result .st-diff")
    assert wall.config.read_text(encoding="utf-8") == edited

    page.goto(f"{wall.url}/admin/layout/history")
    page.click("tr[data-revision='1'] [data-role=rollback]")
    page.wait_for_selector("#revisions tbody tr:first-child[data-in-force=true]")
    assert wall.config.read_text(encoding="utf-8") == original
    wait_for(screen, "clock", "el.style.gridRow.startsWith('1')", timeout=8000)
    assert "operator" in page.inner_text("#revisions tbody tr:first-child")
    page.click("#revisions tbody tr:first-child summary")  # its diff, unfolded
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "layout-history-1920x1080.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    refusals = ("status of 422", "status of 409")  # Chromium logs the refusals we asked for
    assert [e for e in wall.console_errors if not any(r in e for r in refusals)] == []


def test_a_tile_added_and_one_edited_from_the_palette(wall: Wall) -> None:
    """Pick a type, fill its form (the feed from the configured ones), add, apply: the file
    gains one line and the open screen shows the new tile. Then edit a tile's options: its
    line gains the one option, the rest as written."""
    original = wall.config.read_text(encoding="utf-8")
    screen = wall.open("main")
    page = studio(wall)
    page.click("#st-palette summary")
    page.select_option("#st-type", "kpi")
    page.fill("#st-new-id", "load-2")
    page.select_option("#st-fields [data-field=feed] select", "power_load")
    page.fill("#st-fields [data-field=decimals] input", "1")
    page.click("#st-add")
    page.wait_for_selector("#st-board [data-tile='load-2']")
    assert board_at(page, "load-2") == {"left": "0%", "top": "33.3333%"}
    page.click("#st-apply")
    page.wait_for_selector("#st-result .ok")
    line = "      - {id: load-2, type: kpi, at: {col: 1, row: 3, w: 3, h: 2}, feed: power_load, decimals: 1}\n"
    clock = "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n"
    assert wall.config.read_text(encoding="utf-8") == original.replace(clock, clock + line)
    screen.wait_for_selector("[data-tile='load-2']", timeout=8000)

    page.click("#st-board [data-tile=load]")  # edit an existing tile's options
    page.click("#st-edit")
    assert page.input_value("#st-fields [data-field=field] input") == "value"
    page.fill("#st-fields [data-field=decimals] input", "2")
    page.click("#st-save")
    assert "set main/load" in page.inner_text("#st-changes")
    page.click("#st-apply")
    page.wait_for_selector("#st-result .ok")
    load = "{id: load, type: kpi, at: {col: 1, row: 1, w: 3, h: 2}, feed: power_load, field: value}"
    edited_line = "      - {id: load, type: kpi, at: {col: 1, row: 1, w: 3, h: 2}, feed: power_load, field: value, decimals: 2}\n"
    assert wall.config.read_text(encoding="utf-8") == original.replace(clock, clock + line).replace(
        f"      - {load}\n", edited_line
    )
    assert wall.console_errors == []


# An overlapping draft sent as the page sends it: refused, the located error names the tile.
OVERLAP_APPLY = """async () => {
  const root = document.getElementById('studio');
  const model = JSON.parse(root.dataset.model);
  const changes = [{op: 'move', screen: 'main', tile: 'clock', at: {col: 1, row: 1, w: 3, h: 2}}];
  const reply = await fetch('/admin/layout/apply', {method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': root.dataset.csrf},
    body: JSON.stringify({base: model.base, changes})});
  const answer = await reply.json();
  return {status: reply.status, message: answer.issues.map(i => i.text).join(' ')};
}"""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 1024)])
def test_the_studio_fits_desktop_and_tablet_in_vietnamese(
    wall: Wall, width: int, height: int
) -> None:
    """In Vietnamese at 1920x1080 and on a 1366x1024 tablet: the whole board in view, no
    sideways scroll, no glyph cut, the resize handles finger-sized."""
    page = studio(wall, width, height, "vi")
    assert "Thiết kế bố cục" in page.inner_text("h1")
    page.click("#st-board [data-tile=clock]")
    page.click("#st-palette summary")
    page.select_option("#st-type", "kpi")
    assert "Nguồn dữ liệu · Feed" in page.inner_text("#st-fields")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout-studio-{width}x{height}.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    board = page.locator("#st-board").bounding_box()
    assert board and board["x"] >= 0 and board["x"] + board["width"] <= width
    assert abs(board["width"] / board["height"] - 16 / 9) < 0.02
    handle = page.locator("#st-board [data-tile=clock] .st-handle").bounding_box()
    assert handle and handle["width"] >= 32 and handle["height"] >= 32
    assert [str(c) for c in find_cut_ink(page)] == []
    assert wall.console_errors == []


KEPT = "() => { const el = document.getElementById('wall-screen'); el.dataset.kept = 'yes'; return el.dataset.viewKey; }"
UNTOUCHED = "() => document.getElementById('wall-screen').dataset.kept === 'yes'"


def test_preview_on_one_screen_then_cancel_then_apply(wall: Wall) -> None:
    """A moved tile previewed on 'main' while 'second' stays as it was (same view, never
    re-rendered); ending the preview puts 'main' back; apply then shows it from the file.
    The studio's tiles show their feed's latest value."""
    original = wall.config.read_text(encoding="utf-8")
    main, second = wall.open("main"), wall.open("second")
    second_key = second.evaluate(KEPT)
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": "43210.5"})
    page = studio(wall)
    page.wait_for_selector("#st-board [data-tile=load] .st-tile-value:has-text('43')")
    assert "MW" in page.inner_text("#st-board [data-tile=load] .st-tile-value")  # live, with unit
    drag(page, "clock", 0, 3)
    page.select_option("#st-preview-screen", "main")
    page.click("#st-preview-start")
    page.wait_for_selector("#st-preview-state[data-screen=main]")
    wait_for(main, "clock", "el.style.gridRow.startsWith('4')", timeout=8000)
    assert wall.config.read_text(encoding="utf-8") == original  # the file is not touched
    assert "~" in main.get_attribute("#wall-screen", "data-rev")
    page.wait_for_timeout(1500)  # time for any stray frame to reach the other screen
    assert second.evaluate(UNTOUCHED)
    assert second.get_attribute("#wall-screen", "data-view-key") == second_key
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "layout-studio-preview-1920x1080.png"), full_page=True)
    main.screenshot(path=str(ARTIFACTS / "layout-preview-screen-main.png"))
    page.set_viewport_size({"width": 1366, "height": 1024})
    page.screenshot(path=str(ARTIFACTS / "layout-studio-preview-1366x1024.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")

    page.click("#st-preview-cancel")
    wait_for(main, "clock", "el.style.gridRow.startsWith('1')", timeout=8000)
    assert "~" not in main.get_attribute("#wall-screen", "data-rev")

    page.click("#st-preview-start")
    wait_for(main, "clock", "el.style.gridRow.startsWith('4')", timeout=8000)
    page.click("#st-apply")
    page.wait_for_selector("#st-result .ok")
    page.wait_for_selector("#st-preview-cancel[hidden]", state="attached")
    main.wait_for_function(
        "() => !document.getElementById('wall-screen').dataset.rev.includes('~')", timeout=8000
    )
    wait_for(main, "clock", "el.style.gridRow.startsWith('4')")
    assert second.evaluate(UNTOUCHED)
    assert wall.console_errors == []


def studio_on(wall: Wall, text: str, scene: str, lang: str) -> Page:
    """The config written as `text`, and the studio once the hot reload has its `scene`."""
    wall.config.write_text(text, encoding="utf-8")
    page = wall.new_page(f"studio-{scene}")
    wall.sign_in(page, "operator", "/admin/layout")
    for _ in range(20):
        page.goto(f"{wall.url}/admin/layout?screen=main&lang={lang}")
        if page.query_selector(f"#st-scene option[value={scene}]"):
            break
        page.wait_for_timeout(500)
    return page


ROTATION = "    rotation:\n      - {scene: calm, dwell: 1s}  # own layout\n      - {scene: away, dwell: 1h}\n"
SCENES = """
scenes:
  - id: calm
    title: {vi: "Bình thường", en: "Calm"}
    show:
      third: fourth  # block style
  - id: away
    title: {vi: "Màn phụ", en: "Away"}
    show: {main: second}
"""
MAIN_GRID = "    grid: {cols: 12, rows: 6}\n"


def edit_a_scene(wall: Wall, page: Page) -> str:
    """In scene 'calm': 'third' back to its own layout and 'second' showing 'main' (a block
    `show:`), its English title and a new var, listed in words and applied as only those
    lines of the scene. Returns the file's text after."""
    before = wall.config.read_text(encoding="utf-8")
    page.click("#st-scenes summary")
    page.select_option("#st-scene-screens [data-screen=third] select", "")
    assert "cảnh calm: third → (bố cục riêng)" in page.inner_text("#st-changes")
    page.select_option("#st-scene-screens [data-screen=second] select", "main")
    page.fill("#st-scene-titles [data-title=en] input", "Quiet")
    page.dispatch_event("#st-scene-titles [data-title=en] input", "change")
    page.fill("#st-scene-vars .st-var-add input", "province")
    page.click("#st-scene-vars .st-var-add button")
    page.fill("#st-scene-vars [data-var=province] input", "42")
    page.dispatch_event("#st-scene-vars [data-var=province] input", "change")
    assert "sửa cảnh calm: “Bình thường / Quiet” province=42" in page.inner_text("#st-changes")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#st-scenes").screenshot(path=str(ARTIFACTS / "layout-studio-scene.png"))
    page.click("#st-apply")
    page.wait_for_selector("#st-result .ok")
    old = '    title: {vi: "Bình thường", en: "Calm"}\n    show:\n      third: fourth  # block style\n'
    new = '    title: {vi: "Bình thường", en: Quiet}\n    show:\n      second: main\n'
    after = wall.config.read_text(encoding="utf-8")
    assert after == before.replace(old, new + "    vars: {province: '42'}\n")
    page.click("#st-scenes summary")  # folded again
    return after


def test_scenes_and_a_rotation_edited_and_a_preview_window(wall: Wall) -> None:
    """A scene's shows, title and vars edited (`edit_a_scene`); a preview window shows the
    draft drawn by the wall page (moved tile, a KPI's live value, a chart's plot) and follows
    it, while the
    physical screen 'main' is never re-rendered; then a rotation's dwell typed as `2s` is
    applied as one changed line and the rotation takes effect on 'main'; the window says it
    ended once the draft lapsed, and closes when the studio is left. Screenshots with the rotation being edited."""
    text = wall.config.read_text(encoding="utf-8").replace(MAIN_GRID, MAIN_GRID + ROTATION, 1)
    redis = redis_client(wall.redis.url)
    redis.xadd("feed:power_load", {"value": "43210.5"})
    page = studio_on(wall, text + SCENES, "away", "vi")
    text = edit_a_scene(wall, page)
    main = wall.open("main")
    main.wait_for_selector("[data-tile=rivers]", timeout=8000)  # 'away' for an hour: 'second'
    kept = main.evaluate(KEPT)

    drag(page, "clock", 0, 3)
    with page.expect_popup() as popup:
        page.click("#st-preview-window")
    window = popup.value
    drawn = window.frame_locator("#st-window-wall")  # the wall page itself, on no screen
    drawn.locator("#wall-screen[data-screen=_draft][data-link=up]").wait_for(timeout=10000)
    clock = drawn.locator("[data-tile=clock]")
    assert clock.evaluate("el => el.style.gridRowStart") == "4"  # the draft, not the file
    drawn.locator("[data-tile=load] [data-role=value]:has-text('43')").wait_for(timeout=8000)
    drawn.locator("[data-tile=load-chart] svg path.chart-line[d^=M]").wait_for(
        state="attached", timeout=8000
    )  # (one point: a dot, whose box has no height)
    redis.xadd("feed:power_load", {"value": "43987.5"})  # live: arrives after the window opened
    drawn.locator("[data-tile=load] [data-role=value]:has-text('987')").wait_for(timeout=8000)
    # No view reaches it: main's held scene 'away' (layout 'second') leaves the draft's 'main'.
    assert drawn.locator("#wall-screen[data-layout=main][data-scene='']").count() == 1
    box = window.locator("#st-window-wall").bounding_box()
    assert box and abs(box["width"] / box["height"] - 16 / 9) < 0.02  # main's 1920x1080
    assert "BẢN NHÁP" in window.inner_text(".st-window-head")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    window.screenshot(path=str(ARTIFACTS / "layout-preview-window.png"))
    page.click("#st-reset")  # the window follows the draft
    drawn.locator("[data-tile=clock][style*='grid-area: 1 ']").wait_for(timeout=8000)
    assert main.evaluate(UNTOUCHED) and main.evaluate(KEPT) == kept
    assert "~" not in (main.get_attribute("#wall-screen", "data-rev") or "")

    page.click("#st-rotation summary")
    dwell = "#st-steps [data-step='1'] input"
    assert page.input_value(dwell) == "1h"
    page.fill(dwell, "soon")
    page.dispatch_event(dwell, "change")
    assert "30s, 10m" in page.inner_text("#st-steps [data-step='1'] .st-step-error")
    page.click("#st-check")  # the loader's located error lands on the step too
    page.wait_for_selector("#st-result[data-status='422']")
    assert "not a duration" in page.inner_text("#st-steps [data-step='1'] .st-step-error")
    assert "screens[0].rotation[1].dwell" in page.inner_text("#st-result .st-issues")
    page.fill(dwell, "2s")
    page.dispatch_event(dwell, "change")
    assert "luân phiên main: calm 1s → away 2s" in page.inner_text("#st-changes")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1920, 1080), (1366, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        shot = ARTIFACTS / f"layout-studio-rotation-{width}x{height}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
        assert [str(c) for c in find_cut_ink(page)] == []
    page.click("#st-apply")
    page.wait_for_selector("#st-result .ok")
    after = wall.config.read_text(encoding="utf-8")
    assert after == text.replace("{scene: away, dwell: 1h}", "{scene: away, dwell: 2s}")
    main.wait_for_selector("[data-tile=clock]", timeout=10000)  # 'calm' now comes round

    draft = window.url.split("/window/")[1].split("?")[0]
    redis.delete(studio_draft(draft))  # as when the studio stops renewing it
    window.wait_for_selector("#st-window[data-ended=true]", timeout=8000)
    assert "kết thúc" in window.inner_text("#st-window-state")
    with window.expect_event("close"):
        page.goto(f"{wall.url}/admin/layout/history")  # leaving the studio closes its window
    assert [e for e in wall.console_errors if "status of 422" not in e] == []
