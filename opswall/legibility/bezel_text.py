"""`opswall check`'s bezel rule without a browser (issue 23): on a span layout, a tile's title,
KPI figure or table row whose estimated box (text_lines.py) meets a bezel gap of the canvas
(config/spans.py) is named, located at the tile in the YAML, with the bezel and the screens
either side. Warnings: they never fail the check. `opswall check --render` measures the drawn
text instead (legibility/bezels.py) and reports no more than this does on the same layouts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from opswall.config.models import Locale, Screen, TileBase, WallConfig
from opswall.config.spans import SpanGeometry, span_geometry
from opswall.config.yaml_source import SourceMap, format_path
from opswall.legibility.text_lines import Line, tile_lines
from opswall.studio.words import STUDIO_PAGES
from opswall.tiles.base import RenderContext
from opswall.tiles.registry import TileRegistry

TEXT_LIMIT = 60  # characters of a title quoted in a message


@dataclass(frozen=True)
class BezelText:
    """A text of a tile that a bezel would cut: what, where in the YAML, which bezel."""

    file: str
    line: int
    column: int
    path: str  # screens[i].tiles[j]
    layout: str
    tile: str
    role: str  # title, value, row
    text: str
    row: int
    screens: tuple[str, str]
    axis: str  # x: a bezel between columns of panels, y: between rows
    low: int
    high: int

    def message(self, locale: Locale = "en") -> str:
        def word(key: str, **fields: object) -> str:
            return STUDIO_PAGES[key][locale].format(**fields)

        if self.role == "title":
            what = word("bezel_title", text=_short(self.text))
        elif self.role == "value":
            what = word("bezel_value")
        else:
            what = word("bezel_row", row=self.row) if self.row else word("bezel_header")
        advice = word("bezel_advice_title" if self.role == "title" else "bezel_advice")
        a, b = self.screens
        return word(
            "bezel_crosses",
            what=what,
            a=a,
            b=b,
            axis=self.axis,
            low=self.low,
            high=self.high,
            advice=advice,
        )

    def __str__(self) -> str:
        """As `opswall check` prints it (the same shape as `--render`'s findings)."""
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: warning: {self.layout} tile {self.tile}: {self.message()}"


def bezel_texts(config: WallConfig, source: SourceMap, registry: TileRegistry) -> list[BezelText]:
    """Every text of every span layout that a bezel would cut, in document order."""
    found: list[BezelText] = []
    for index, layout in enumerate(config.screens):
        geometry = span_geometry(config, layout)
        if geometry is None:
            continue
        for j, tile in enumerate(layout.tiles):
            path = ("screens", index, "tiles", j)
            mark = source.value_mark(path)
            for role, line, bezel in _crossings(config, registry, geometry, layout, tile):
                axis, low, high, screens = bezel
                found.append(
                    BezelText(
                        source.file,
                        mark.line,
                        mark.column,
                        format_path(path),
                        layout.id,
                        tile.id,
                        role,
                        line.text,
                        line.row,
                        screens,
                        axis,
                        low,
                        high,
                    )
                )
    return found


Bezel = tuple[str, int, int, tuple[str, str]]


def _crossings(
    config: WallConfig,
    registry: TileRegistry,
    geometry: SpanGeometry,
    layout: Screen,
    tile: TileBase,
) -> Iterator[tuple[str, Line, Bezel]]:
    """Each (role, line, bezel) once per role and bezel: a title in two languages or scenes,
    or a table's rows on one bezel, is one warning (its first line)."""
    seen: set[tuple[str, int, int]] = set()
    rows = int(getattr(tile, "max_rows", 0)) if tile.type == "table" else 0
    locale = tile.locale or config.wall.locale
    for title in tile_titles(config, registry, layout, tile):
        for line in tile_lines(geometry, layout, tile, title, locale, rows):
            for x, y, w, h in geometry.bezels:
                if (line.role, x, y) in seen or not line.box.meets(x, y, w, h):
                    continue
                seen.add((line.role, x, y))
                yield line.role, line, _bezel(geometry, (x, y, w, h), line)


def _bezel(geometry: SpanGeometry, gap: tuple[int, int, int, int], line: Line) -> Bezel:
    """The bezel's axis and range, and the screens either side of it where the text lies."""
    x, y, w, h = gap
    across = h == geometry.height and w < geometry.width  # between two columns of panels
    mid_x, mid_y = (line.box.left + line.box.right) / 2, (line.box.top + line.box.bottom) / 2
    if across:
        before = _screen_at(geometry, x - 1, _clamped(mid_y, line.box.top, line.box.bottom))
        after = _screen_at(geometry, x + w, _clamped(mid_y, line.box.top, line.box.bottom))
        return "x", x, x + w, (before, after)
    before = _screen_at(geometry, mid_x, y - 1)
    after = _screen_at(geometry, mid_x, y + h)
    return "y", y, y + h, (before, after)


def _clamped(value: float, low: float, high: float) -> float:
    return max(low, min(value, high))


def _screen_at(geometry: SpanGeometry, x: float, y: float) -> str:
    """The screen whose slice holds the canvas point, or the nearest one's."""

    def distance(s: Any) -> float:
        dx = max(s.x - x, 0, x - (s.x + s.w))
        dy = max(s.y - y, 0, y - (s.y + s.h))
        return float(dx + dy)

    return min(geometry.slices, key=distance).screen


def tile_titles(
    config: WallConfig, registry: TileRegistry, layout: Screen, tile: TileBase
) -> list[str]:
    """The title the tile's page draws (its own locale, else the wall's), under no scene's
    vars and under each scene's that shows the layout: distinct, first seen first."""
    locale = tile.locale or config.wall.locale
    var_sets: list[dict[str, Any]] = [{}]
    var_sets += [dict(s.vars) for s in config.scenes if layout.id in s.show.values()]
    titles: list[str] = []
    for vars_ in var_sets:
        rendered = registry.get(tile.type).render(tile, RenderContext(config, locale, vars_))
        title = _title_of(rendered)
        if title not in titles:
            titles.append(title)
    return titles


def _title_of(component: Any) -> str:
    """The text of the `.tile-title` span of a rendered tile ('' if it has none)."""
    if getattr(component, "className", None) == "tile-title":
        children = component.children
        return children if isinstance(children, str) else ""
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            found = _title_of(child)
            if found:
                return found
    return ""


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
