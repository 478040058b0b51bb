"""What the studio page draws: every layout with its grid, aspect ratio and tiles. Pure."""

from __future__ import annotations

from typing import Any

from opswall.config.models import Locale, Screen, TileBase, WallConfig
from opswall.config.primitives import format_duration
from opswall.config.spans import span_geometry
from opswall.studio.palette import is_duration

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
        # Dwells as the file writes a duration ("40s", "1h30m"), never as seconds.
        "rotation": [
            {"scene": step.scene, "dwell": format_duration(step.dwell)} for step in screen.rotation
        ],
        "tiles": [
            {
                "id": tile.id,
                "type": tile.type,
                "title": tile.title.get(locale) if tile.title else "",
                "at": tile.at.model_dump(),
                "options": _options(tile),
            }
            for tile in screen.tiles
        ],
    }


def _options(tile: TileBase) -> dict[str, Any]:
    """What the file sets (defaults left out), for the options form to start from; durations
    as the file writes them (`10m`), not as the model's seconds."""
    options = tile.model_dump(mode="json", by_alias=True, include=tile.model_fields_set - PLACED)
    for name, info in type(tile).model_fields.items():
        key = info.alias or name
        if isinstance(options.get(key), int | float) and is_duration(info):
            options[key] = format_duration(options[key])
    return options


def scene_model(config: WallConfig, locale: Locale) -> list[dict[str, Any]]:
    """Each scene with the layout each display shows in it (a display not named: its own),
    its title in both languages and its vars."""
    return [
        {
            "id": scene.id,
            "title": scene.title.get(locale),
            "titles": {"vi": scene.title.get("vi"), "en": scene.title.get("en")},
            "show": dict(scene.show),
            "vars": dict(scene.vars),
        }
        for scene in config.scenes
    ]
