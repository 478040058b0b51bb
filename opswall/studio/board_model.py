"""What the studio page draws: every layout with its grid, aspect ratio and tiles. Pure."""

from __future__ import annotations

from typing import Any

from opswall.config.models import Locale, Screen, WallConfig
from opswall.config.spans import span_geometry

PLACED = {"id", "type", "at"}


def board_model(config: WallConfig, locale: Locale) -> list[dict[str, Any]]:
    """Each layout (physical screen or layout-only) as the studio's script reads it."""
    return [_layout(config, screen, locale) for screen in config.screens]


def _layout(config: WallConfig, screen: Screen, locale: Locale) -> dict[str, Any]:
    width, height = config.hardware_of(screen).resolution
    span = span_geometry(config, screen)
    if span is not None:  # a span (issue 23): its whole canvas, and where its bezels run
        width, height = span.width, span.height
    return {
        "id": screen.id,
        "title": screen.title.get(locale),
        "display": screen.display,
        "aspect": [width, height],
        "bezels": [[x / width, y / height, w / width, h / height] for x, y, w, h in span.bezels]
        if span
        else [],
        "grid": {"cols": screen.grid.cols, "rows": screen.grid.rows},
        "tiles": [
            {
                "id": tile.id,
                "type": tile.type,
                "title": tile.title.get(locale) if tile.title else "",
                "at": tile.at.model_dump(),
                # What the file sets (defaults left out), for the options form to start from.
                "options": tile.model_dump(
                    mode="json", by_alias=True, include=tile.model_fields_set - PLACED
                ),
            }
            for tile in screen.tiles
        ],
    }


def scene_model(config: WallConfig, locale: Locale) -> list[dict[str, Any]]:
    """Each scene with the layout each display shows in it (a display not named: its own)."""
    return [
        {"id": scene.id, "title": scene.title.get(locale), "show": dict(scene.show)}
        for scene in config.scenes
    ]
