"""A draft's tiles against the legibility rule (issue 20, part 2), cheaply, with no browser:
a tile whose biggest possible figure cannot reach the rule's minimum angle from the wall's
viewing distance is too small whatever its font, and is named, located in the draft's text.

An upper bound, so never a false alarm: a figure's capitals are taken as `CAP_SHARE` of the
tile's height (a figure's font is at most about half its tile, its title and age share the
rest, and capitals are about 0.7 of the font), ignoring the header. What the browser measures
(`opswall check --render`) stays the full judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opswall.config.models import Screen, WallConfig
from opswall.config.yaml_source import load_yaml
from opswall.legibility.rules import MINIMUM, arcmin

CAP_SHARE = 0.35


@dataclass(frozen=True)
class Small:
    """A tile too small to be read from the wall's viewing distance."""

    line: int
    column: int
    path: str
    message: str


def too_small(config: WallConfig, text: str, path: Path) -> list[Small]:
    """The tiles of the draft's physical screens whose figure cannot be read from the wall's
    viewing distance (none when the wall does not say its size and distance)."""
    distance = config.wall.viewing_distance
    if distance is None:
        return []
    _, source = load_yaml(text, path.name)
    found = []
    for index, screen in enumerate(config.screens):
        for j, tile_id, angle in _small_tiles(config, screen, float(distance)):
            where = ("screens", index, "tiles", j)
            mark = source.value_mark(where)
            message = (
                f"tile '{tile_id}' is too small to be read from {float(distance) / 1000:g} m: "
                f"its figure can subtend at most {angle:.1f}', a figure needs "
                f"{MINIMUM['figure']:g}' (make it taller)"
            )
            found.append(Small(mark.line, mark.column, f"screens[{index}].tiles[{j}]", message))
    return found


def _small_tiles(
    config: WallConfig, screen: Screen, distance_mm: float
) -> list[tuple[int, str, float]]:
    """(index, tile id, the largest angle its capitals can subtend) of the tiles below the bar."""
    if not screen.display:
        return []
    hardware = config.hardware_of(screen)
    mm_per_px = hardware.mm_per_px()
    if mm_per_px is None:
        return []
    cell_px = hardware.resolution[1] / screen.grid.rows
    small = []
    for j, tile in enumerate(screen.tiles):
        angle = arcmin(tile.at.h * cell_px * CAP_SHARE * mm_per_px, distance_mm)
        if angle < MINIMUM["figure"]:
            small.append((j, tile.id, angle))
    return small
