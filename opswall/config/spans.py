"""Where each screen's slice lies on a span's canvas (issue 23). Pure geometry, one place: the
wall page, the leader's panel, the studio and the checks all take it from here.

A span's canvas is the rectangle of panels its screens drive, with the bezel gaps between them
in pixels (at the panels' pitch): each browser draws its own slice, the pixels behind a bezel are
drawn by no one, so a line crossing it continues where the eye expects it.
"""

from __future__ import annotations

from dataclasses import dataclass

from opswall.config.models import Screen, WallConfig


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
        return {
            "w": self.width,
            "h": self.height,
            "x": x,
            "y": y,
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
    col0 = min(at.col for at in places.values())
    row0 = min(at.row for at in places.values())
    cols = max(at.col + at.w for at in places.values()) - col0
    rows = max(at.row + at.h for at in places.values()) - row0
    pw, ph = panels.resolution
    gx, gy = panels.gaps_px()

    def left(col: int) -> int:  # canvas x of the panel column `col` (0 is the span's first)
        return round(col * (pw + gx))

    def top(row: int) -> int:
        return round(row * (ph + gy))

    slices = tuple(
        Slice(sid, left(at.col - col0), top(at.row - row0), pw * at.w, ph * at.h)
        for sid, at in places.items()
    )
    width, height = left(cols - 1) + pw, top(rows - 1) + ph
    bezels = tuple(
        (left(c - 1) + pw, 0, left(c) - left(c - 1) - pw, height) for c in range(1, cols)
    ) + tuple((0, top(r - 1) + ph, width, top(r) - top(r - 1) - ph) for r in range(1, rows))
    return SpanGeometry(layout.id, width, height, (pw, ph), slices, bezels)


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
