"""What one screen shows, from the wall state, the config and the time. Pure and deterministic:
every gateway replica and the web process compute the same view, so no process owns the clock.

Precedence: an alert takeover, then a leader's focus, then the held scene, then the screen's
schedule (issue 21), then its rotation (frozen while paused), then the wall's default scene,
then the screen's own layout.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from opswall.config.models import WEEKDAYS, ScheduleWindow, Screen, WallConfig
from opswall.control.state import WallState

Mode = Literal["normal", "focus", "takeover"]


@dataclass(frozen=True)
class Care:
    """What the page does against burn-in now: move the canvas by (dx, dy) px, dim it."""

    dx: int = 0
    dy: int = 0
    dim: float = 1.0


SHIFTS = ((0, 0), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))


def care_of(config: WallConfig, now_ms: int) -> Care:
    """The canvas moves one step of a small square every `shift_every`, and is dimmed while
    the night window is open: the same on every screen at the same time."""
    care = config.wall.care
    step = SHIFTS[(now_ms // max(1, int(care.shift_every * 1000))) % len(SHIFTS)]
    dim = 1.0
    if care.night_from and care.night_to:
        local = wall_time(config, now_ms)
        if _open(care.night_from, care.night_to, local.hour * 60 + local.minute):
            dim = care.night_dim
    return Care(step[0] * care.shift_px, step[1] * care.shift_px, dim)


def _open(start: str, end: str, minute: int) -> bool:
    """Whether a daily window is open at `minute` (past midnight when `end` is not after)."""
    a, b = _minutes(start), _minutes(end)
    return a <= minute < b if a < b else (minute >= a or minute < b)


@dataclass(frozen=True)
class View:
    screen: str
    layout: str
    scene: str | None = None
    focus: str | None = None  # a tile of `layout`, enlarged to the whole screen
    vars: dict[str, Any] = field(default_factory=dict)
    takeover: str | None = None  # the warning that took this screen over
    source: str = "own"  # takeover | focus | held | schedule | rotation | default | own
    care: Care = field(default_factory=lambda: Care())  # burn-in care: not part of the key
    preview: str | None = None  # a studio draft shown here instead of the file (issue 20)

    @property
    def key(self) -> str:
        """Changes exactly when the page must be re-rendered."""
        parts: list[Any] = [self.layout, self.focus, self.vars, self.takeover, self.scene]
        if self.preview:  # only then: no other screen's key moves when a preview starts
            parts.append(self.preview)
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


def wall_time(config: WallConfig, now_ms: int) -> datetime:
    return datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(ZoneInfo(config.wall.timezone))


def scheduled(screen: Screen, local: datetime, mode: bool) -> ScheduleWindow | None:
    """The first of the screen's schedule windows open at `local` (the wall's clock) that sets
    a mode (`mode`) or a scene (not `mode`), or None."""
    minute = local.hour * 60 + local.minute
    today, yesterday = WEEKDAYS[local.weekday()], WEEKDAYS[local.weekday() - 1]
    for window in screen.schedule:
        if (window.mode is not None) != mode or not _open(window.start, window.end, minute):
            continue
        overnight = _minutes(window.end) <= _minutes(window.start)
        began = yesterday if overnight and minute < _minutes(window.end) else today
        if began in window.days:
            return window
    return None


def screen_care(config: WallConfig, view: View, screen: Screen, care: Care, now_ms: int) -> Care:
    """The wall's care, darker where the screen's schedule dims it or turns it off; a
    leader's scene or focus, or a takeover, wins over the schedule."""
    if not screen.schedule or view.source in ("takeover", "focus", "held"):
        return care
    window = scheduled(screen, wall_time(config, now_ms), mode=True)
    if window is None:
        return care
    dim = 0.0 if window.mode == "off" else min(care.dim, config.wall.care.night_dim)
    return replace(care, dim=dim)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


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


def preview_rev(rev: str, view: View) -> str:
    """The layout revision a view's page carries: a previewed draft's is its own, so the page
    re-renders when the preview starts and ends (`followView` compares revisions)."""
    return f"{rev}~{view.preview}" if view.preview else rev


def view_of(config: WallConfig, screen: Screen, state: WallState, now_ms: int) -> View:
    view = _view(config, screen, state, now_ms)
    draft = state.previews.get(screen.id)
    return replace(view, preview=draft) if draft else view


def _view(config: WallConfig, screen: Screen, state: WallState, now_ms: int) -> View:
    for warning in state.warnings:
        if warning.takes_over(screen.id, now_ms) and warning.scene:
            view = _scene_view(config, screen, warning.scene, "takeover")
            return replace(view, takeover=warning.id)
    window = scheduled(screen, wall_time(config, now_ms), mode=False) if screen.schedule else None
    if state.scene is not None:
        base = _scene_view(config, screen, state.scene, "held")
    elif window is not None and window.scene is not None:
        base = _scene_view(config, screen, window.scene, "schedule")
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
    care, views = care_of(config, now_ms), {}
    for screen in config.displays():
        view = view_of(config, screen, state, now_ms)
        views[screen.id] = replace(view, care=screen_care(config, view, screen, care, now_ms))
    return views


def candidate_layouts(config: WallConfig, screen: Screen) -> list[str]:
    """Every layout a screen may show from a scene (its own first): the page carries them all,
    so a scene switch is a local change in the browser, not a round trip."""
    layouts = [screen.id]
    for scene in config.scenes:
        layout = scene.show.get(screen.id, screen.id)
        if layout not in layouts and config.screen(layout) is not None:
            layouts.append(layout)
    return layouts
