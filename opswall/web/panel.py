"""The model the leader's panel is built from: screens, layouts, scenes and the drill-down map.

Tiles a person without clearance may not see are left out here too, not only on the wall.
"""

from __future__ import annotations

import re
from typing import Any

from opswall.auth.principals import Principal
from opswall.config.models import Locale, Screen, TileBase, WallConfig
from opswall.config.spans import span_geometry
from opswall.i18n import PAGES, catalog, tile_type_name
from opswall.tiles.alerts import AlertsTile
from opswall.tiles.conference import ConferenceTile

DEFAULT_SHAPES = "geo/vn-34.geojson"
DRILL_VAR = "province"


def _shapes(config: WallConfig) -> str:
    """The province shapes of the first map that follows the drill-down variable."""
    for screen in config.screens:
        for tile in screen.tiles:
            if tile.type == "map" and tile.follows == DRILL_VAR:
                return str(getattr(tile, "shapes", DEFAULT_SHAPES))
    return DEFAULT_SHAPES


def _fallback_title(config: WallConfig, tile: TileBase, locale: Locale) -> str:
    """What the wall itself would title an untitled tile: its first feed's label; else what
    the tile is, in the panel's language, and what it says or shows."""
    bindings = tile.bindings()
    if bindings:
        return config.feed(bindings[0][1].feed).label.get(locale)
    name = tile_type_name(tile.type, locale)
    said = _what_it_says(config, tile, locale)
    return f"{name}: {said}" if said else name


def _what_it_says(config: WallConfig, tile: TileBase, locale: Locale) -> str:
    """The start of a text tile's words, or the site a video tile plays."""
    markdown = getattr(tile, "markdown", None)
    if markdown is not None:
        words = re.sub(r"[*_#`>\[\]()]+", "", markdown.get(locale)).split()
        excerpt = " ".join(words[:6])
        return excerpt if len(words) <= 6 else excerpt + "…"
    site = config.site(getattr(tile, "site", None) or "")
    if site is not None:
        return site.name.get(locale)
    alt = getattr(tile, "alt", None)
    return alt.get(locale) if alt is not None else ""


def _conferences(config: WallConfig, locale: Locale) -> list[dict[str, Any]]:
    """One entry per pair of scene variables conference tiles listen to, with their sites."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for screen in config.screens:
        for tile in screen.tiles:
            if not isinstance(tile, ConferenceTile):
                continue
            large_var, audio_var = tile.large_var, tile.audio_var
            entry = found.setdefault(
                (large_var, audio_var),
                {"large_var": large_var, "audio_var": audio_var, "sites": []},
            )
            wanted = tile.sites or tuple(site.id for site in config.sites)
            for site_id in wanted:
                site = config.site(site_id)
                if site is not None and all(s["id"] != site_id for s in entry["sites"]):
                    entry["sites"].append({"id": site.id, "name": site.name.get(locale)})
    return list(found.values())


def _alert_feeds(config: WallConfig) -> dict[str, str]:
    """Feed -> the field carrying its whole list, for every feed an alerts tile reads: the
    panel lists what those tiles show (the gateway sends it their entries)."""
    return {
        tile.feed: tile.field
        for screen in config.screens
        for tile in screen.tiles
        if isinstance(tile, AlertsTile)
    }


def _span(config: WallConfig, layout: Screen) -> dict[str, Any] | None:
    """A span layout's canvas and each screen's slice of it: each screen's card shows its part
    (issue 23)."""
    geometry = span_geometry(config, layout)
    if geometry is None:
        return None
    slices = {s.screen: [s.x, s.y, s.w, s.h] for s in geometry.slices}
    return {"w": geometry.width, "h": geometry.height, "slices": slices}


def role_name(role: str, locale: Locale) -> str:
    """A role in words of the page's language (the operator pages' names), else as stored."""
    return PAGES.get(f"role_{role}", {}).get(locale, role)


def panel_model(config: WallConfig, who: Principal, locale: Locale) -> dict[str, Any]:
    def title(text: Any, fallback: str) -> str:
        return text.get(locale) if text is not None else fallback

    layouts = {
        screen.id: {
            "title": screen.title.get(locale),
            "grid": {"cols": screen.grid.cols, "rows": screen.grid.rows},
            "tiles": [
                {
                    "id": tile.id,
                    "type": tile.type,
                    "title": title(tile.title, _fallback_title(config, tile, locale)),
                    "at": tile.at.model_dump(),
                }
                for tile in screen.tiles
                if who.clearance or not config.is_restricted(tile)
            ],
            "span": _span(config, screen),
        }
        for screen in config.screens
    }
    return {
        "locale": locale,
        "messages": catalog(locale),
        "wall": config.wall.name.get(locale),
        "tz": config.wall.timezone,
        "displays": [
            {"id": s.id, "title": s.title.get(locale), "rotates": bool(s.rotation)}
            for s in config.displays()
        ],
        "layouts": layouts,
        "scenes": [
            {"id": s.id, "title": s.title.get(locale), "show": s.show, "vars": s.vars}
            for s in config.scenes
        ],
        "shapes": f"/assets/{_shapes(config)}",
        "drill_var": DRILL_VAR,
        "conferences": _conferences(config, locale),
        "alert_feeds": _alert_feeds(config),
        "user": {"name": who.name, "role": who.role, "role_name": role_name(who.role, locale)},
    }
