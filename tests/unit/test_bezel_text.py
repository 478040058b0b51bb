"""`opswall check` warns, without a browser, for text a bezel would cut on a span (issue 23):
titles, a KPI's figure and table rows against the bezel gaps, from opswall.css and the bundled
font's advance widths (legibility/text_lines.py, advances.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from opswall.config.loader import load_config, load_config_text
from opswall.config.models import Text
from opswall.config.yaml_source import load_yaml
from opswall.i18n import MESSAGES, PAGES, TILE_TYPES
from opswall.legibility.advances import advances
from opswall.legibility.bezel_text import BezelText, bezel_texts, tile_titles
from opswall.studio.drafts import check
from opswall.studio.surgery import Move
from opswall.tiles import default_registry
from opswall.web.layout_studio import verdict
from tests.conftest import FIXTURES

ROOT = Path(__file__).parents[2]
SPANS = FIXTURES / "spans.yaml"
CHART = (
    '{id: chart, type: chart, title: {vi: "Phụ tải hệ thống điện trên cả hai màn hình, mười '
    'phút", en: "Power system load across both screens, last ten minutes"}'
)


def found(text: str) -> list[BezelText]:
    registry = default_registry()
    config = load_config_text(text, SPANS, registry)
    _, source = load_yaml(text, SPANS.name)
    return bezel_texts(config, source, registry)


def edited(*edits: tuple[str, str]) -> str:
    text = SPANS.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_a_title_across_a_bezel_is_named_at_its_tile_with_the_bezel() -> None:
    """The chart's long title runs over x 640-650 between nw and ne: one located warning, the
    map's short title (its tile crosses the bezel too) none."""
    warnings = found(edited())
    assert [(w.tile, w.role) for w in warnings] == [("chart", "title")]
    chart = warnings[0]
    assert (chart.line, chart.column, chart.path) == (33, 9, "screens[4].tiles[2]")
    assert str(chart) == (
        "spans.yaml:33:9: warning: pair tile chart: title 'Power system load across both "
        "screens, last ten minutes' crosses the bezel between screens nw and ne at x=640..650; "
        "move the tile or shorten the title"
    )


def test_a_title_that_ends_before_the_bezel_is_not_named() -> None:
    """The same tile with a title that ends short of x 640 (it starts at about x 339): none."""
    short = CHART.replace("last ten minutes", "10 min").replace(
        "Power system load across both screens", "Load"
    )
    assert found(edited((CHART, short))) == []


def test_table_rows_across_a_horizontal_bezel_are_named() -> None:
    """A table on the four-screen span whose rows reach y 360-370 (between nw and sw) is
    named; with two rows, ending well above the bezel, it is not, though its tile crosses."""
    table = (
        "      - {id: river, type: table, title: {vi: Sông, en: Rivers}, at: {col: 1, row: 2, "
        "w: 5, h: 4}, feed: provinces, columns: [{key: name}, {key: value, format: number}]"
    )
    anchor = "      - {id: kpi4,"
    room = ("at: {col: 2, row: 2, w: 10, h: 4}", "at: {col: 7, row: 2, w: 5, h: 4}")  # chart4
    rows = [w for w in found(edited(room, (anchor, f"{table}}}\n{anchor}"))) if w.layout == "quad"]
    assert [(w.tile, w.role, w.axis, w.screens) for w in rows] == [
        ("river", "row", "y", ("nw", "sw"))
    ]
    assert (rows[0].low, rows[0].high) == (360, 370)
    assert re.search(
        r"^table row \d+ crosses the bezel between screens nw and sw", rows[0].message()
    )
    two = found(edited(room, (anchor, f"{table}, max_rows: 2}}\n{anchor}")))
    assert [w for w in two if w.layout == "quad"] == []


def test_a_kpi_figure_across_a_bezel_is_named() -> None:
    """A KPI's figure takes the room its fit box has: a KPI tile across the bezel is named."""
    kpi = '{id: kpi, type: kpi, title: {vi: "Phụ tải", en: "Load"}, at: {col: 9,'
    narrow_map = (
        "at: {col: 1, row: 1, w: 8, h: 4}, feed: provinces",
        "at: {col: 1, row: 1, w: 5, h: 4}, feed: provinces",
    )
    warnings = found(edited(narrow_map, (kpi, kpi.replace("col: 9", "col: 6"))))
    assert ("kpi", "value") in [(w.tile, w.role) for w in warnings]


def test_the_studio_report_names_them_in_the_wall_language() -> None:
    """A studio draft carries the warnings (they do not refuse it), in Vietnamese on a
    Vietnamese wall; moving the chart clear of the bezel removes its warning."""
    registry = default_registry()
    text = edited()
    checked = check(text, [], SPANS, registry)
    assert checked.issues == () and [b.tile for b in checked.bezels] == ["chart"]
    vi = verdict(checked, "vi")["bezels"][0]
    assert (vi["line"], vi["path"]) == (33, "screens[4].tiles[2]")
    assert vi["message"].startswith("tiêu đề 'Power system load") and "viền" in vi["message"]
    moved = check(text, [Move("pair", "chart", {"col": 9, "w": 4})], SPANS, registry)
    assert moved.issues == () and moved.bezels == ()


def test_the_demo_wall_has_no_text_on_its_bezel() -> None:
    """The demo's span (the map across economy and main) keeps its texts off the bezel."""
    registry = default_registry()
    path = ROOT / "wall_config.yaml"
    config = load_config(path, registry)
    _, source = load_yaml(path.read_text(encoding="utf-8"), path.name)
    assert any(s.span for s in config.screens)
    assert bezel_texts(config, source, registry) == []


def test_the_width_estimate_sums_the_fonts_advances() -> None:
    """Inter's A is 1413/2048 em at 400 and 1529 at 700; digits are tabular; letter-spacing
    adds after each character; a character the table lacks counts as the widest."""
    table = advances()
    assert table.width("A", 2048, 400) == 1413
    assert table.width("A", 2048, 700) == 1529
    assert table.width("1", 100, 800) == table.width("0", 100, 800)
    assert table.width("AA", 100, 700, 0.03) == 2 * table.width("A", 100, 700) + 6
    widest = max(table.widths[400].values()) / 2048 * 100
    assert table.width("漢", 100, 400) == widest
    assert table.width("Ấ", 100, 700) == table.width("A\u0302\u0301", 100, 700)  # NFC


def ui_strings() -> list[str]:
    words = [*MESSAGES.values(), *PAGES.values(), *TILE_TYPES.values()]
    return [text for entry in words for text in entry.values()]


def demo_titles() -> list[str]:
    """Every title the demo's tiles draw, its screens' and scenes' titles and feeds' labels."""
    registry = default_registry()
    config = load_config(ROOT / "wall_config.yaml", registry)
    texts: list[Any] = [config.wall.name]
    texts += [s.title for s in config.screens] + [s.title for s in config.scenes]
    texts += [f.label for f in config.feeds]
    found = [t.get(locale) for t in texts if isinstance(t, Text) for locale in ("vi", "en")]
    for layout in config.screens:
        for tile in layout.tiles:
            found += tile_titles(config, registry, layout, tile)
    return found


# Symbols of the UI the bundled Inter does not have: a fallback font draws them, and the
# estimate counts each as the widest character of the table.
NOT_INTER = frozenset("↺▶◀⚠")


def test_the_advance_table_covers_the_ui_and_the_demo_titles() -> None:
    """Every character of the UI's words and the demo's titles, as written and in capitals
    (titles are drawn uppercase), has its advance: none falls back to the widest."""
    table = advances()
    texts = ui_strings() + demo_titles()
    assert len(texts) > 300
    chars = {
        c
        for text in texts
        for c in unicodedata.normalize("NFC", text + text.upper())
        if unicodedata.category(c)[0] != "C"
    }
    missing = sorted(c for c in chars if not table.known(c) and c not in NOT_INTER)
    assert missing == [], [f"U+{ord(c):04X} {c}" for c in missing]


# The declarations of opswall.css that text_lines.py reads: a change there must change both.
PINNED = (
    "--gap: calc(0.55 * var(--vmin))",
    "flex: 0 0 calc(5 * var(--vh))",
    "border-bottom: calc(0.25 * var(--vh)) solid var(--accent)",
    "padding: calc(3 * var(--vmin)) calc(4 * var(--vmin))",
    "border: calc(0.2 * var(--vmin)) solid var(--panel-edge)",
    "border: calc(0.35 * var(--vmin)) dashed",
    "letter-spacing: 0.03em; font-size: clamp(12px, min(calc(3.2 * var(--vh)), 14cqh), "
    "calc(6.7 * var(--vh))); line-height: 1.15",
    "-webkit-line-clamp: 2",
    "font-size: clamp(11px, min(calc(1.8 * var(--vh)), 5.4cqw), calc(5.0 * var(--vh)))",
    ".tile-table .tile-body { justify-content: flex-start; padding-top: 2cqh;",
    "font-size: clamp(14px, min(9cqh, 6cqw), calc(6 * var(--vh))); "
    "--fit-floor: max(13px, calc(1.3 * var(--vh)))",
    "font-size: 0.7em; letter-spacing: 0.04em; padding: 0.35em 0.5em; "
    "border-bottom: 0.12em solid var(--panel-edge)",
    ".wall-table td { padding: 0.4em 0.5em; border-bottom: 0.06em solid var(--panel-edge);",
)


def test_the_css_the_estimate_reads_is_the_css_the_wall_draws() -> None:
    """text_lines.py restates these rules of opswall.css; each is still there, as written."""
    css = (ROOT / "opswall" / "assets" / "opswall.css").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", css)
    assert [rule for rule in PINNED if rule not in flat] == []
