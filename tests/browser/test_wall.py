"""What a person sees on the wall, in headless Chromium, against real Redis and processes."""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Wall, tile_state
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def wait_for(page: Page, tile: str, check: str, timeout: float = 5000) -> None:
    """Wait until a JS predicate on the tile's root element holds."""
    page.wait_for_function(
        f"() => {{ const el = document.querySelector(\"[data-tile='{tile}']\"); return el && ({check}); }}",
        timeout=timeout,
    )


def history_ids(page: Page, feed: str) -> list[str]:
    return page.evaluate(f"() => (window.opswall.history['{feed}'] || []).map(e => e.id)")


def test_new_value_reaches_the_right_tile_on_two_screens(wall: Wall) -> None:
    """One XADD updates the KPI on both open screens, formatted for the locale, and live."""
    main, second = wall.open("main"), wall.open("second")
    r = redis_client(wall.redis.url)
    r.xadd("feed:power_load", {"value": "43210.5"})
    for page in (main, second):
        wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '43210.5'")
        state = tile_state(page, "load")
        assert state["text"] == "43,210.5"  # en locale
        assert state["fresh"] == "live"
        assert state["asof"].endswith("Z") and state["asof"][:4].isdigit()
    # The river table on 'second' is untouched by a power_load entry.
    assert second.eval_on_selector("[data-tile='rivers'] tbody", "b => b.children.length") == 0
    r.xadd("feed:rivers", {"json": json.dumps({"rows": [{"name": "Sông Hồng", "value": 9.126}]})})
    wait_for(second, "rivers", "el.dataset.rows === '1'")
    assert second.inner_text("[data-tile='rivers'] tbody") == "Sông Hồng\t9.13"
    assert wall.console_errors == []


def test_silent_feed_turns_stale_but_keeps_its_value(wall: Wall) -> None:
    """After 3 missed cadences the tile says STALE with the age, still showing the last value."""
    page = wall.open("main")
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": "40000"})
    wait_for(page, "load", "el.dataset.fresh === 'live'")
    wait_for(page, "load", "el.dataset.fresh === 'stale'", timeout=8000)
    state = tile_state(page, "load")
    assert state["value"] == "40000" and state["text"] == "40,000"
    assert state["age"].startswith("⚠ STALE · ")
    assert page.get_attribute("#wall-screen", "data-link") == "up"  # the link is fine: data is old


def test_redis_restart_shows_down_then_resumes_without_gap(wall: Wall) -> None:
    """Redis going away marks every tile down with a banner; afterwards no entry is missed."""
    page = wall.open("main")
    r = redis_client(wall.redis.url)
    ids = [r.xadd("feed:power_load", {"value": str(v)}) for v in (1, 2, 3)]
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '3'")
    wall.redis.stop()
    page.wait_for_selector("#wall-screen[data-link=source-down]", timeout=8000)
    assert page.is_visible("[data-role=banner]")
    assert tile_state(page, "load")["fresh"] == "down"
    assert tile_state(page, "load")["value"] == "3"  # the last value stays on screen
    wall.redis.start()
    page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
    ids += [r.xadd("feed:power_load", {"value": str(v)}) for v in (4, 5, 6)]
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '6'")
    assert history_ids(page, "power_load") == ids
    assert not page.is_visible("[data-role=banner]")
    assert tile_state(page, "load")["fresh"] == "live"


def test_gateway_restart_resumes_from_the_last_applied_ids(wall: Wall) -> None:
    """Entries written while the gateway is down arrive after it returns: once each, in order."""
    page = wall.open("main")
    page.evaluate("() => { window.__notReloaded = true; }")
    r = redis_client(wall.redis.url)
    ids = [r.xadd("feed:power_load", {"value": str(v)}) for v in (1, 2)]
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '2'")
    assert wall.gateway is not None
    wall.gateway.stop()
    page.wait_for_selector("#wall-screen[data-link=down]", timeout=8000)
    assert tile_state(page, "load")["fresh"] == "down"
    ids += [r.xadd("feed:power_load", {"value": str(v)}) for v in (3, 4, 5)]
    wall.start_gateway()
    page.wait_for_selector("#wall-screen[data-link=up]", timeout=20000)
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '5'")
    assert history_ids(page, "power_load") == ids
    wait_for(page, "load-chart", "el.drawn.series[0].y.length >= 5")
    chart_points = page.evaluate(
        "() => document.querySelector(\"[data-tile='load-chart']\").drawn.series[0].y"
    )
    assert chart_points == [1, 2, 3, 4, 5]
    assert page.evaluate("() => window.__notReloaded") is True


def test_a_chart_is_drawn_as_svg_and_no_plotly_is_loaded(wall: Wall) -> None:
    """A wall page with a chart loads no plotly.js (issue 22): the chart draws its line, its
    grid and its labels itself, and a new point changes the line's path."""
    page = wall.new_page("main")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{wall.url}/wall/main?token={wall.record.viewer_token}")
    page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
    r = redis_client(wall.redis.url)
    for value in (40100, 40300, 40200):
        r.xadd("feed:power_load", {"value": str(value)})
    wait_for(page, "load-chart", "el.drawn.series[0].y.length >= 3")
    chart = "[data-tile='load-chart']"
    line = f"{chart} svg path.chart-line"
    before = page.get_attribute(line, "d") or ""
    assert before.startswith("M") and before.count("L") >= 2
    labels = page.evaluate(f'() => document.querySelector("{chart}").drawn.yTicks')
    assert labels and all(re.fullmatch(r"\d{2},\d{3}", label) for label in labels), labels
    assert page.locator(f"{chart} .chart-y text").count() == len(labels)
    assert page.locator(f"{chart} .chart-x text").count() >= 2
    r.xadd("feed:power_load", {"value": "40400"})
    page.wait_for_function(
        "([sel, d]) => document.querySelector(sel).getAttribute('d') !== d", arg=[line, before]
    )
    assert not [url for url in requested if "plotly" in url.lower()], requested
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    assert wall.console_errors == []


def test_config_edit_reaches_open_screens_and_bad_edit_is_ignored(wall: Wall) -> None:
    """A valid edit re-lays out the open screen within 2 s, keeping values; a bad edit changes nothing."""
    page = wall.open("main")
    page.evaluate("() => { window.__notReloaded = true; }")
    r = redis_client(wall.redis.url)
    r.xadd("feed:power_load", {"value": "41234"})
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '41234'")
    original = wall.config.read_text(encoding="utf-8")

    wall.config.write_text(original.replace("type: clock", "type: clok"), encoding="utf-8")
    os.utime(wall.config)
    time.sleep(2.5)
    assert tile_state(page, "clock")["column"] == "10 / span 3"

    moved = original.replace(
        "{id: load, type: kpi, at: {col: 1, row: 1, w: 3, h: 2}, feed: power_load, field: value}",
        "{id: load, type: kpi, at: {col: 1, row: 4, w: 3, h: 2}, feed: power_load, field: value}",
    )
    started = time.monotonic()
    wall.config.write_text(moved, encoding="utf-8")
    os.utime(wall.config)
    wait_for(page, "load", "el.style.gridRow.startsWith('4')", timeout=4000)
    elapsed = time.monotonic() - started
    state: dict[str, Any] = tile_state(page, "load")
    assert state["value"] == "41234" and state["text"] == "41,234"  # no live value lost
    assert page.evaluate("() => window.__notReloaded") is True  # no page reload
    assert elapsed < 2.0, f"layout change took {elapsed:.2f}s"
    r.xadd("feed:power_load", {"value": "41300"})
    wait_for(page, "load", "el.querySelector('[data-role=value]').dataset.value === '41300'")
    assert wall.console_errors == []


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_screen_fills_the_viewport_without_scrollbars(wall: Wall, width: int, height: int) -> None:
    """The grid fills 1080p and 4K screens exactly; no tile spills out; text scales up."""
    page = wall.open("main", width, height)
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": "43210.5"})
    wait_for(page, "load", "el.dataset.fresh === 'live'")
    metrics = page.evaluate("""() => {
        const root = document.scrollingElement;
        const tiles = [...document.querySelectorAll('[data-tile]')].map(t => t.getBoundingClientRect());
        const grid = document.querySelector('.wall-grid').getBoundingClientRect();
        const value = document.querySelector("[data-tile='load'] [data-role=value]");
        return {scrollW: root.scrollWidth, scrollH: root.scrollHeight,
                maxRight: Math.max(...tiles.map(r => r.right)), maxBottom: Math.max(...tiles.map(r => r.bottom)),
                gridRight: grid.right, gridBottom: grid.bottom,
                valuePx: parseFloat(getComputedStyle(value).fontSize)}; }""")
    assert metrics["scrollW"] <= width and metrics["scrollH"] <= height
    assert (
        metrics["maxRight"] <= metrics["gridRight"]
        and metrics["maxBottom"] <= metrics["gridBottom"]
    )
    assert width * 0.98 < metrics["gridRight"] <= width
    assert height * 0.98 < metrics["gridBottom"] <= height
    # Signage rule of thumb: letters ~1/250 of the viewing distance, i.e. 20 mm at 5 m. On a 55"
    # panel one CSS pixel is 0.63 mm at 1080p (0.315 mm at 4K): demand a 40 mm em, twice that.
    mm_per_px = 0.63 * 1080 / height
    assert metrics["valuePx"] * mm_per_px >= 40


def test_edit_adding_a_new_feed_shows_its_latest_value(wall: Wall) -> None:
    """A tile added for a feed the screen did not show appears with that feed's latest value."""
    page = wall.open("main")
    r = redis_client(wall.redis.url)
    r.xadd("feed:aqi_hanoi", {"value": "182"})
    text = wall.config.read_text(encoding="utf-8")
    text = text.replace(
        "screens:\n",
        '  - id: aqi_hanoi\n    label: {vi: "AQI Hà Nội", en: "Hà Nội AQI"}\n'
        "    unit: AQI\n    cadence: 1s\n    source: {kind: redis}\nscreens:\n",
        1,
    )
    text = text.replace(
        "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n",
        "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n"
        "      - {id: aqi, type: kpi, at: {col: 1, row: 5, w: 3, h: 2}, feed: aqi_hanoi}\n",
        1,
    )
    wall.config.write_text(text, encoding="utf-8")
    os.utime(wall.config)
    wait_for(
        page, "aqi", "el.querySelector('[data-role=value]').dataset.value === '182'", timeout=5000
    )
    r.xadd("feed:aqi_hanoi", {"value": "190"})
    wait_for(page, "aqi", "el.querySelector('[data-role=value]').dataset.value === '190'")
    assert history_ids(page, "aqi_hanoi")[-1] == r.xrevrange("feed:aqi_hanoi", count=1)[0][0]


def test_index_lists_screens_and_shows_a_rejected_edit(wall: Wall) -> None:
    """The index links every screen and shows the located errors of a rejected edit."""
    page = wall.new_page("index")
    wall.sign_in(page, "operator")
    page.wait_for_selector(".screen-card")
    assert page.eval_on_selector_all(
        ".screen-card", "cards => cards.map(c => c.getAttribute('href'))"
    ) == ["/wall/main", "/wall/second", "/wall/third", "/wall/fourth"]
    text = wall.config.read_text(encoding="utf-8")
    wall.config.write_text(text.replace("type: clock", "type: clok"), encoding="utf-8")
    os.utime(wall.config)
    page.reload()
    page.wait_for_selector(".config-rejected")
    assert (
        "wall_config.yaml:24:27: screens[0].tiles[2].type: unknown tile type 'clok'"
        in page.inner_text(".config-rejected")
    )


def test_wall_page_loads_nothing_from_outside(wall: Wall) -> None:
    """Scripts, styles, fonts and sockets all come from the wall's own host: no CDN, ever."""
    page = wall.browser.new_page()
    wall.pages.append(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    page.goto(f"{wall.url}/wall/main?token={wall.record.viewer_token}")
    page.wait_for_selector("#wall-screen[data-link=up]")
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": "1"})
    wait_for(page, "load", "el.dataset.fresh === 'live'")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    assert any(url.endswith(".woff2") for url in requested)  # the bundled font was used
    assert any(url.startswith("ws://127.0.0.1:") for url in requested)
    outside = [url for url in requested if not url.split("//", 1)[-1].startswith("127.0.0.1:")]
    assert outside == []


def test_kpi_thresholds_target_sparkline_and_compact(wall: Wall) -> None:
    """Crossing thresholds recolours the tile with an icon; target progress and sparkline follow."""
    page = wall.open("second")
    r = redis_client(wall.redis.url)
    expected = [
        ("44000", "good", "circle"),
        ("46000", "warning", "path"),
        ("49000", "critical", "path"),
    ]
    shapes = []
    for value, level, first_shape in expected:
        r.xadd("feed:power_load", {"value": value})
        wait_for(page, "load-level", f"el.dataset.level === '{level}'")
        state = page.eval_on_selector(
            "[data-tile='load-level']",
            """el => ({
            icon: el.querySelector('[data-role=level] svg').firstElementChild.tagName,
            shape: el.querySelector('[data-role=level] svg').innerHTML,
            text: el.querySelector('[data-role=value]').textContent,
            progress: el.dataset.progress,
            target: el.querySelector('[data-role=target]').textContent,
            fill: el.querySelector('[data-role=target-fill]').style.width,
            better: el.querySelector('[data-role=delta]').dataset.better || null,
            points: el.querySelector('[data-role=sparkline] polyline').getAttribute('points')})""",
        )
        assert state["icon"] == first_shape
        shapes.append(state["shape"])
        assert state["progress"] == f"{int(value) / 500:.1f}"
        assert float(state["fill"].rstrip("%")) == pytest.approx(int(value) / 500)
        assert state["target"] == f"Target 50 thousand · {round(int(value) / 500)}%"
        assert state["text"] == f"{int(value) // 1000} thousand"  # compact, en
    assert len(set(shapes)) == 3  # three different shapes, not just three colours
    r.xadd("feed:power_load", {"value": "49000"})  # no change: no better/worse colour
    wait_for(page, "load-level", "el.querySelector('[data-role=delta]').dataset.trend === 'flat'")
    assert page.get_attribute("[data-tile='load-level'] [data-role=delta]", "data-better") is None
    assert state["better"] == "no"  # going up is worse for a lower-is-better figure
    assert len(state["points"].split(" ")) == 3
    colour = page.eval_on_selector(
        "[data-tile='load-level'] [data-role=value]", "el => getComputedStyle(el).color"
    )
    assert colour == "rgb(255, 107, 91)"  # --bad in the dark theme


def test_alerts_are_listed_newest_first_counted_and_cleared(wall: Wall) -> None:
    """Raised alerts appear newest first with counts; critical ones pulse; cleared ones go."""
    page = wall.open("second")
    r = redis_client(wall.redis.url)
    raised = [
        ("a1", "info", "Hà Nội", "Ùn tắc Vành đai 3"),
        ("a2", "critical", "Hà Tĩnh", "Bão số 5: gió cấp 12"),
        ("a3", "warning", "Nghệ An", "Sông Cả vượt báo động I"),
    ]
    for event_id, severity, area, text in raised:
        r.xadd(
            "feed:rivers",
            {"id": event_id, "severity": severity, "area": area, "text": text, "state": "raised"},
        )
        time.sleep(0.01)
    wait_for(page, "warnings", "el.dataset.alerts === '3'")
    # The pulse is on a pseudo-element, styled a frame after the row is written (later under
    # load): wait for it; one without content reads as '' or 'none', the same thing.
    wait_for(
        page,
        "warnings",
        "getComputedStyle(el.querySelector('li[data-severity=critical]'), '::after')"
        ".animationName === 'alert-pulse'",
    )
    items = page.eval_on_selector_all(
        "[data-tile='warnings'] li",
        """items => items.map(li => ({
        id: li.dataset.alertId, severity: li.dataset.severity,
        text: li.querySelector('.alert-area').textContent + ' | ' + li.querySelector('.alert-text').textContent,
        animation: getComputedStyle(li, '::after').animationName}))""",
    )
    assert [i["id"] for i in items] == ["a3", "a2", "a1"]  # newest first
    assert items[1]["text"] == "Hà Tĩnh | Bão số 5: gió cấp 12"
    assert [i["animation"] or "none" for i in items] == ["none", "alert-pulse", "none"]
    counts = page.eval_on_selector(
        "[data-tile='warnings']",
        """el => ['critical', 'warning', 'info']
        .map(s => el.querySelector('[data-role=count-' + s + ']').textContent)""",
    )
    assert counts == ["1", "1", "1"]
    r.xadd("feed:rivers", {"id": "a2", "state": "cleared"})
    wait_for(page, "warnings", "el.dataset.alerts === '2'")
    assert page.eval_on_selector_all(
        "[data-tile='warnings'] li", "l => l.map(li => li.dataset.alertId)"
    ) == ["a3", "a1"]
    # A whole list replaces the active set; the river table ignores entries without rows.
    r.xadd(
        "feed:rivers",
        {
            "json": json.dumps(
                {"alerts": [{"id": "b1", "severity": "critical", "area": "Huế", "text": "Ngập"}]}
            )
        },
    )
    wait_for(page, "warnings", "el.dataset.alerts === '1'")
    assert page.eval_on_selector("[data-tile='rivers'] tbody", "b => b.children.length") == 0


def test_map_recolours_provinces_and_adds_markers(wall: Wall) -> None:
    """Values recolour their provinces; markers come and go; the highlighted province is named."""
    page = wall.open("second")
    page.wait_for_selector("[data-tile='map'][data-provinces='34']")
    # Hoàng Sa and Trường Sa are ringed and named, not left as invisible specks.
    assert page.eval_on_selector_all(
        "[data-tile='map'] .island-label", "ls => ls.map(l => l.textContent)"
    ) == ["Hoang Sa (Paracel) Islands", "Truong Sa (Spratly) Islands"]
    r = redis_client(wall.redis.url)
    r.xadd("feed:rivers", {"json": json.dumps({"values": {"42": 90.5, "01": 40.0, "79": 65.0}})})
    wait_for(page, "map", "el.querySelector('path[data-code=\"42\"]').dataset.value === '90.5'")
    fills = page.evaluate("""() => Object.fromEntries(['42', '01', '79', '48'].map(code => [code,
        getComputedStyle(document.querySelector(`[data-tile='map'] path[data-code="${code}"]`)).fill]))""")
    assert fills["42"] == "rgb(253, 231, 37)"  # top of the scale: viridis yellow
    assert fills["01"] == "rgb(72, 40, 120)"  # bottom: viridis purple
    assert len({fills["42"], fills["01"], fills["79"], fills["48"]}) == 4  # 48 has no value: grey
    assert page.inner_text("[data-tile='map'] [data-role=highlight]") == "Ha Tinh: 90.5"  # en wall
    r.xadd(
        "feed:power_load",
        {
            "id": "storm",
            "lat": "18.3",
            "lon": "106.2",
            "severity": "critical",
            "label": "Bão số 5",
            "value": "1",
        },
    )
    wait_for(page, "map", "el.dataset.markers === '1'")
    assert (
        page.get_attribute("[data-tile='map'] circle.marker", "class") == "marker severity-critical"
    )
    r.xadd("feed:power_load", {"id": "storm", "state": "cleared", "value": "2"})
    wait_for(page, "map", "el.dataset.markers === '0'")
    # A source that never clears: only the newest max_points (2) stay; a repeat is news again.
    for event in ("a", "b", "c", "b", "d"):
        r.xadd("feed:power_load", {"id": event, "lat": "16", "lon": "107", "value": "3"})
    # The five may arrive in several frames: wait for the last one's outcome, not for any two.
    wait_for(
        page,
        "map",
        "[...el.querySelectorAll('circle.marker')].map(c => c.dataset.markerId).join() === 'b,d'",
    )
    assert page.eval_on_selector_all(
        "[data-tile='map'] circle.marker", "cs => cs.map(c => c.dataset.markerId)"
    ) == ["b", "d"]


def test_a_new_marker_on_an_empty_map_expires_after_its_own_window(wall: Wall) -> None:
    """A marker added to a map that had none goes when its window (10 s) ends, not at the
    instant the empty map last asked to be woken (a minute later on the code before)."""
    page = wall.open("second")
    page.wait_for_selector("[data-tile='map'][data-provinces='34']")
    wait_for(page, "map", "el.dataset.markers === '0'")
    redis_client(wall.redis.url).xadd(
        "feed:power_load", {"id": "flood", "lat": "16", "lon": "107", "value": "7"}
    )
    wait_for(page, "map", "el.dataset.markers === '1'")
    # Generous against a loaded machine, well short of the minute the old code waited.
    wait_for(page, "map", "el.dataset.markers === '0'", timeout=35_000)


def test_bar_ranks_rows_and_marks_the_highlighted_one(wall: Wall) -> None:
    """The top N rows are drawn sorted, with bar lengths in proportion and one row marked."""
    page = wall.open("second")
    rows = [
        {"name": "Sông Hồng", "value": 9.1},
        {"name": "Sông Cả", "value": 5.2},
        {"name": "Sông Hương", "value": 1.5},
        {"name": "Sông Hậu", "value": 2.7},
    ]
    redis_client(wall.redis.url).xadd("feed:rivers", {"json": json.dumps({"rows": rows})})
    wait_for(page, "ranking", "el.dataset.bars === '3'")
    bars = page.eval_on_selector_all(
        "[data-tile='ranking'] li",
        """rows => rows.map(li => ({
        key: li.dataset.key, value: li.querySelector('.bar-value').textContent,
        width: parseFloat(li.querySelector('.bar-fill').style.width),
        marked: li.classList.contains('highlighted')}))""",
    )
    assert [b["key"] for b in bars] == ["Sông Hồng", "Sông Cả", "Sông Hậu"]  # top 3, sorted
    assert [b["value"] for b in bars] == ["9.10", "5.20", "2.70"]
    assert bars[0]["width"] == 100.0 and abs(bars[1]["width"] - 5.2 / 9.1 * 100) < 0.1
    assert [b["marked"] for b in bars] == [False, True, False]


def test_gauge_text_and_ticker(wall: Wall) -> None:
    """The dial follows the value and its level; config markdown renders; events scroll by."""
    page = wall.open("second")
    r = redis_client(wall.redis.url)
    r.xadd("feed:power_load", {"value": "25000"})
    wait_for(page, "dial", "el.dataset.share === '50.0'")
    assert page.get_attribute("[data-tile='dial']", "data-level") == "warning"
    assert page.get_attribute("[data-tile='dial'] .gauge-arc", "stroke-dasharray") == "50.00 100"
    # This tile overrides the English wall with Vietnamese: label, number format and age.
    assert page.inner_text("[data-tile='dial'] [data-role=value]") == "25.000,0"
    assert page.inner_text("[data-tile='dial'] .tile-title").lower() == "phụ tải"
    assert "giây trước" in page.inner_text("[data-tile='dial'] [data-role=age]")
    assert page.inner_text("[data-tile='load'] [data-role=value]") == "25,000"  # the wall's own en
    assert (
        page.inner_html("[data-tile='note'] .text-body p")
        == "<strong>Directive:</strong> keep steady"
    )
    r.xadd("feed:rivers", {"text": "Sông Cả vượt báo động I", "area": "Nghệ An"})
    r.xadd("feed:rivers", {"text": "<b>not markup</b>"})
    wait_for(page, "news", "el.dataset.items === '2'")
    items = page.eval_on_selector_all(
        "[data-tile='news'] .ticker-item", "s => s.map(i => i.textContent)"
    )
    assert items[0].endswith("<b>not markup</b>")  # newest first, shown as text, never as HTML
    assert items[1].endswith("Nghệ An: Sông Cả vượt báo động I")
    assert (
        page.eval_on_selector(
            "[data-tile='news'] .ticker-track", "t => getComputedStyle(t).animationName"
        )
        == "ticker-scroll"
    )


def test_reporting_shows_completeness_and_overdue_agencies_first(wall: Wall) -> None:
    """The completeness summary: connected/total, counts by state, agencies by name with their
    late and missing cells marked by level (shape and colour), at most max_rows of them, and
    never a half-cut row when the tile is short."""
    page = wall.open("third")
    short = wall.open("third", 400, 170)  # a tiny screen: type at its minimum, fewer rows fit
    summary = {
        "connected": 152,
        "total": 200,
        "on_time": 120,
        "late": 20,
        "missing": 40,
        "pending": 20,
        "agencies": [
            {
                "agency": "MOF",
                "name_vi": "Bộ Tài chính",
                "name_en": "Ministry of Finance",
                "on_time": 10,
                "late": 3,
                "missing": 5,
                "pending": 0,
                "total": 18,
                "last_ms": 1_763_600_000_000,
            },
            {
                "agency": "SBV",
                "name_vi": "Ngân hàng Nhà nước",
                "name_en": "State Bank",
                "on_time": 9,
                "late": 0,
                "missing": 0,
                "pending": 1,
                "total": 10,
                "last_ms": None,
            },
            {
                "agency": "MOH",
                "name_vi": "Bộ Y tế",
                "name_en": "Ministry of Health",
                "on_time": 4,
                "late": 0,
                "missing": 0,
                "pending": 0,
                "total": 4,
                "last_ms": None,
            },
            {
                "agency": "GOV",
                "name_vi": "VPCP",
                "name_en": "Government Office",
                "on_time": 4,
                "late": 0,
                "missing": 0,
                "pending": 0,
                "total": 4,
                "last_ms": None,
            },
        ],
    }
    redis_client(wall.redis.url).xadd("feed:rivers", {"json": json.dumps(summary)})
    wait_for(page, "completeness", "el.dataset.rows === '3'")
    tile = "[data-tile='completeness']"
    assert page.inner_text(f"{tile} [data-role=connected]") == "152/200"
    assert page.get_attribute(tile, "data-missing") == "40"
    assert page.inner_text(f"{tile} [data-role=late]") == "20"
    cells = page.eval_on_selector_all(
        f"{tile} tbody tr",
        "rows => rows.map(tr => [...tr.children].map(td => [td.textContent, td.dataset.level || null]))",
    )
    assert [row[0][0] for row in cells] == [
        "Ministry of Finance",
        "State Bank",
        "Ministry of Health",
    ]
    assert cells[0][2] == ["3", "warning"] and cells[0][3] == ["5", "critical"]
    assert cells[1][2] == ["0", None] and cells[1][5] == ["—", None]
    # On a short screen the same tile has room for fewer rows, even at its smallest type: the
    # rest are hidden whole, none is cut.
    wait_for(
        short,
        "completeness",
        "el.dataset.connected === '152' && (() => {"
        " const limit = el.querySelector('.tile-body').getBoundingClientRect().bottom;"
        " const rows = [...el.querySelectorAll('tbody tr')].filter(r => r.getClientRects().length);"
        " return rows.length > 0 && rows.length < 3"
        " && rows.every(r => r.getBoundingClientRect().bottom <= limit + 1); })()",
    )


def test_table_cells_take_levels_from_their_own_row(wall: Wall) -> None:
    """A level cell compares with bounds named from its row (each station's own alarm levels)."""
    page = wall.open("second")
    rows = [
        {"name": "A", "value": 9.1, "alarm1": 9.5, "alarm3": 11.5},
        {"name": "B", "value": 5.6, "alarm1": 5.4, "alarm3": 7.9},
        {"name": "C", "value": 4.2, "alarm1": 2.0, "alarm3": 4.0},
        {"name": "D", "value": 3.0},
    ]
    redis_client(wall.redis.url).xadd("feed:rivers", {"json": json.dumps({"rows": rows})})
    wait_for(page, "rivers", "el.dataset.rows === '4'")
    # The markers are drawn with the frame after the rows: wait for them, then read.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector(\"[data-tile='rivers'] tbody tr:nth-child(2)"
        " td:nth-child(2)\"), '::before').content.includes('▲')",
        timeout=10000,
    )
    levels = page.eval_on_selector_all(
        "[data-tile='rivers'] tbody tr td:nth-child(2)",
        """cells =>
        cells.map(td => { const c = getComputedStyle(td, '::before').content;
          return [td.dataset.level || null, c === '' || c === 'normal' ? 'none' : c]; })""",
    )
    assert levels == [["good", "none"], ["warning", '"▲ "'], ["critical", '"■ "'], [None, "none"]]


def test_image_and_iframe_render_local_content(wall: Wall) -> None:
    """The bundled picture loads; the framed screen is live inside the tile."""
    page = wall.open("second")
    page.wait_for_function(
        "() => document.querySelector(\"[data-tile='emblem'] img\").naturalWidth > 0"
    )
    frame = page.frame_locator("[data-tile='frame'] iframe")
    frame.locator("#wall-screen[data-link=up]").wait_for(timeout=15000)
    redis_client(wall.redis.url).xadd("feed:power_load", {"value": "4242"})
    frame.locator("[data-tile='load'] [data-role=value][data-value='4242']").wait_for(timeout=5000)


def test_feed_markdown_is_escaped_and_period_change_shown(wall: Wall) -> None:
    """Feed text gets bold and lists but never raw HTML; a KPI compares with its previous period."""
    page = wall.open("second")
    r = redis_client(wall.redis.url)
    r.xadd(
        "feed:rivers",
        {"bulletin": "**Lũ** trên sông Cả <script>alert(1)</script>\n- Nghệ An\n- Hà Tĩnh"},
    )
    wait_for(page, "bulletin", "el.querySelector('[data-role=text]').innerHTML.length > 0")
    assert page.inner_html("[data-tile='bulletin'] [data-role=text]") == (
        "<p><strong>Lũ</strong> trên sông Cả &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        "<ul><li>Nghệ An</li><li>Hà Tĩnh</li></ul>"
    )
    r.xadd("feed:power_load", {"value": "44000", "prev": "40000"})
    wait_for(page, "load-level", "el.querySelector('[data-role=period]').dataset.change === '10.0'")
    assert (
        page.inner_text("[data-tile='load-level'] [data-role=period]") == "vs same period ▲ +10.0%"
    )


def test_clock_shows_the_walls_time_zone(wall: Wall) -> None:
    """The clock shows Hà Nội time (UTC+7), ticking, whatever the browser's own zone."""
    page = wall.open("main")
    page.wait_for_function(
        "() => /^\\d\\d:\\d\\d:\\d\\d$/.test(document.querySelector(\"[data-tile='clock'] [data-role=time]\").textContent)"
    )
    shown = page.inner_text("[data-tile='clock'] [data-role=time]")
    utc_hour = time.gmtime().tm_hour
    assert int(shown[:2]) in {
        (utc_hour + 7) % 24,
        (utc_hour + 8) % 24,
    }  # allow an hour rolling over
    page.wait_for_function(
        f"() => document.querySelector(\"[data-tile='clock'] [data-role=time]\").textContent !== '{shown}'"
    )


def test_video_panes_play_framed_sites_and_a_missing_source_shows_the_slate(wall: Wall) -> None:
    """Conference panes of framed pages go live by themselves; a pane whose address names an
    unset variable shows the no-signal slate, says why, and never shows a player or an error."""
    page = wall.open("fourth")
    for site in ("desk", "room"):
        page.wait_for_selector(
            f"[data-tile='bridges'] .video-pane[data-site={site}][data-video-state=live]"
        )
    assert page.get_attribute("[data-tile='bridges'] .conference-grid", "data-large") == "desk"
    assert (
        page.get_attribute("[data-tile='bridges'] .video-pane[data-site=desk] iframe", "src")
        == "/healthz"
    )
    camera = "[data-tile='camera'] .video-pane[data-site=unset]"
    page.wait_for_selector(f"{camera}[data-video-state=no-signal]")
    assert "OPSWALL_TEST_NO_SUCH_MEDIA is not set" in (
        page.get_attribute(camera, "data-reason") or ""
    )
    slate = page.locator(f"{camera} [data-role=slate]")
    assert slate.is_visible() and "Unconfigured camera" in slate.inner_text()
    assert "No signal received yet" in slate.inner_text()
    assert page.locator(f"{camera} .video-badge").inner_text() == "NO SIGNAL"
    assert page.locator("video").count() == 0
    assert wall.console_errors == []
