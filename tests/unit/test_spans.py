"""The physical wall and layouts across screens (issue 23): config errors located in the YAML,
the canvas geometry, focus on a span, and configs without panels as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opswall.auth.principals import Principal
from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.config.spans import geometry_of, span_style
from opswall.control.actions import apply, parse_action
from opswall.control.state import Focus, WallState
from opswall.feeds.contract import FeedEntry
from opswall.gateway import protocol
from opswall.gateway.screens import Peer, Screens
from opswall.tiles import default_registry
from tests.conftest import FIXTURES, config_errors

SPANS = (FIXTURES / "spans.yaml").read_text(encoding="utf-8")


def errors(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    text = SPANS
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return config_errors(tmp_path, text)


def test_the_canvas_holds_the_panels_and_the_bezel_gaps_between_them() -> None:
    """640 px panels with 9.45 mm bezels at 1.89 mm a pixel: 10 px gaps; each screen's slice
    sits where its panel is, and the gaps are the bezels' places."""
    config = load_config(FIXTURES / "spans.yaml", default_registry())
    pair, quad = geometry_of(config, "pair"), geometry_of(config, "quad")
    assert pair is not None and quad is not None
    assert (pair.width, pair.height, pair.bezels) == (1290, 360, ((640, 0, 10, 360),))
    assert (quad.width, quad.height) == (1290, 730)
    assert [(s.screen, s.x, s.y) for s in quad.slices] == [
        ("nw", 0, 0),
        ("ne", 650, 0),
        ("sw", 0, 370),
        ("se", 650, 370),
    ]
    assert quad.bezels == ((640, 0, 10, 730), (0, 360, 1290, 10))
    assert span_style(quad.wire("se"))["translate"] == "-650px -370px"
    assert geometry_of(config, "nw") is None  # a layout on one screen


# The 2 x 2 wall made 2 x 3: the east screens each drive two panels as one desktop.
WIDE_EAST = (
    ("    cols: 2\n", "    cols: 3\n"),
    ("panels: {col: 2, row: 1}", "panels: {col: 2, row: 1, w: 2}"),
    ("panels: {col: 2, row: 2}", "panels: {col: 2, row: 2, w: 2}"),
)


def edited(tmp_path: Path, *edits: tuple[str, str]) -> WallConfig:
    text = SPANS
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "wall_config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, default_registry())


def test_a_screen_driving_two_panels_as_one_desktop_joins_a_span(tmp_path: Path) -> None:
    """Its slice is both panels edge to edge (its OS draws across the bezel inside it); the
    canvas skips only the bezels between screens. Refused before ("a span's screens drive one
    panel each")."""
    config = edited(tmp_path, *WIDE_EAST)
    pair, quad = geometry_of(config, "pair"), geometry_of(config, "quad")
    assert pair is not None and quad is not None
    assert (pair.width, pair.height, pair.bezels) == (1930, 360, ((640, 0, 10, 360),))
    assert [(s.screen, s.x, s.y, s.w, s.h) for s in quad.slices] == [
        ("nw", 0, 0, 640, 360),
        ("ne", 650, 0, 1280, 360),
        ("sw", 0, 370, 640, 360),
        ("se", 650, 370, 1280, 360),
    ]
    assert quad.bezels == ((640, 0, 10, 730), (0, 360, 1930, 10))
    assert quad.wire("se") == {
        "w": 1930, "h": 730, "x": 650, "y": 370, "sw": 1280, "sh": 360, "pw": 640, "ph": 360
    }  # fmt: skip
    ne = config.screen("ne")
    assert ne is not None and config.hardware_of(ne).resolution == (1280, 360)


def test_a_bezel_line_between_screens_in_one_row_and_inside_a_desktop_in_another(
    tmp_path: Path,
) -> None:
    """The canvas cannot both skip a bezel line and draw across it: the screens' edges must
    line up along it."""
    found = errors(
        tmp_path,
        *WIDE_EAST[:2],
        ("panels: {col: 1, row: 2}", "panels: {col: 1, row: 2, w: 2}"),
        ("panels: {col: 2, row: 2}", "panels: {col: 3, row: 2}"),
    )
    assert found == [
        "wall_config.yaml:37:11: screens[5].span: a column of bezels runs between two screens "
        "in one place and inside one screen's desktop in another: line the screens' edges up "
        "along it"
    ]


def test_a_screen_covering_panels_that_do_not_exist(tmp_path: Path) -> None:
    """A screen's panels outside the wall's grid are refused at that screen's `panels`."""
    assert errors(tmp_path, ("panels: {col: 2, row: 2}", "panels: {col: 3, row: 2}")) == [
        "wall_config.yaml:22:67: screens[3].panels: covers panels at row 2, col 3, outside "
        "the 2x2 panels of wall.panels"
    ]


def test_two_screens_on_one_panel(tmp_path: Path) -> None:
    """A panel is driven by one screen: the second is refused, naming the first."""
    assert errors(tmp_path, ("panels: {col: 2, row: 2}", "panels: {col: 2, row: 1}")) == [
        "wall_config.yaml:22:67: screens[3].panels: panel (row 1, col 2) is already driven by "
        "screen 'ne'"
    ]


def test_a_span_of_screens_that_are_not_adjacent(tmp_path: Path) -> None:
    """A span's screens fill a rectangle of panels; diagonal ones do not."""
    found = errors(tmp_path, ("span: [nw, ne]", "span: [nw, se]"))
    assert found[0] == (
        "wall_config.yaml:26:11: screens[4].span: screens 'nw', 'se' are not adjacent: their "
        "panels do not fill a rectangle"
    )


def test_a_scene_showing_a_span_without_one_of_its_screens(tmp_path: Path) -> None:
    """A scene puts a span on all of its screens, and on none other."""
    edit = ("show: {nw: pair, ne: pair}", "show: {nw: pair, sw: pair}")
    assert errors(tmp_path, edit) == [
        "wall_config.yaml:43:54: scenes[0].show: shows span 'pair' without its screen 'ne'",
        "wall_config.yaml:43:65: scenes[0].show.sw: shows span 'pair' on 'sw', not one of its "
        "screens",
    ]


def test_a_takeover_cutting_a_span(tmp_path: Path) -> None:
    """A takeover that names its screens names all of a span's the scene shows, or none."""
    rule = (
        "rules:\n  - {id: hot, feed: load, above: 1, message: Hot,"
        " takeover: {scene: quad, screens: [nw, ne]}}\n"
    )
    found = errors(tmp_path, ("scenes:\n", rule + "scenes:\n"))
    assert len(found) == 1
    assert found[0].endswith(
        "rules[0].takeover.screens: shows span 'quad' without its screens 'se', 'sw'"
    )


def test_a_span_is_a_layout_and_needs_the_physical_wall(tmp_path: Path) -> None:
    """A span is declared on a layout (display: false) of a wall whose panels are described."""
    assert errors(tmp_path, ("    display: false\n    span: [nw, ne]", "    span: [nw, ne]")) == [
        "wall_config.yaml:25:11: screens[4].span: a span is a layout, not a physical screen: "
        "give it display: false"
    ]
    no_panels = SPANS[SPANS.index("  panels:\n") : SPANS.index("feeds:")]
    found = errors(tmp_path, (no_panels, ""))
    assert found[0] == (
        "wall_config.yaml:13:67: screens[0].panels: needs wall.panels (the physical wall's panels)"
    )
    assert found[-1].endswith("screens[5].span: needs wall.panels (the physical wall's panels)")


def test_panels_give_a_screen_its_size() -> None:
    """A screen driving a panel has the panel's resolution and picture width (the legibility
    check reads them); a span is judged at one panel's pitch."""
    config = load_config(FIXTURES / "spans.yaml", default_registry())
    nw, pair = config.screen("nw"), config.screen("pair")
    assert nw is not None and pair is not None
    assert config.hardware_of(nw).resolution == (640, 360)
    assert config.hardware_of(nw).mm_per_px() == 1209.6 / 640
    assert config.hardware_of(pair).mm_per_px() == 1209.6 / 640


def test_a_focus_on_a_span_enlarges_its_tile_on_every_screen_of_it() -> None:
    """Enlarging a span's tile from one of its screens enlarges it over the whole span; a second
    tap, or unfocus on any of them, returns all of them."""
    config = load_config(FIXTURES / "spans.yaml", default_registry())
    focus = {"action": "focus", "screen": "ne", "layout": "quad", "tile": "chart4"}
    state = apply(WallState(), parse_action(focus), "t", config, 0)
    assert state.focus == {s: Focus("quad", "chart4") for s in ("nw", "ne", "sw", "se")}
    back = apply(state, parse_action({"action": "unfocus", "screen": "sw"}), "t", config, 0)
    assert back.focus == {}
    again = apply(state, parse_action(focus), "t", config, 0)
    assert again.focus == {}
    alone = {"action": "focus", "screen": "nw", "layout": "nw", "tile": "nw-load"}
    assert apply(WallState(), parse_action(alone), "t", config, 0).focus == {
        "nw": Focus("nw", "nw-load")
    }


def test_live_frames_carry_one_apply_instant_for_every_screen() -> None:
    """The gateway stamps a live batch with the instant to apply it (read time + the margin),
    the same in every group's frame; pings are echoed with its clock, bad ones refused."""
    screens: Screens[str] = Screens()
    for name, feeds in (("nw", {"load"}), ("ne", {"load", "other"})):
        screens.add(Peer(name, name, Principal("device:x", "viewer"), frozenset(feeds), ready=True))
    entry = FeedEntry("1-0", 1, {"value": 1})
    assert screens.publish([("load", entry)], 5000) == 0
    frames = [json.loads(frame) for _, frame in screens.take_outbox()]
    assert len(frames) == 2
    assert {frame["at"] for frame in frames} == {5000 + protocol.APPLY_MARGIN_MS}
    assert "at" not in json.loads(protocol.data_frame([("load", entry)]))  # snapshots: at once
    ping = protocol.parse_client_frame('{"type": "ping", "t": 1234.5}')
    assert ping == protocol.Ping(1234.5)
    assert json.loads(protocol.pong_frame(ping, 99)) == {"type": "pong", "t": 1234.5, "now": 99}
    for bad in ('{"type": "ping"}', '{"type": "ping", "t": true}', '{"type": "ping", "t": -1}'):
        with pytest.raises(protocol.ProtocolError):
            protocol.parse_client_frame(bad)
