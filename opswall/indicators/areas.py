"""The areas a report may name: `national`, or a province code of the bundled map shapes (the
same codes the map tiles colour, so a figure always lands on a shape)."""

from __future__ import annotations

import functools
import json

from opswall.tiles.internal import ASSETS

NATIONAL = "national"
MAX_AREA = 16


@functools.cache
def province_codes() -> frozenset[str]:
    """Every feature id of every shape file under opswall/assets/geo/ (read once)."""
    codes: set[str] = set()
    for path in sorted((ASSETS / "geo").glob("*.geojson")):
        shapes = json.loads(path.read_text(encoding="utf-8"))
        codes |= {str(f["id"]) for f in shapes.get("features", []) if "id" in f}
    return frozenset(codes)


def area_problem(area: str) -> str | None:
    """Why `area` names no area, or None."""
    if area == NATIONAL:
        return None
    if len(area) > MAX_AREA or area not in province_codes():
        shown = area[:MAX_AREA] + ("..." if len(area) > MAX_AREA else "")
        return f"area: {shown!r} is not '{NATIONAL}' or a province code of the map's shapes"
    return None
