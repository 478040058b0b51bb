"""The physical side of a wall: how large each screen is, and from how far it is read.

Only the legibility check (`opswall check --render`) reads these: a text's size on the glass
and the distance give the angle its capitals subtend at a reader's eye.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from opswall.config.primitives import Frozen

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|m|in|ft)\s*$")
_UNIT_MM = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}
_RESOLUTION = re.compile(r"^\s*(\d{3,5})\s*x\s*(\d{3,5})\s*$")


def parse_length(value: Any) -> float:
    """`"5m"`, `"450cm"`, `"16ft"` -> millimetres."""
    match = _LENGTH.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"'{value}' is not a length (use e.g. 5m, 450cm, 16ft)")
    millimetres = float(match.group(1)) * _UNIT_MM[match.group(2)]
    if not 100 <= millimetres <= 200_000:
        raise ValueError(f"'{value}' is not a viewing distance between 10 cm and 200 m")
    return millimetres


Length = Annotated[
    float,
    BeforeValidator(parse_length),
    WithJsonSchema({"type": "string", "format": "length", "examples": ["5m", "16ft"]}),
]


def parse_resolution(value: Any) -> tuple[int, int]:
    """`"1920x1080"` -> (1920, 1080)."""
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    match = _RESOLUTION.match(str(value))
    if not match:
        raise ValueError(f"'{value}' is not a resolution like 1920x1080")
    return int(match.group(1)), int(match.group(2))


Resolution = Annotated[
    tuple[int, int],
    BeforeValidator(parse_resolution),
    WithJsonSchema({"type": "string", "examples": ["1920x1080", "3840x2160"]}),
]


class Hardware(Frozen):
    """A physical screen: its resolution and its size (the diagonal, or the picture's width)."""

    resolution: Resolution = (1920, 1080)
    diagonal_in: float | None = Field(None, gt=5, le=1000, description="e.g. 55 (inches)")
    width_mm: float | None = Field(None, gt=50, le=20_000, description="the picture's width")

    @model_validator(mode="after")
    def _one_size(self) -> Hardware:
        if self.diagonal_in is not None and self.width_mm is not None:
            raise ValueError("give diagonal_in or width_mm, not both")
        return self

    def picture_width_mm(self) -> float | None:
        if self.width_mm is not None:
            return self.width_mm
        if self.diagonal_in is None:
            return None
        width, height = self.resolution  # square pixels: the picture has the resolution's shape
        return self.diagonal_in * 25.4 * width / math.hypot(width, height)

    def mm_per_px(self) -> float | None:
        """The size of one CSS pixel on the glass, at a device pixel ratio of 1."""
        picture = self.picture_width_mm()
        return None if picture is None else picture / self.resolution[0]
