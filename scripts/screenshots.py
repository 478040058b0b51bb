"""Screenshot every screen of a running wall with headless Chromium (for docs and review).

usage: OPSWALL_USER=... OPSWALL_PASSWORD=... python scripts/screenshots.py [BASE_URL] [OUT_DIR]
       [WIDTHxHEIGHT]

Signs in as that person (screens show what their clearance allows) and also saves the leader's
panel at tablet size, the feed health page and the screen fleet (operators and admins). With
OPSWALL_DEVICE_TOKEN (a wall PC's token, `opswall token create`), a page per screen shows it as a
wall PC would while the fleet page is taken, so its devices are live there.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from opswall.legibility.stitch import stitch
from opswall.testing import CHROMIUM_ARGS, chromium_path


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8050"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    width, height = (int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "1920x1080").split("x"))
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        # A context of its own (not browser.new_page's): the span slices open beside it.
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.on(
            "console",
            lambda m: print("console:", m.type, m.text) if m.type in ("error", "warning") else None,
        )
        page.goto(base + "/login")
        page.fill("input[name=username]", os.environ["OPSWALL_USER"])
        page.fill("input[name=password]", os.environ["OPSWALL_PASSWORD"])
        page.click("button[type=submit]")
        page.wait_for_selector(".screen-card")
        page.screenshot(path=str(out / "index.png"))
        screens = [a.get_attribute("href") for a in page.query_selector_all(".screen-card")]
        for href in screens:
            page.goto(base + href)
            page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
            page.wait_for_timeout(6000)  # let charts gather a few points
            name = href.rsplit("/", 1)[-1]
            page.screenshot(path=str(out / f"{name}-{width}x{height}.png"))
            print("wrote", out / f"{name}-{width}x{height}.png")
        page.set_viewport_size({"width": 1366, "height": 1024})
        page.goto(base + "/control")
        page.wait_for_selector("#panel[data-link=up] [data-role=map] path")
        page.screenshot(path=str(out / "panel-1366x1024.png"))
        print("wrote", out / "panel-1366x1024.png")
        page.set_viewport_size({"width": 1600, "height": 1000})
        page.goto(base + "/admin/feeds")
        page.wait_for_selector("#feeds")
        page.screenshot(path=str(out / "admin-feeds.png"))
        print("wrote", out / "admin-feeds.png")
        shot_fleet(browser, page, base, [h.rsplit("/", 1)[-1] for h in screens if h], out)
        shot_spans(page, base, out)
        browser.close()


def shot_fleet(browser: Browser, page: Page, base: str, screens: list[str], out: Path) -> None:
    """/admin/screens, with the wall PCs OPSWALL_DEVICE_TOKEN stands for showing every screen."""
    token = os.environ.get("OPSWALL_DEVICE_TOKEN")
    devices = []
    for screen in screens if token else []:
        device = browser.new_page(viewport={"width": 1920, "height": 1080})  # a context each
        device.goto(f"{base}/wall/{screen}?token={token}")
        devices.append(device)
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(base + "/admin/screens", wait_until="domcontentloaded")  # not every mirror
    page.wait_for_selector("#miniatures figure iframe")
    page.wait_for_timeout(2000)
    for frame in page.frames:  # every mirror (and the overview's own frames) linked up
        if "/wall/" in frame.url:
            frame.wait_for_selector("#wall-screen[data-link=up]", timeout=90000)
    page.wait_for_timeout(12000)  # reports come every 5 s; the mirrors draw their data
    page.screenshot(path=str(out / "admin-screens.png"), full_page=True)
    print("wrote", out / "admin-screens.png")
    for device in devices:
        device.close()


def shot_spans(page: Page, base: str, out: Path) -> None:
    """Each span layout (issue 23) stitched from its screens' slices, each taken at its panel's
    resolution while a scene of the panel shows the span: `span-<layout>.png`, bezels dark."""
    page.goto(base + "/control")
    page.wait_for_selector("#panel[data-link=up]")
    model = json.loads(page.get_attribute("#panel", "data-model") or "{}")
    for layout, shape in model["layouts"].items():
        span = shape.get("span")
        scene = next((s for s in model["scenes"] if layout in s["show"].values()), None)
        if not span or scene is None:
            continue
        page.click(f"[data-scene='{scene['id']}']")
        slices: dict[str, Page] = {}
        for screen, (_, _, w, h) in span["slices"].items():  # all open at once: the same data
            slices[screen] = page.context.new_page()
            slices[screen].set_viewport_size({"width": w, "height": h})
            slices[screen].goto(f"{base}/wall/{screen}")
        for slice_page in slices.values():
            slice_page.wait_for_selector(f"#wall-screen.wall-span[data-layout='{layout}']")
        page.wait_for_timeout(8000)  # let charts gather a few points
        shots = {screen: slice_page.screenshot() for screen, slice_page in slices.items()}
        places = {screen: (x, y) for screen, (x, y, _, _) in span["slices"].items()}
        stitch((span["w"], span["h"]), places, shots).save(out / f"span-{layout}.png")
        print("wrote", out / f"span-{layout}.png")
        for slice_page in slices.values():
            slice_page.close()
        page.click("[data-role=release]")


if __name__ == "__main__":
    main()
