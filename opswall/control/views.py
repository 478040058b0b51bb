"""What one screen shows, from the wall state, the config and the time. Pure and deterministic:
every gateway replica and the web process compute the same view, so no process owns the clock.

Precedence: an alert takeover, then a leader's focus, then the held scene, then the screen's
rotation (frozen while paused), then the wall's default scene, then the screen's own layout.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from opswall.config.models import Screen, WallConfig
from opswall.control.state import WallState

Mode = Literal["normal", "focus", "takeover"]


@dataclass(frozen=True)
class View:
    screen: str
    layout: str
    scene: str | None = None
    focus: str | None = None  # a tile of `layout`, enlarged to the whole screen
    vars: dict[str, Any] = field(default_factory=dict)
    takeover: str | None = None  # the warning that took this screen over
    source: str = "own"  # takeover | focus | held | rotation | default | own

    @property
    def key(self) -> str:
        """Changes exactly when the page must be re-rendered."""
        parts = [self.layout, self.focus, self.vars, self.takeover, self.scene]
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]

    @property
    def mode(self) -> Mode:
        """How the screen presents itself: a takeover outranks a focus."""
        return "takeover" if self.takeover else ("focus" if self.focus else "normal")

    @property
    def badges(self) -> dict[str, bool]:
        """The header badges the view calls for, by their `data-role`. Decided here once: the
        page's first render and the client's local switch (sent in `wire`) both apply it."""
        return {
            "takeover-badge": self.takeover is not None,
            "focus-badge": self.mode == "focus",
            "scene-badge": self.scene is not None,
        }

    def wire(self) -> dict[str, Any]:
        return {**asdict(self), "key": self.key, "mode": self.mode, "badges": self.badges}


def rotation_scene(screen: Screen, state: WallState, now_ms: int) -> str | None:
    if not screen.rotation:
        return None
    at = state.paused_at_ms if state.paused_at_ms is not None else now_ms
    dwells = [int(step.dwell * 1000) for step in screen.rotation]
    position = (at - state.rotation_epoch_ms) % sum(dwells)
    for step, dwell in zip(screen.rotation, dwells, strict=True):
        if position < dwell:
            return step.scene
        position -= dwell
    return screen.rotation[-1].scene


def _scene_view(config: WallConfig, screen: Screen, scene_id: str, source: str) -> View:
    scene = config.scene(scene_id)
    if scene is None:  # the scene left the config: fall back to the screen's own layout
        return View(screen.id, screen.id)
    return View(
        screen.id,
        scene.show.get(screen.id, screen.id),
        scene.id,
        None,
        dict(scene.vars),
        None,
        source,
    )


def view_of(config: WallConfig, screen: Screen, state: WallState, now_ms: int) -> View:
    for warning in state.warnings:
        if warning.takes_over(screen.id, now_ms) and warning.scene:
            view = _scene_view(config, screen, warning.scene, "takeover")
            return replace(view, takeover=warning.id)
    if state.scene is not None:
        base = _scene_view(config, screen, state.scene, "held")
    elif (rotating := rotation_scene(screen, state, now_ms)) is not None:
        base = _scene_view(config, screen, rotating, "rotation")
    elif config.wall.default_scene:
        base = _scene_view(config, screen, config.wall.default_scene, "default")
    else:
        base = View(screen.id, screen.id)
    vars_ = {**base.vars, **state.vars}
    focus = state.focus.get(screen.id)
    layout = config.screen(focus.layout) if focus else None
    if focus and layout is not None and layout.tile(focus.tile) is not None:
        return View(screen.id, focus.layout, base.scene, focus.tile, vars_, None, "focus")
    return View(screen.id, base.layout, base.scene, None, vars_, None, base.source)


def all_views(config: WallConfig, state: WallState, now_ms: int) -> dict[str, View]:
    return {s.id: view_of(config, s, state, now_ms) for s in config.displays()}


def candidate_layouts(config: WallConfig, screen: Screen) -> list[str]:
    """Every layout a screen may show from a scene (its own first): the page carries them all,
    so a scene switch is a local change in the browser, not a round trip."""
    layouts = [screen.id]
    for scene in config.scenes:
        layout = scene.show.get(screen.id, screen.id)
        if layout not in layouts and config.screen(layout) is not None:
            layouts.append(layout)
    return layouts
