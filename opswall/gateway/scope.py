"""What a socket may see (issue 17, part 4): pure functions of the config and the wall state.

A screen's socket gets only the feeds of the layouts that screen can display under any scene
(its own, each scene's layout for it: held, default, rotation and takeover scenes alike),
intersected with its clearance. A rule on a classified feed is as classified as the feed: the
value that raised it is kept from uncleared panels and from the audit.
"""

from __future__ import annotations

from typing import Any

from opswall.config.models import WallConfig
from opswall.control.views import candidate_layouts


def layout_feeds(config: WallConfig, layout: str) -> frozenset[str]:
    screen = config.screen(layout)
    return frozenset(f.id for f in config.screen_feeds(screen)) if screen else frozenset()


def alert_feeds(config: WallConfig) -> frozenset[str]:
    """The feeds the wall's alerts tiles read: what a leader's panel lists as alerting on the
    wall, beside the rules' warnings (issue 18)."""
    return frozenset(
        binding.feed
        for screen in config.screens
        for tile in screen.tiles
        if tile.type == "alerts"
        for _, binding in tile.bindings()
    )


def screen_scopes(config: WallConfig) -> dict[str, frozenset[str]]:
    """Per display screen: every feed it can show under any scene (computed once per config)."""
    return {
        screen.id: frozenset().union(
            *(layout_feeds(config, layout) for layout in candidate_layouts(config, screen))
        )
        for screen in config.displays()
    }


def redact_state(state: dict[str, Any], secret_rules: frozenset[str]) -> dict[str, Any]:
    """The wall state as an uncleared person may read it: classified rules' values removed."""
    warnings = [
        {**w, "value": None} if w.get("rule") in secret_rules else w
        for w in state.get("warnings") or ()
    ]
    return {**state, "warnings": warnings}
