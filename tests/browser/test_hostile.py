"""Hostile entries and a revoked token, on a real wall in headless Chromium (issue 17, parts 2,
3 and 8): one tile that cannot draw never stops the screen, and a cut-off screen says so."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

from opswall.auth.accounts import Accounts
from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import provision
from tests.browser.conftest import Wall, tile_state
from tests.browser.test_wall import wait_for
from tests.conftest import redis_client, require_redis_server

pytestmark = [pytest.mark.browser, pytest.mark.redis]

FIXTURES = Path(__file__).parents[1] / "fixtures"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
JUNK_TILES = (
    "junk-kpi",
    "junk-kpi-vi",
    "junk-gauge",
    "junk-chart",
    "junk-table",
    "junk-alerts",
    "junk-map",
    "junk-bar",
    "junk-reporting",
    "junk-ticker",
    "junk-text",
)


@pytest.fixture(scope="module")
def hostile_wall(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wall]:
    """One wall (tests/fixtures/hostile.yaml) for the whole module: processes start once."""
    require_redis_server()
    base = tmp_path_factory.mktemp("hostile")
    config = base / "wall_config.yaml"
    shutil.copy(FIXTURES / "hostile.yaml", config)
    (base / "record").mkdir()
    redis = RedisServer(free_port(), base / "redis").start()
    running = Wall(config, redis, browser, provision(base / "record")).start()
    yield running
    running.stop()
    redis.stop()


@pytest.fixture
def page(hostile_wall: Wall) -> Iterator[Page]:
    """The every-tile screen, closed after the test (pages are few: the machine is small)."""
    opened = hostile_wall.open("all")
    yield opened
    hostile_wall.pages.remove(opened)
    opened.close()


@pytest.fixture
def uncaught(page: Page) -> list[str]:
    """Exceptions that escape the page's own code (none may)."""
    escaped: list[str] = []
    page.on("pageerror", lambda error: escaped.append(f"{error}\n{error.stack}"))
    return escaped


def shows(page: Page, tile: str, value: str, fresh: str = "live") -> None:
    """Wait until a tile shows `value` (its data-value) with that freshness."""
    wait_for(
        page,
        tile,
        f"el.querySelector('[data-role=value]').dataset.value === '{value}'"
        f" && el.dataset.fresh === '{fresh}'",
    )


def pulse(wall: Wall, page: Page, value: int) -> None:
    """The KPI on a feed of its own takes a new value, live: the screen is still painting."""
    redis_client(wall.redis.url).xadd("feed:pulse", {"value": str(value)})
    shows(page, "pulse", str(value))


def add_json(wall: Wall, fields: dict[str, Any]) -> str:
    return str(redis_client(wall.redis.url).xadd("feed:junk", {"json": json.dumps(fields)}))


def test_a_bad_time_in_one_tile_does_not_freeze_the_screen(
    hostile_wall: Wall, page: Page, uncaught: list[str]
) -> None:
    """Times out of range or not dates (a KPI's filing time, a table cell, an alert's ts) show
    as invalid, a chart leaves out a point it cannot scale, and the rest of the screen keeps
    painting, also after a reload."""
    r = redis_client(hostile_wall.redis.url)
    # Values no scale can place (5e-324 next to 0, beyond 1e300, not numbers), and the
    # largest it can: the chart leaves the first out and labels the second with exponents.
    for value in ("5e-324", "1e308", "-1e308", "NaN", "Infinity", "1e300", "-1e300", "0", "0"):
        r.xadd("feed:junk", {"value": value})
    r.xadd("feed:junk", {"value": "5", "period": "2026-Q1", "submitted_ms": "1e20"})
    rows = [{"name": "A", "value": 1, "at": "not a date"}, {"name": "B", "value": 2, "at": 1e20}]
    add_json(hostile_wall, {"rows": rows})
    add_json(hostile_wall, {"id": "storm", "text": "Bão số 5", "severity": "critical", "ts": 1e20})
    pulse(hostile_wall, page, 87)
    wait_for(page, "junk-table", "el.dataset.rows === '2'")
    times = page.eval_on_selector_all(
        "[data-tile='junk-table'] tbody td:nth-child(4)", "tds => tds.map(td => td.textContent)"
    )
    assert times == ["—", "—"]
    storm = "[data-tile='junk-alerts'] [data-alert-id=storm] .alert-time"
    page.wait_for_selector(storm)
    assert page.inner_text(storm) == "—"
    shows(page, "junk-kpi", "5")
    assert page.inner_text("[data-tile='junk-kpi'] [data-role=asof]").endswith("filed —")
    # The tests share the stream: judge the newest points only.
    wait_for(page, "junk-chart", "el.drawn.series[0].y.slice(-3).join() === '0,0,5'")
    drawn = page.evaluate("() => document.querySelector(\"[data-tile='junk-chart']\").drawn")
    assert {1e300, -1e300} <= set(drawn["series"][0]["y"])
    assert not {5e-324, 1e308, -1e308} & set(drawn["series"][0]["y"])
    assert drawn["yTicks"] and all("E" in label for label in drawn["yTicks"]), drawn["yTicks"]
    line = page.get_attribute("[data-tile='junk-chart'] path.chart-line", "d") or ""
    assert line.startswith("M") and not re.search("NaN|Infinity|e", line), line
    assert tile_state(page, "junk-chart")["fresh"] == "live"
    page.reload()
    page.wait_for_selector("#wall-screen[data-link=up]")
    pulse(hostile_wall, page, 88)
    assert uncaught == []


def test_text_in_a_number_field_shows_as_invalid(hostile_wall: Wall, page: Page) -> None:
    """A KPI or gauge whose field holds text (or null) shows the invalid mark, not the last
    number passed off as current; the next number shows again."""
    r = redis_client(hostile_wall.redis.url)
    r.xadd("feed:junk", {"value": "21"})
    shows(page, "junk-kpi", "21")
    r.xadd("feed:junk", {"value": "n/a"})
    shows(page, "junk-kpi", "")
    shows(page, "junk-gauge", "")
    assert tile_state(page, "junk-kpi")["text"] == "—"
    assert tile_state(page, "junk-gauge")["text"] == "—"
    assert page.get_attribute("[data-tile='junk-kpi']", "data-level") is None
    add_json(hostile_wall, {"value": None})
    r.xadd("feed:junk", {"value": "22"})
    shows(page, "junk-kpi", "22")
    assert tile_state(page, "junk-kpi")["text"] == "22"
    assert page.get_attribute("[data-tile='junk-kpi']", "data-level") == "warning"


def break_tile(page: Page, tile: str, hook: str, bad_value: int) -> None:
    """Make one tile's `hook` throw for entries whose value is `bad_value` (a tile with a bug)."""
    page.evaluate(
        """([id, hook, bad]) => {
        const tile = window.opswall.tiles.find(t => t.el.dataset.tile === id);
        const push = tile.push, original = tile[hook];
        let last = null;
        tile.push = function (feed, entry) { last = entry.fields.value; return push.apply(this, arguments); };
        tile[hook] = function () {
            if (last === bad || (hook === 'push' && arguments[1].fields.value === bad)) {
                throw new RangeError('boom ' + bad);
            }
            return original.apply(this, arguments);
        };
    }""",
        [tile, hook, bad_value],
    )


def error_marking(page: Page, tile: str) -> dict[str, Any]:
    state = tile_state(page, tile)
    state["title"] = page.get_attribute(f"[data-tile='{tile}']", "title")
    state["edge"] = page.eval_on_selector(
        f"[data-tile='{tile}']", "el => getComputedStyle(el).borderTopStyle"
    )
    return state


# A ticker module whose tile has no render hook, and one whose mount is missing altogether.
BROKEN_MODULES = {
    "ticker": "export function mount() { return { feeds: ['junk'], push() {} }; }\n",
    "text": "export const nothing = 1;\n",
}


def serving(body: str) -> Callable[[Route], None]:
    """A route handler answering with this JavaScript module."""
    return lambda route: route.fulfill(body=body, content_type="text/javascript")


def test_a_tile_that_breaks_the_contract_is_marked_in_error(hostile_wall: Wall) -> None:
    """A tile module missing a hook the core calls (render), or missing mount, is marked in
    error at mount with the reason, like a throwing tile; the rest of the screen goes live."""
    page = hostile_wall.new_page("broken")
    for name, module in BROKEN_MODULES.items():
        page.route(f"**/_opswall/*/tiles/{name}.js", serving(module))
    try:
        page.goto(f"{hostile_wall.url}/wall/all?token={hostile_wall.record.viewer_token}")
        page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
        wait_for(page, "junk-ticker", "el.dataset.fresh === 'error'")
        wait_for(page, "junk-text", "el.dataset.fresh === 'error'")
        ticker = page.get_attribute("[data-tile='junk-ticker']", "title") or ""
        text = page.get_attribute("[data-tile='junk-text']", "title") or ""
        assert "mount: TypeError: tile contract: no render" in ticker
        assert "mount: TypeError: tile contract: no mount(el, options, ctx, guard)" in text
        pulse(hostile_wall, page, 77)  # the other tiles mounted and paint
    finally:
        hostile_wall.pages.remove(page)
        page.close()
    hostile_wall.console_errors.clear()  # the broken tiles' own reports


def test_a_throwing_tile_is_marked_and_the_others_keep_painting(
    hostile_wall: Wall, page: Page, uncaught: list[str]
) -> None:
    """A tile whose push or render throws says ERROR (both languages) with the reason, keeps its
    last good figure, and is live again after a good entry; its feed's other tiles and the rest
    of the screen are never held up."""
    r = redis_client(hostile_wall.redis.url)
    r.xadd("feed:junk", {"value": "12"})
    shows(page, "junk-kpi", "12")
    break_tile(page, "junk-kpi", "push", 13)  # the first reader of the feed
    break_tile(page, "junk-kpi-vi", "render", 13)
    r.xadd("feed:junk", {"value": "13"})
    shows(page, "junk-gauge", "13")  # a later reader of the same feed got the entry
    pulse(hostile_wall, page, 90)
    wait_for(page, "junk-kpi", "el.dataset.fresh === 'error'")
    wait_for(page, "junk-kpi-vi", "el.dataset.fresh === 'error'")
    english, vietnamese = error_marking(page, "junk-kpi"), error_marking(page, "junk-kpi-vi")
    assert english["value"] == "12" and vietnamese["value"] == "12"  # the last good figure
    assert english["age"].startswith("⚠ DISPLAY ERROR")
    assert vietnamese["age"].startswith("⚠ LỖI HIỂN THỊ")
    assert "push: RangeError: boom 13" in english["title"]
    assert "render: RangeError: boom 13" in vietnamese["title"]
    assert english["edge"] == "dashed"
    errors = page.evaluate("() => window.opswall.errors.map(e => [e.tile, e.hook, e.reason])")
    assert ["junk-kpi", "push", "RangeError: boom 13"] in errors
    assert ["junk-kpi-vi", "render", "RangeError: boom 13"] in errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tile-error-1920x1080.png"))
    r.xadd("feed:junk", {"value": "14"})
    shows(page, "junk-kpi", "14")
    shows(page, "junk-kpi-vi", "14")
    assert page.get_attribute("[data-tile='junk-kpi']", "title") is None
    assert uncaught == []


def test_a_revoked_screen_says_not_authorised_and_stops_retrying(hostile_wall: Wall) -> None:
    """A screen whose token is revoked shows the not-authorised page within 5 s (the gateway
    re-checks every 5 s), in the wall's language, and never opens another socket."""
    db = Database(hostile_wall.record.database_url)
    accounts = Accounts(db)
    token_id, token = accounts.create_token("doomed wall PC", "lone", False, "admin")
    page = hostile_wall.open("lone", token=token)
    pulse(hostile_wall, page, 1)
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    accounts.revoke_token(token_id, "admin")
    db.dispose()
    # The gateway re-checks tokens every 5 s: 8 s leaves room for a busy machine.
    message = page.wait_for_selector("[data-role=message]", state="visible", timeout=8000)
    assert message is not None
    assert "This screen is not authorised" in message.inner_text()
    assert not page.is_visible("#wall-screen")
    assert not page.is_visible("[data-tile='pulse']")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "not-authorised-1920x1080.png"))
    time.sleep(3)  # the old page reconnected within 0.3 to 1 s, again and again
    assert sockets == []
    hostile_wall.pages.remove(page)
    page.close()


BUGGY = 666  # the value on which the tiles the property test breaks throw


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    """Anything a producer might send where a number, time, text or row is expected."""
    scalars: list[Any] = [
        BUGGY, 1e20, -1e20, 1e308, -1e308, 8.64e15 + 1, -0.0, 0, 1.5, 2**53 + 1, 5e-324,
        "NaN", "Infinity", "-Infinity", "1e20", "abc", "", " ", "not a date",
        "2026-13-45T99:99:99", "\u202eRTL\u202c", "\u200b", "e\u0301", "🌀" * 40,
        "\x00\x01\x1f\x7f", "\u2028\u2029", "<b>x</b>", "A" * 3000, "null", "__proto__",
        None, True, False,
    ]  # fmt: skip
    kind = rng.random()
    if depth > 3 or kind < 0.6:
        return rng.choice(scalars)
    if kind < 0.7:
        return deep(rng.randint(5, 60), rng.choice(scalars))
    if kind < 0.85:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    keys = ["value", "name", "at", "id", "text", "lat", "lon", "code", "agency", "last_ms"]
    return {rng.choice(keys): hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def deep(levels: int, leaf: Any) -> Any:
    """Lists and objects nested `levels` deep around `leaf`."""
    for level in range(levels):
        leaf = [leaf] if level % 2 else {"value": leaf}
    return leaf


def hostile_entry(rng: random.Random) -> dict[str, Any]:
    """An entry with some of the fields the tiles read, each hostile (or a row list of them)."""
    fields = [
        "value", "prev", "previous", "period", "submitted_ms", "revision", "ts", "rows",
        "alerts", "values", "points", "lat", "lon", "id", "state", "severity", "text",
        "area", "bulletin", "connected", "total", "agencies", "on_time", "late", "missing",
    ]  # fmt: skip
    entry: dict[str, Any] = {}
    for name in rng.sample(fields, rng.randint(1, 8)):
        rows = rng.random() < 0.3
        entry[name] = [hostile_value(rng) for _ in range(3)] if rows else hostile_value(rng)
    if rng.random() < 0.3:
        entry["connected"], entry["agencies"] = 3, [hostile_value(rng) for _ in range(3)]
    return entry


def good_entry() -> dict[str, Any]:
    agency = {"agency": "MOF", "name_en": "Finance", "on_time": 1, "late": 0, "missing": 0}
    return {
        "value": 42,
        "rows": [{"name": "A", "value": 42, "share": 4.2, "at": 1_763_600_000_000}],
        "alerts": [{"id": "ok", "severity": "info", "text": "fine"}],
        "values": {"42": 42},
        "points": [{"id": "p", "lat": 18.3, "lon": 106.2}],
        "text": "fine",
        "bulletin": "**fine**",
        "connected": 1,
        "total": 1,
        "agencies": [agency],
    }


def check_no_live_error(page: Page, seed: int) -> None:
    """No tile in error says live, and every tile in error says why."""
    wrong = page.evaluate("""() => window.opswall.tiles
        .filter(t => (Object.keys(t.failures).length > 0) !== (t.el.dataset.fresh === 'error')
                     || (t.el.dataset.fresh === 'error' && !t.el.title))
        .map(t => t.el.dataset.tile + ':' + t.el.dataset.fresh)""")
    assert wrong == [], f"seed {seed}"


def test_hostile_entries_never_stop_the_screen(
    hostile_wall: Wall, page: Page, uncaught: list[str]
) -> None:
    """Random hostile entries for every tile type, three of them buggy: the KPI on another feed
    keeps showing each new value live, no tile says live while in error, nothing escapes
    uncaught, and one good entry brings every tile back to live."""
    # A failure names its seed; OPSWALL_HOSTILE_SEED=<seed> replays that run.
    seed = int(os.environ.get("OPSWALL_HOSTILE_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    r = redis_client(hostile_wall.redis.url)
    for tile in rng.sample(JUNK_TILES, 3):  # tiles with a bug, besides the hostile data
        break_tile(page, tile, rng.choice(["push", "render"]), BUGGY)
    for round_ in range(12):
        if round_ % 4 == 1:
            r.xadd("feed:junk", {"value": str(BUGGY)})
        for _ in range(5):
            if rng.random() < 0.5:
                add_json(hostile_wall, hostile_entry(rng))
            else:
                plain = {k: str(v)[:2000] for k, v in hostile_entry(rng).items() if k != "ts"}
                r.xadd("feed:junk", plain or {"other": "x"})
        try:
            pulse(hostile_wall, page, 1000 + round_)
        except Exception as exc:
            raise AssertionError(f"seed {seed}: the screen stopped painting") from exc
        check_no_live_error(page, seed)
    add_json(hostile_wall, good_entry())
    for tile in JUNK_TILES:
        wait_for(page, tile, "el.dataset.fresh === 'live'")
    check_no_live_error(page, seed)
    reasons = page.evaluate("() => window.opswall.errors.map(e => e.reason)")
    assert f"RangeError: boom {BUGGY}" in reasons and len(reasons) <= 100
    assert uncaught == [], f"seed {seed}"
