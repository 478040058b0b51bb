"""Where a span's tiles draw their lines of text, estimated from opswall.css without a browser
(issue 23: `opswall check` warns for text a bezel would cut). Canvas pixels, in the units of
one panel (`span_style`: --vw, --vh, --vmin are a panel's). Each box is where the text can be,
never smaller: a fit box (fit.js) only shrinks its text below the CSS ceiling used here, a
title's box runs from the tile's content edge over its estimated width, and a text whose place
depends on live data (a KPI's figure, a table's cells) is given the whole room it may take.
`opswall check --render` measures the drawn text and stays the exact judge.

The CSS rules read here are pinned by tests/unit/test_bezel_text.py: change one, change both.
"""

from __future__ import annotations

from dataclasses import dataclass

from opswall.config.models import At, Locale, Screen, TileBase
from opswall.config.spans import SpanGeometry
from opswall.i18n import MESSAGES
from opswall.legibility.advances import advances


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, x: float, y: float, w: float, h: float) -> bool:
        return self.left < x + w and self.right > x and self.top < y + h and self.bottom > y


@dataclass(frozen=True)
class Line:
    """One text of a tile and the box its lines can take."""

    role: str  # title, value, row
    text: str  # what it says ('' when only the data will say: a KPI's figure)
    box: Box
    row: int = 0  # a table's row (0: its header)


@dataclass(frozen=True)
class Units:
    vw: float
    vh: float
    vmin: float

    @classmethod
    def of(cls, geometry: SpanGeometry) -> Units:
        pw, ph = geometry.panel
        return cls(pw / 100, ph / 100, min(pw, ph) / 100)


def clamp(low: float, value: float, high: float) -> float:
    return max(low, min(value, high))


def grid_box(geometry: SpanGeometry, u: Units) -> Box:
    """`.wall` (padding --gap) holds the header (5vh and a 0.25vh border), a gap, the grid."""
    gap = 0.55 * u.vmin
    return Box(gap, gap + 5.25 * u.vh + gap, geometry.width - gap, geometry.height - gap)


def tile_box(geometry: SpanGeometry, layout: Screen, at: At) -> Box:
    u = Units.of(geometry)
    grid, gap = grid_box(geometry, u), 0.55 * u.vmin
    cols, rows = layout.grid.cols, layout.grid.rows
    cw = (grid.right - grid.left - (cols - 1) * gap) / cols
    rh = (grid.bottom - grid.top - (rows - 1) * gap) / rows
    left, top = grid.left + (at.col - 1) * (cw + gap), grid.top + (at.row - 1) * (rh + gap)
    return Box(left, top, left + at.w * cw + (at.w - 1) * gap, top + at.h * rh + (at.h - 1) * gap)


# A tile's border is 0.2vmin, 0.35vmin while stale, down or in error: its content starts at the
# thinner one and ends at the thicker one's inner edge, or later.
BORDER, BORDER_MARKED = 0.2, 0.35


def content_box(tile: Box, u: Units) -> Box:
    """`.tile`: padding 3vmin 4vmin inside its border (box-sizing: border-box)."""
    dx, dy = (BORDER + 4) * u.vmin, (BORDER + 3) * u.vmin
    return Box(tile.left + dx, tile.top + dy, tile.right - dx, tile.bottom - dy)


def tile_lines(
    geometry: SpanGeometry,
    layout: Screen,
    tile: TileBase,
    title: str,
    locale: Locale,
    table_rows: int = 0,
) -> list[Line]:
    """The title's line (every tile), a KPI's figure, a table's header and rows; `locale`:
    the language the tile is drawn in (its age line's words)."""
    u = Units.of(geometry)
    content = content_box(tile_box(geometry, layout, tile.at), u)
    cqw, cqh = (content.right - content.left) / 100, (content.bottom - content.top) / 100
    head, title_bottom = _title(content, u, cqw, cqh, title, locale)
    lines = [head] if title else []
    body = Box(content.left, title_bottom, content.right, content.bottom)
    if tile.type == "kpi":  # its figure grows into the room its fit box has, centred
        lines.append(Line("value", "", body))
    if tile.type == "table" and table_rows:
        late = head.box.bottom - title_bottom  # the head may be taller than its lines
        lines += _rows(body, late, content.bottom + 3 * u.vmin, u, cqw, cqh, table_rows)
    return lines


def _title(
    content: Box, u: Units, cqw: float, cqh: float, title: str, locale: Locale
) -> tuple[Line, float]:
    """`.tile-title`: uppercase, weight 700, letter-spacing 0.03em, line-height 1.15, at most
    two lines: one if it fits beside `.tile-age` at its longest (and a 2cqw gap)."""
    size = clamp(12, min(3.2 * u.vh, 14 * cqh), 6.7 * u.vh)
    age = clamp(11, min(1.8 * u.vh, 5.4 * cqw), 5.0 * u.vh)
    room = content.right - content.left
    width = advances().width(title.upper(), size, 700, 0.03) + (BORDER_MARKED - BORDER) * u.vmin
    lines = 1 if width <= room - 2 * cqw - age_width(age, locale) else 2
    head = max(lines * 1.15 * size, advances().line_height * age)
    # The title sits on the age's baseline (a bigger age pushes it down), and its marks reach
    # past its lines (--ink-above, --ink-below: half an em in all); a pixel for rounding.
    bottom = content.top + head + max(0.0, age - size) + 0.5 * size + 1
    box = Box(content.left, content.top - 1, content.left + min(width, room), bottom)
    return Line("title", title, box), content.top + head


# The age line's longest forms (static/lib/freshness.js ageLine): a warning sign, a word, an age.
AGE_WORDS = ("no_data", "tile_error", "no_source", "stale")
AGE_SAMPLE: dict[Locale, str] = {"vi": "59 phút trước", "en": "59 minutes ago"}


def age_width(size: float, locale: Locale) -> float:
    """The widest the age line beside a title can be, in bold (stale, down, error)."""
    texts = [f"⚠ {MESSAGES[key][locale]} · {AGE_SAMPLE[locale]}" for key in AGE_WORDS]
    return max(advances().width(text, size, 800) for text in texts)


def _rows(
    body: Box, late: float, clip: float, u: Units, cqw: float, cqh: float, count: int
) -> list[Line]:
    """`.wall-table` in `.tile-table .tile-body` (padding-top 2cqh): a header row (th: 0.7em,
    padding and border in its own ems) and `count` rows (td: padding 0.4em, a 0.06em border).
    The fit box sets their font between its floor and the most at which the rows fit the body's
    height, lower when a cell is wide (the data decides): each row's box is where it can fall
    over that range (its cells, as `--render` measures them), and rows starting past the tile's
    edge even at the floor are not drawn. The table starts at the body's top, or `late` px
    later. Cells' places depend on the data: a row is the body's width."""
    line_height = advances().line_height
    ceiling = clamp(14, min(9 * cqh, 6 * cqw), 6 * u.vh)
    floor = min(ceiling, max(13, 1.3 * u.vh))
    heights = [0.7 * (line_height + 2 * 0.35 + 0.12)] + [line_height + 0.8 + 0.06] * count
    top = body.top + 2 * cqh
    high = max(floor, ceiling * min(1.0, (body.bottom - top) / (sum(heights) * ceiling)))
    found = []
    offset = 0.0  # the row's top, in ems of the table's font
    for row, height in enumerate(heights):
        if top + offset * floor >= clip:
            break
        low_y, high_y = top + offset * floor, top + late + (offset + height) * high
        found.append(Line("row", "", Box(body.left, low_y - 1, body.right, high_y + 1), row))
        offset += height
    return found
