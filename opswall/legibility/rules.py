"""Whether a text on a screen can be read from where the wall is read: the rule, and the report.

The rule is the visual-angle one of display ergonomics: the height of a capital letter (H, no
accents) must subtend at least 16 minutes of arc at the reader's eye, 20 to 22 preferred
(ISO 9241-3 §5.4; NUREG-0700 rev. 2 §1.3.1-4, which converts as height = 2·D·tan(angle/2)).
ISO 9241-3 lets text whose reading is incidental be smaller, and sizes down to 10 minutes are
usable with good contrast. So a wall's figures (KPI values, gauges, clocks: what a leader reads
across the room) must reach 16' and should reach 20'; other text (titles, labels, ages, table
rows, axis ticks) must reach 10' and should reach 16'.

Pure: the browser measures, this judges and writes the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

MINIMUM = {"figure": 16.0, "text": 10.0}  # below: an error
PREFERRED = {"figure": 20.0, "text": 16.0}  # below: a warning


def arcmin(height_mm: float, distance_mm: float) -> float:
    """The angle (minutes of arc) an object `height_mm` high subtends from `distance_mm`."""
    return math.degrees(2 * math.atan(height_mm / (2 * distance_mm))) * 60


def height_for(minutes: float, distance_mm: float) -> float:
    """The height (mm) that subtends `minutes` of arc from `distance_mm`."""
    return 2 * distance_mm * math.tan(math.radians(minutes / 60) / 2)


@dataclass(frozen=True)
class TextSample:
    """Texts of one style in one tile (or the screen's header), as measured in the browser."""

    screen: str
    tile: str | None
    role: str  # "figure" or "text"
    example: str
    css_class: str
    font_px: float
    cap_px: float
    count: int = 1


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    location: str  # file:line:col of the tile (or the screen) in the YAML
    screen: str
    tile: str | None
    message: str
    ratio: float  # how far below its bar (1.0 = at it): the worst come first

    def __str__(self) -> str:
        where = f"tile {self.tile}" if self.tile else "header"
        return f"{self.location}: {self.severity}: {self.screen} {where}: {self.message}"


def judge(
    sample: TextSample, mm_per_px: float, distance_mm: float, location: str
) -> Finding | None:
    """A finding if `sample`'s capitals are below the bar for its role at that distance."""
    angle = arcmin(sample.cap_px * mm_per_px, distance_mm)
    minimum, preferred = MINIMUM[sample.role], PREFERRED[sample.role]
    if angle >= preferred:
        return None
    severity = "error" if angle < minimum else "warning"
    bar = minimum if severity == "error" else preferred
    needed_px = sample.font_px * bar / angle
    many = f" (and {sample.count - 1} more like it)" if sample.count > 1 else ""
    message = (
        f"'{sample.example}'{many} .{sample.css_class}: capitals {sample.cap_px:.0f} px = "
        f"{sample.cap_px * mm_per_px:.1f} mm subtend {angle:.1f}' from "
        f"{distance_mm / 1000:g} m; a {sample.role} needs {bar:g}' (font {sample.font_px:.0f} px, "
        f"needs {needed_px:.0f} px)"
    )
    return Finding(severity, location, sample.screen, sample.tile, message, angle / bar)


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity != "error", f.ratio))


@dataclass(frozen=True)
class ScreenSummary:
    screen: str
    resolution: str
    texts: int
    errors: int
    warnings: int
    cut: int
    smallest: str  # the smallest angle measured, e.g. "7.9'" (or "-" without a size)


def summary_table(rows: list[ScreenSummary]) -> str:
    """A plain-text table, one line per screen."""
    head = ("screen", "resolution", "texts", "errors", "warnings", "cut glyphs", "smallest")
    body = [
        (
            r.screen,
            r.resolution,
            str(r.texts),
            str(r.errors),
            str(r.warnings),
            str(r.cut),
            r.smallest,
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in [head, *body]
    ]
    return "\n".join(line.rstrip() for line in lines)
