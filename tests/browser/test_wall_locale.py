"""One locale on a wall, and truthful details (issue 18, parts 4 and 7): numbers, dates, chart
axes, levels and alerts as a Vietnamese and an English reader write them, in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from datetime import time as time_of
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page

from opswall.legibility.ink import TALL_SAMPLE, find_cut_ink
from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer
from opswall.testing import provision
from tests.browser.conftest import Wall
from tests.browser.test_wall import wait_for
from tests.conftest import redis_client, require_redis_server

pytestmark = [pytest.mark.browser, pytest.mark.redis]

FIXTURES = Path(__file__).parents[1] / "fixtures"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
# A number as each locale writes it: digits grouped by threes, then the decimal mark.
NUMBER = {"vi": r"-?\d{1,3}(\.\d{3})*(,\d+)?", "en": r"-?\d{1,3}(,\d{3})*(\.\d+)?"}
ROWS = [
    {"name": "Hòa Bình", "level": "21.5", "flow": "1234.5"},
    {"name": "Sơn La", "level": 12, "flow": 310.25},
]
WARNING = {"severity": "warning", "area": "Nghệ An", "text": "Sông Cả vượt báo động I"}


@pytest.fixture(scope="module", params=["vi", "en"])
def locale_wall(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Wall, Page]]:
    """One wall per locale (tests/fixtures/locale.yaml), fed once, its screen open at 1920x1080."""
    locale: str = request.param
    require_redis_server()
    base = tmp_path_factory.mktemp(f"locale-{locale}")
    config = base / "wall_config.yaml"
    shutil.copy(FIXTURES / "locale.yaml", config)
    text = config.read_text(encoding="utf-8").replace("locale: vi", f"locale: {locale}")
    config.write_text(text, encoding="utf-8")
    (base / "record").mkdir()
    redis = RedisServer(free_port(), base / "redis").start()
    running = Wall(config, redis, browser, provision(base / "record")).start()
    feed(running)
    page = running.open("tiles")
    yield locale, running, page
    running.stop()
    redis.stop()


def feed(wall: Wall) -> None:
    """Most of a minute of load, station rows with numbers as text, two identical alerts, a report."""
    r = redis_client(wall.redis.url)
    now = int(time.time() * 1000)
    for i in range(13):
        r.xadd(
            "feed:load", {"value": str(42230.5 + 40 * (i % 4))}, id=f"{now - 45000 + i * 3500}-0"
        )
    values = {"42": "9.5", "01": 3}
    r.xadd("feed:stations", {"json": json.dumps({"rows": ROWS, "values": values})})
    twice = [{"id": "x1", **WARNING, "ts": now}, {"id": "x2", **WARNING, "ts": now}]
    r.xadd("feed:warnings", {"json": json.dumps({"alerts": twice})})
    agency = {"agency": "MOF", "name_vi": "Bộ Tài chính", "name_en": "Ministry of Finance"}
    counts = {"on_time": 10, "late": 3, "missing": 5, "pending": 0, "total": 18}
    row = {**agency, **counts, "last_ms": now - 2 * 86_400_000}
    summary = {**counts, "connected": 1520, "total": 2000, "agencies": [row]}
    r.xadd("feed:reports", {"json": json.dumps(summary)})


def cells(page: Page, tile: str) -> list[list[Any]]:
    return page.eval_on_selector_all(
        f"[data-tile='{tile}'] tbody tr",
        "rows => rows.map(tr => [...tr.children].map(td => [td.textContent, td.dataset.level || null]))",
    )


def test_table_formats_numbers_sent_as_text(locale_wall: tuple[str, Wall, Page]) -> None:
    """A CSV adapter's "21.5" with decimals 0 reads 22, at its level; "1234.5" reads 1.234,5/1,234.5."""
    locale, _, page = locale_wall
    wait_for(page, "table", "el.dataset.rows === '2'")
    rows = cells(page, "table")
    assert rows[0][1] == ["22", "warning"]
    assert rows[0][2] == [{"vi": "1.234,5", "en": "1,234.5"}[locale], None]
    assert rows[1][2][0] == {"vi": "310,3", "en": "310.3"}[locale]
    bars = page.eval_on_selector_all(
        "[data-tile='bar'] .bar-value", "v => v.map(s => s.textContent)"
    )
    assert bars[0] == {"vi": "1.234,5", "en": "1,234.5"}[locale]
    wait_for(page, "map", "el.querySelector('[data-code=\"42\"]')?.dataset.value === '9.5'")
    hover = page.text_content("[data-tile='map'] [data-code='42'] title")
    assert hover is not None and hover.endswith({"vi": ": 9,5", "en": ": 9.5"}[locale])


def test_chart_axes_follow_the_locale_and_never_overlap(
    locale_wall: tuple[str, Wall, Page],
) -> None:
    """Tick labels group digits as the locale does, times read 24 h, and no two labels touch."""
    locale, _, page = locale_wall
    for tile in ("chart", "wide-chart"):
        wait_for(page, tile, "el.drawn.series[0].y.length >= 13")
        plot = f"[data-tile='{tile}'] svg.chart-svg"
        # The draw after the last entry (ticks fitted to the width) comes when the machine gets
        # to it: wait for its time labels rather than a fixed pause.
        page.wait_for_function(
            """([plot, least]) => [...document.querySelectorAll(plot + ' .chart-x text')]
                 .filter(t => t.getAttribute('visibility') !== 'hidden').length >= least""",
            arg=[plot, 2 if tile == "wide-chart" else 0],
            timeout=15000,
        )
        page.wait_for_timeout(300)
        ticks = page.eval_on_selector(
            plot,
            """p => ['chart-x', 'chart-y'].map(axis => [...p.querySelectorAll('.' + axis + ' text')]
            .filter(t => t.getAttribute('visibility') !== 'hidden')
            .map(t => { const b = t.getBoundingClientRect();
                        return {text: t.textContent, left: b.left, right: b.right,
                                top: b.top, bottom: b.bottom}; }))""",
        )
        # Read as the locale writes numbers, the labels are the load's values (42,230.5 to
        # 42,350.5): in the other locale's marks they would read 42.25 or fail to parse.
        group, point = {"vi": (".", ","), "en": (",", ".")}[locale]
        values = [float(t["text"].replace(group, "").replace(point, ".")) for t in ticks[1]]
        assert values and all(42200 <= v <= 42400 for v in values), values
        x, y = ([t for t in axis if t["right"] > t["left"]] for axis in ticks)  # shown ones
        # A 240 px tile may have room for no time label at all once they cannot overlap.
        assert len(x) >= (2 if tile == "wide-chart" else 0) and all(
            re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?", t["text"]) for t in x
        )
        # Times in the wall's zone (the default, Hanoi): within the chart's minute of now there.
        hanoi = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
        for t in x:
            shown = datetime.combine(hanoi.date(), time_of.fromisoformat(t["text"]), hanoi.tzinfo)
            lag = (hanoi - shown).total_seconds() % 86400
            assert lag < 120 or lag > 86400 - 10, (t["text"], hanoi)
        assert all(re.fullmatch(NUMBER[locale], t["text"]) for t in y), [t["text"] for t in y]
        assert any(len(t["text"]) > 3 for t in y)  # grouped: 42.230 / 42,230, not 42.23k
        x.sort(key=lambda t: t["left"])
        assert all(a["right"] <= b["left"] for a, b in pairwise(x)), [t["text"] for t in x]
        y.sort(key=lambda t: t["top"])
        assert all(a["bottom"] <= b["top"] for a, b in pairwise(y)), [t["text"] for t in y]


def test_gauge_shows_its_level_by_shape_and_word(locale_wall: tuple[str, Wall, Page]) -> None:
    """The gauge's level is a shape and a word as well as a colour, as a KPI's is."""
    locale, _, page = locale_wall
    wait_for(page, "gauge", "el.dataset.level === 'warning'")
    word = page.inner_text("[data-tile='gauge'] [data-role=level-word]")
    assert word == {"vi": "Cảnh báo", "en": "Warning"}[locale]
    wait_for(page, "kpi", "el.dataset.level === 'warning'")
    shape = page.inner_html("[data-tile='gauge'] [data-role=level]")
    assert "<path" in shape and shape == page.inner_html("[data-tile='kpi'] [data-role=level]")


def test_kpi_shows_its_level_in_words(locale_wall: tuple[str, Wall, Page]) -> None:
    """The KPI's level is a visible word too, in the tile's language, inside its tile and no
    smaller than the KPI's other small text, at 1080p and 4K."""
    locale, _, page = locale_wall
    wait_for(page, "kpi", "el.dataset.level === 'warning'")
    assert (
        page.inner_text("[data-tile='kpi'] [data-role=level-word]")
        == {
            "vi": "Cảnh báo",
            "en": "Warning",
        }[locale]
    )
    try:
        for width, height in ((1920, 1080), (3840, 2160)):
            page.set_viewport_size({"width": width, "height": height})
            wait_for(page, "kpi", f"innerWidth === {width}")
            page.wait_for_timeout(300)  # the resize observer's re-fit comes in the next frame
            box = kpi_word_box(page)
            assert box["inside"] and box["fits"], (width, box)
            assert box["size"] >= box["asof"] and box["size"] >= height / 100, (width, box)
    finally:
        page.set_viewport_size({"width": 1920, "height": 1080})


def kpi_word_box(page: Page) -> dict[str, Any]:
    """Where the KPI's level word lies, its font size, and whether the KPI's body overflows."""
    script = """el => {
        const word = el.querySelector('[data-role=level-word]'), body = el.querySelector('.tile-body');
        const w = word.getBoundingClientRect(), t = el.getBoundingClientRect();
        return {
            inside: w.width > 0 && w.left >= t.left && w.right <= t.right
                && w.top >= t.top && w.bottom <= t.bottom,
            fits: body.scrollHeight <= body.clientHeight + 1 && body.scrollWidth <= body.clientWidth + 1,
            size: parseFloat(getComputedStyle(word).fontSize),
            asof: parseFloat(getComputedStyle(el.querySelector('[data-role=asof]')).fontSize),
        };
    }"""
    box: dict[str, Any] = page.eval_on_selector("[data-tile='kpi']", script)
    return box


def test_reporting_dates_read_day_then_month(locale_wall: tuple[str, Wall, Page]) -> None:
    """A report filed two days ago reads 20:13 06/10 on a vi wall, 10/06, 20:13 on an en one."""
    locale, _, page = locale_wall
    wait_for(page, "reporting", "el.dataset.rows === '1'")
    when = cells(page, "reporting")[0][-1][0]
    pattern = {"vi": r"\d\d:\d\d \d\d/\d\d", "en": r"\d\d/\d\d, \d\d:\d\d"}[locale]
    assert re.fullmatch(pattern, when), when
    assert (
        page.inner_text("[data-tile='reporting'] [data-role=connected]")
        == {
            "vi": "1.520/2.000",
            "en": "1,520/2,000",
        }[locale]
    )


def test_alerts_show_one_row_for_two_identical_alerts(locale_wall: tuple[str, Wall, Page]) -> None:
    """Two alerts that read the same (area, text, time) under two ids are one row, counted once."""
    _, _, page = locale_wall
    wait_for(page, "alerts", "el.dataset.alerts !== undefined")
    rows = page.eval_on_selector_all("[data-tile='alerts'] li", "l => l.map(li => li.textContent)")
    assert len(rows) == 1
    assert page.inner_text("[data-tile='alerts'] [data-role=count-warning]") == "1"


def test_screenshot_of_the_wall(locale_wall: tuple[str, Wall, Page]) -> None:
    """The wall at 1920x1080 in each locale, kept for a person to read letter by letter, and
    no glyph cut by its box."""
    locale, wall, page = locale_wall
    wait_for(page, "map", "el.dataset.provinces === '34'")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"locale-{locale}.png"))
    assert wall.console_errors == []
    # No glyph cut in either locale (issue 18): its own words, then the tallest capitals.
    cut = [str(c) for c in [*find_cut_ink(page), *find_cut_ink(page, TALL_SAMPLE)]]
    assert cut == []
