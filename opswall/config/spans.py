"""Where each screen's slice lies on a span's canvas (issue 23). Pure geometry, one place: the
wall page, the leader's panel, the studio and the checks all take it from here.

A span's canvas is the rectangle of panels its screens drive, with the bezel gaps between them
in pixels (at the panels' pitch): each browser draws its own slice, the pixels behind a bezel are
drawn by no one, so a line crossing it continues where the eye expects it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from opswall.config.models import At, Screen, WallConfig


@dataclass(frozen=True)
class Slice:
    """One screen's part of a span's canvas, in canvas pixels."""

    screen: str
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class SpanGeometry:
    layout: str
    width: int  # the whole canvas, bezel gaps included
    height: int
    panel: tuple[int, int]  # one panel's resolution: the unit of the page's vw/vh
    slices: tuple[Slice, ...]
    bezels: tuple[tuple[int, int, int, int], ...]  # x, y, w, h: the gaps no pixel shows

    def slice_of(self, screen: str) -> Slice | None:
        return next((s for s in self.slices if s.screen == screen), None)

    def wire(self, screen: str | None) -> dict[str, int]:
        """What a page needs to draw `screen`'s slice (or the whole canvas: None)."""
        cut = self.slice_of(screen) if screen else None
        x, y = (cut.x, cut.y) if cut else (0, 0)
        sw, sh = (cut.w, cut.h) if cut else (self.width, self.height)
        return {
            "w": self.width,
            "h": self.height,
            "x": x,
            "y": y,
            "sw": sw,  # the slice: one panel, or the several a screen's desktop covers
            "sh": sh,
            "pw": self.panel[0],
            "ph": self.panel[1],
        }


def span_geometry(config: WallConfig, layout: Screen) -> SpanGeometry | None:
    """The canvas of a span layout, or None for a layout on one screen (or a config whose
    spans do not hold: the cross-checks report those)."""
    panels = config.wall.panels
    if not layout.span or panels is None:
        return None
    screens = [config.screen(screen_id) for screen_id in layout.span]
    if any(s is None or s.panels is None for s in screens):
        return None
    places = {s.id: s.panels for s in screens if s is not None and s.panels is not None}
    owners = panel_owners(places)
    if owners is None:
        return None
    col_gaps, row_gaps = bezel_lines(owners)
    if col_gaps is None or row_gaps is None:
        return None
    col0 = min(c for c, _ in owners)
    row0 = min(r for _, r in owners)
    pw, ph = panels.resolution
    gx, gy = panels.gaps_px()

    # Canvas x of the span's panel column `col` (0 is its first): the panels before it and the
    # bezel gaps skipped between them; a bezel inside one screen's desktop is not skipped (its
    # OS draws its panels edge to edge), so it adds no gap.
    def left(col: int) -> int:
        return round(col * pw + gx * sum(1 for b in col_gaps if b <= col))

    def top(row: int) -> int:
        return round(row * ph + gy * sum(1 for b in row_gaps if b <= row))

    def cut(sid: str, at: At) -> Slice:
        c, r = at.col - 1 - col0, at.row - 1 - row0
        x, y = left(c), top(r)
        return Slice(sid, x, y, left(c + at.w - 1) + pw - x, top(r + at.h - 1) + ph - y)

    cols = max(c for c, _ in owners) - col0 + 1
    rows = max(r for _, r in owners) - row0 + 1
    slices = tuple(cut(sid, at) for sid, at in places.items())
    width, height = left(cols - 1) + pw, top(rows - 1) + ph
    bezels = tuple(
        (left(b - 1) + pw, 0, left(b) - left(b - 1) - pw, height) for b in sorted(col_gaps)
    ) + tuple((0, top(b - 1) + ph, width, top(b) - top(b - 1) - ph) for b in sorted(row_gaps))
    return SpanGeometry(layout.id, width, height, (pw, ph), slices, bezels)


def panel_owners(places: dict[str, At]) -> dict[tuple[int, int], str] | None:
    """Which screen drives each panel (0-based col, row), or None when two screens claim one."""
    owners: dict[tuple[int, int], str] = {}
    for sid, at in places.items():
        for c in range(at.col - 1, at.col - 1 + at.w):
            for r in range(at.row - 1, at.row - 1 + at.h):
                if (c, r) in owners:
                    return None
                owners[(c, r)] = sid
    return owners


def bezel_lines(
    owners: dict[tuple[int, int], str],
) -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """The panel boundaries of a rectangle of panels whose bezels the canvas skips, as the
    index (from the rectangle's first column or row) of the column or row after each: those
    between two screens. A boundary between two screens in some rows and inside one screen's
    desktop in others cannot be both skipped and drawn: None for that direction."""
    cols = sorted({c for c, _ in owners})
    rows = sorted({r for _, r in owners})

    def gaps(
        lines: list[int], across: list[int], key: Callable[[int, int], tuple[int, int]]
    ) -> frozenset[int] | None:
        found: set[int] = set()
        for before, after in pairwise(lines):
            apart = {owners.get(key(before, a)) != owners.get(key(after, a)) for a in across}
            if len(apart) > 1:
                return None
            if apart == {True}:
                found.add(after - lines[0])
        return frozenset(found)

    return (
        gaps(cols, rows, lambda line, a: (line, a)),
        gaps(rows, cols, lambda line, a: (a, line)),
    )


def geometry_of(config: WallConfig, layout_id: str) -> SpanGeometry | None:
    layout = config.screen(layout_id)
    return None if layout is None else span_geometry(config, layout)


def span_style(wire: dict[str, int]) -> dict[str, str]:
    """The root's style for a slice: the whole canvas, moved so the slice fills the viewport,
    and the viewport units (--vw, --vh, --vmin) of one panel, so text and gaps on a span are
    the sizes they are on one screen, on every slice and on a page showing the whole canvas.
    The same rules as span.js applies in the browser (tests/browser/test_spans.py)."""
    pw, ph = wire["pw"], wire["ph"]
    return {
        "width": f"{wire['w']}px",
        "height": f"{wire['h']}px",
        "translate": f"{-wire['x']}px {-wire['y']}px",
        "--vw": f"{pw / 100}px",
        "--vh": f"{ph / 100}px",
        "--vmin": f"{min(pw, ph) / 100}px",
        "--slice-x": f"{wire['x']}px",
        "--slice-y": f"{wire['y']}px",
    }
