"""The plain check's bezel estimate (issue 23, legibility/text_lines.py) against a drawn span:
each tile where the page puts it, each drawn title line inside its estimated box, and what
`--render` finds on a bezel (legibility/bezels.py) also named by the estimate. Here on the demo
wall's span at its real size (two 1920x1080 panels); tests/browser/test_spans.py does the same
on the small panels of tests/fixtures/spans.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from opswall.config.loader import load_config
from opswall.config.spans import geometry_of
from opswall.config.yaml_source import read_yaml_file
from opswall.control.store import ControlStore
from opswall.legibility.bezel_text import bezel_texts, tile_titles
from opswall.legibility.bezels import bezel_findings
from opswall.legibility.render import drawn_wall
from opswall.legibility.text_lines import tile_box, tile_lines
from opswall.store.redis_client import connect
from opswall.tiles import default_registry

pytestmark = [pytest.mark.browser, pytest.mark.redis]

ROOT = Path(__file__).parents[2]
MEASURE_TEXT = """() => {
  const root = document.getElementById('wall-screen');
  const origin = root.getBoundingClientRect();
  const grid = [...root.querySelectorAll('.wall-grid')].find((g) => !g.hidden);
  const box = (r) => [r.left - origin.left, r.top - origin.top, r.right - origin.left,
    r.bottom - origin.top];
  return [...grid.querySelectorAll('[data-tile]')].map((tile) => {
    const range = document.createRange();
    range.selectNodeContents(tile.querySelector('.tile-title'));
    const lines = [...range.getClientRects()].filter((r) => r.width > 0).map(box);
    return { id: tile.dataset.tile, tile: box(tile.getBoundingClientRect()), title: lines };
  });
}"""

Cuts = set[tuple[str | None, str]]


def estimate_against_page(page: Page, path: Path, layout_id: str) -> tuple[Cuts, Cuts]:
    """Assert the estimate's boxes hold what `page` (the span drawn whole) draws; return the
    (tile, role) pairs `--render` finds on a bezel and those the estimate names."""
    registry = default_registry()
    config = load_config(path, registry)
    _, source = read_yaml_file(path)
    layout, geometry = config.screen(layout_id), geometry_of(config, layout_id)
    assert layout is not None and geometry is not None
    tiles = {tile.id: tile for tile in layout.tiles}
    past: list[float] = []  # px by which each estimated title ends past the drawn one
    for drawn in page.evaluate(MEASURE_TEXT):
        tile = tiles[drawn["id"]]
        box = tile_box(geometry, layout, tile.at)
        assert [box.left, box.top, box.right, box.bottom] == pytest.approx(drawn["tile"], abs=1)
        title = tile_titles(config, registry, layout, tile)[0]
        locale = tile.locale or config.wall.locale
        estimate = tile_lines(geometry, layout, tile, title, locale)[0].box
        for left, top, right, bottom in drawn["title"]:
            assert estimate.left <= left and right <= estimate.right, (tile.id, title)
            assert estimate.top <= top and bottom <= estimate.bottom, (tile.id, title)
        if drawn["title"]:
            past.append(round(estimate.right - max(r for _, _, r, _ in drawn["title"]), 1))
    found = bezel_findings(page, config, source, layout)
    drawn_cuts = {(f.tile, f.message.split(" ")[0]) for f in found}
    roles = {"row": "table"}  # --render's word for a table row
    estimated = {
        (w.tile, roles.get(w.role, w.role))
        for w in bezel_texts(config, source, registry)
        if w.layout == layout_id
    }
    print(
        f"\n{layout_id}: --render finds {sorted(drawn_cuts)}, the estimate {sorted(estimated)}; "
        f"estimated titles end past the drawn ones by {past} px"
    )
    return drawn_cuts, estimated


def test_the_estimate_holds_on_the_demo_span_at_its_real_size(browser: Browser) -> None:
    """The demo's provinces-wide span (3846x1080, titles at 35 px), drawn whole: the estimate
    holds every drawn title, and neither it nor --render finds text on the bezel."""
    path = ROOT / "wall_config.yaml"
    config = load_config(path, default_registry())
    geometry = geometry_of(config, "provinces-wide")
    assert geometry is not None
    with drawn_wall(path) as (url, token, redis_url):
        ControlStore(connect(redis_url)).apply(
            {"action": "scene", "scene": "national-map"}, "test", config
        )
        page = browser.new_page(viewport={"width": geometry.width, "height": geometry.height})
        page.goto(f"{url}/wall/economy?token={token}&canvas")
        page.wait_for_selector("#wall-screen[data-link=up]", timeout=30000)
        page.wait_for_selector("#wall-screen.wall-span[data-layout='provinces-wide']")
        page.wait_for_timeout(1000)  # fonts, the fit boxes' first pass
        drawn, estimated = estimate_against_page(page, path, "provinces-wide")
        page.close()
    assert (drawn, estimated) == (set(), set())


MEASURE_ROWS = """(ids) => ids.map(([tile, selector]) => [...document.querySelectorAll(
    `.wall-grid:not([hidden]) [data-tile=${tile}] ${selector}`)].map((el) => {
  const origin = document.getElementById('wall-screen').getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  return [Math.min(...rects.map((r) => r.left)) - origin.left,
    Math.min(...rects.map((r) => r.top)) - origin.top,
    Math.max(...rects.map((r) => r.right)) - origin.left,
    Math.max(...rects.map((r) => r.bottom)) - origin.top];
}))"""
# A table and a KPI on the four-screen span of spans.yaml: the table's rows across the bezel
# between nw and sw, the KPI's figure across both bezels (the chart made room for them).
TABLE_AND_KPI = (
    ("at: {col: 2, row: 2, w: 10, h: 4}", "at: {col: 9, row: 2, w: 4, h: 4}"),
    (
        "      - {id: kpi4,",
        "      - {id: river, type: table, title: {vi: Sông, en: Rivers}, at: {col: 1, row: 2, "
        "w: 5, h: 4}, feed: provinces, columns: [{key: name, label: {vi: Trạm, en: Station}}, "
        "{key: value, format: number}]}\n"
        "      - {id: kpi5, type: kpi, at: {col: 6, row: 2, w: 3, h: 4}, feed: load}\n"
        "      - {id: kpi4,",
    ),
)


def test_table_rows_and_a_figure_on_bezels_are_named_where_the_page_draws_them(
    browser: Browser, tmp_path: Path
) -> None:
    """Drawn with data, every table row's text and the KPI's figure lie inside boxes of the
    estimate, and what --render finds on the bezels (the rows, the figure) it names too."""
    text = (ROOT / "tests" / "fixtures" / "spans.yaml").read_text(encoding="utf-8")
    for old, new in TABLE_AND_KPI:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "spans.yaml"
    path.write_text(text, encoding="utf-8")
    registry = default_registry()
    config = load_config(path, registry)
    layout, geometry = config.screen("quad"), geometry_of(config, "quad")
    assert layout is not None and geometry is not None
    with drawn_wall(path) as (url, token, redis_url):
        redis = connect(redis_url)
        rows = [{"name": f"Trạm số {n}", "value": 1200.5 + n} for n in range(10)]
        redis.xadd("feed:provinces", {"json": json.dumps({"rows": rows})})
        redis.xadd("feed:load", {"value": "48213"})
        ControlStore(redis).apply({"action": "scene", "scene": "quad"}, "test", config)
        page = browser.new_page(viewport={"width": geometry.width, "height": geometry.height})
        page.goto(f"{url}/wall/nw?token={token}&canvas")
        page.wait_for_selector("#wall-screen.wall-span[data-layout='quad']", timeout=30000)
        page.wait_for_function(
            "document.querySelectorAll('[data-tile=river] tbody tr').length === 10"
        )
        page.wait_for_timeout(1000)  # fonts, the fit boxes' first pass
        drawn_rows, [figure] = page.evaluate(
            MEASURE_ROWS, [["river", "tr:not([data-fit-hidden])"], ["kpi5", "[data-role=value]"]]
        )
        drawn, estimated = estimate_against_page(page, path, "quad")
        page.close()
    tiles = {tile.id: tile for tile in layout.tiles}
    river = tile_lines(geometry, layout, tiles["river"], "Rivers", "en", 10)
    boxes = [line.box for line in river if line.role == "row"]
    assert len(drawn_rows) >= 6, drawn_rows
    for left, top, right, bottom in drawn_rows:
        assert any(b.top <= top and bottom <= b.bottom for b in boxes), (top, bottom, boxes)
        assert boxes[0].left <= left and right <= boxes[0].right
    [value] = [line.box for line in tile_lines(geometry, layout, tiles["kpi5"], "", "en")]
    assert value.left <= figure[0] and figure[2] <= value.right
    assert value.top <= figure[1] and figure[3] <= value.bottom
    assert drawn <= estimated, (drawn, estimated)
    assert {("river", "table"), ("kpi5", "value")} <= estimated
