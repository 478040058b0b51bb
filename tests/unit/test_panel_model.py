"""What the leader's panel is built from: every tile has a name a leader can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.auth.principals import Principal
from opswall.config.loader import load_config
from opswall.tiles import default_registry
from opswall.web.panel import panel_model

DEMO = Path(__file__).parents[2] / "wall_config.yaml"


@pytest.mark.parametrize(
    ("locale", "clock", "text", "video"),
    [("vi", "Đồng hồ", "Văn bản: ", "Video: Camera"), ("en", "Clock", "Text: ", "Video: ")],
)
def test_untitled_tiles_are_named_in_the_panels_language(
    locale: str, clock: str, text: str, video: str
) -> None:
    """A clock, a text, a picture and a camera with no title are named in the panel's language
    (with what they say or show), never by their type's code name."""
    config = load_config(DEMO, default_registry())
    model = panel_model(config, Principal("admin", "admin", True), locale)  # type: ignore[arg-type]
    names = {t["type"]: [] for layout in model["layouts"].values() for t in layout["tiles"]}
    for layout in model["layouts"].values():
        for tile in layout["tiles"]:
            names[tile["type"]].append(tile["title"])
    assert clock in names["clock"]
    assert any(name.startswith(text) and len(name) > len(text) for name in names["text"])
    assert any(name.startswith(video) for name in names["video"])
    assert all(
        name not in {"clock", "text", "video", "image"}
        for found in names.values()
        for name in found
    )


def test_the_signed_in_role_is_named_in_the_panels_language() -> None:
    """The panel shows who is signed in with their role in words, never a code name."""
    config = load_config(DEMO, default_registry())
    vi = panel_model(config, Principal("minh", "leader", False), "vi")
    en = panel_model(config, Principal("minh", "admin", False), "en")
    assert (vi["user"]["role_name"], en["user"]["role_name"]) == ("lãnh đạo", "admin")
