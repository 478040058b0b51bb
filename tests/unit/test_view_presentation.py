"""How a view is presented (the screen's mode and its header badges) is decided once, with the
view (`control/views.py`): the page's first render reads it, and the gateway sends it with every
view so the client's local switch applies it rather than working it out again (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.control.actions import apply
from opswall.control.state import WallState
from opswall.control.views import View, view_of
from opswall.layouts.wall import _header
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"
T0 = 1_800_000_000_000


@pytest.fixture(scope="module")
def config() -> WallConfig:
    return load_config(FIXTURES / "session.yaml", default_registry())


def view(config: WallConfig, screen: str, *actions: dict[str, object]) -> View:
    state = WallState()
    for action in actions:
        state = apply(state, dict(action), "lena", config, T0)
    found = config.screen(screen)
    assert found is not None
    return view_of(config, found, state, T0)


def shown_badges(config: WallConfig, screen: str, of: View) -> dict[str, bool]:
    header = _header(config, config.screen(screen), of)  # type: ignore[arg-type]
    return {
        getattr(badge, "data-role"): not badge.hidden
        for badge in header.children
        if str(getattr(badge, "data-role", "")).endswith("-badge")
    }


def cases(config: WallConfig) -> dict[str, View]:
    storm = {"action": "raise", "rule": "storm", "warning": "storm:1-0", "value": 120}
    focus = {"action": "focus", "screen": "left", "layout": "main", "tile": "map"}
    return {
        "own": view(config, "main"),
        "held": view(config, "main", {"action": "scene", "scene": "disaster"}),
        "focus": view(config, "left", focus),
        "takeover": view(config, "main", storm),
    }


def test_each_view_says_its_mode_and_badges(config: WallConfig) -> None:
    """Own layout: no badge; a held scene: its badge; a focus: the focus badge; a takeover:
    the takeover badge (and the scene it brought), never the focus one."""
    found = {name: (v.mode, v.badges) for name, v in cases(config).items()}
    none = {"takeover-badge": False, "focus-badge": False, "scene-badge": False}
    assert found == {
        "own": ("normal", none),
        "held": ("normal", none | {"scene-badge": True}),
        "focus": ("focus", none | {"focus-badge": True}),
        "takeover": ("takeover", none | {"takeover-badge": True, "scene-badge": True}),
    }


def test_the_page_and_the_frame_present_a_view_alike(config: WallConfig) -> None:
    """The first render shows the badges the view names; the view frame carries them."""
    for name, presented in cases(config).items():
        screen = presented.screen
        assert shown_badges(config, screen, presented) == presented.badges, name
        wire = presented.wire()
        assert (wire["mode"], wire["badges"]) == (presented.mode, presented.badges), name
