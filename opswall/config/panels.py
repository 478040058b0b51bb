"""The physical wall (issue 23): a grid of identical flat panels, each with its resolution, its
visible area and its bezels, and which panels each physical screen (one browser) drives.

Only spans read it: a layout declared on several adjacent screens covers their joint canvas,
and the canvas keeps the pixels that would lie behind the bezels (drawn by nobody), so a straight
line crossing a bezel stays straight, as wall controllers do.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from opswall.config.hardware import Resolution
from opswall.config.primitives import Frozen


class VisibleArea(Frozen):
    """The lit picture of one panel, in millimetres (e.g. 1209.6 x 680.4 for a 55" panel)."""

    width: float = Field(gt=50, le=20_000)
    height: float = Field(gt=50, le=20_000)


class Bezels(Frozen):
    """The frame around one panel's picture, in millimetres, on each side."""

    left: float = Field(0.0, ge=0, le=500)
    right: float = Field(0.0, ge=0, le=500)
    top: float = Field(0.0, ge=0, le=500)
    bottom: float = Field(0.0, ge=0, le=500)


def _every_side(value: Any) -> Any:
    """`bezel_mm: 1.75` is the same width on all four sides."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"left": value, "right": value, "top": value, "bottom": value}
    return value


class Panels(Frozen):
    """`wall.panels`: rows x cols identical panels."""

    rows: int = Field(ge=1, le=32)
    cols: int = Field(ge=1, le=32)
    resolution: Resolution = (1920, 1080)
    visible_mm: VisibleArea
    bezel_mm: Annotated[Bezels, BeforeValidator(_every_side)] = Bezels()

    def pitch_mm(self) -> tuple[float, float]:
        """The size of one pixel on the glass, across and down."""
        width, height = self.resolution
        return self.visible_mm.width / width, self.visible_mm.height / height

    def gaps_px(self) -> tuple[float, float]:
        """The bezels between two neighbours (one's right and the other's left, one's bottom
        and the other's top) in pixels of the panels' own pitch: what the canvas skips."""
        pitch_x, pitch_y = self.pitch_mm()
        bezel = self.bezel_mm
        return (bezel.right + bezel.left) / pitch_x, (bezel.bottom + bezel.top) / pitch_y
