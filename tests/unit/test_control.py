"""Wall state, actions, views and alert rules: the pure core of the leader's panel."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.control.actions import (
    LEADER_ACTIONS,
    SYSTEM_ACTIONS,
    ActionError,
    FocusAction,
    apply,
    parse_action,
)
from opswall.control.alert_rules import RuleEngine
from opswall.control.state import Focus, WallState
from opswall.control.views import all_views, view_of
from opswall.feeds.contract import FeedEntry
from opswall.tiles import default_registry
from tests.conftest import config_errors

FIXTURES = Path(__file__).parents[1] / "fixtures"
T0 = 1_800_000_000_000


@pytest.fixture(scope="module")
def config() -> WallConfig:
    return load_config(FIXTURES / "session.yaml", default_registry())


def act(state: WallState, config: WallConfig, now: int = T0, **action: object) -> WallState:
    return apply(state, dict(action), "lena", config, now)


def screen_view(config: WallConfig, state: WallState, screen: str, now: int = T0):  # type: ignore[no-untyped-def]
    found = config.screen(screen)
    assert found is not None
    return view_of(config, found, state, now)


def test_a_held_scene_puts_its_layouts_on_its_screens(config: WallConfig) -> None:
    state = act(WallState(), config, action="scene", scene="disaster")
    assert state.version == 1 and state.by == "lena" and state.scene == "disaster"
    view = screen_view(config, state, "main")
    assert (view.layout, view.scene, view.source) == ("disaster-layout", "disaster", "held")
    assert view.vars == {"province": "42"}
    released = act(state, config, action="release")
    assert screen_view(config, released, "main").layout == "main"


def test_unknown_names_are_refused(config: WallConfig) -> None:
    with pytest.raises(ActionError, match="unknown scene 'flood'"):
        act(WallState(), config, action="scene", scene="flood")
    with pytest.raises(ActionError, match="no tile 'nope' on 'main'"):
        act(WallState(), config, action="focus", screen="main", layout="main", tile="nope")
    with pytest.raises(ActionError, match="unknown screen 'economy-layout'"):
        act(WallState(), config, action="unfocus", screen="economy-layout")
    with pytest.raises(ActionError, match="unknown action 'explode'"):
        act(WallState(), config, action="explode")


def test_focus_enlarges_a_tile_and_a_second_tap_returns(config: WallConfig) -> None:
    focused = act(WallState(), config, action="focus", screen="left", layout="main", tile="map")
    view = screen_view(config, focused, "left")
    assert (view.layout, view.focus, view.source) == ("main", "map", "focus")
    assert screen_view(config, focused, "main").focus is None  # other screens unchanged
    back = act(focused, config, action="focus", screen="left", layout="main", tile="map")
    assert back.focus == {} and screen_view(config, back, "left").layout == "left"


def test_drill_down_sets_a_variable_over_the_scenes(config: WallConfig) -> None:
    state = act(WallState(), config, action="scene", scene="disaster")
    state = act(state, config, action="drill", var="province", value="01")
    assert screen_view(config, state, "main").vars == {"province": "01"}
    cleared = act(state, config, action="drill", var="province", value=None)
    assert screen_view(config, cleared, "main").vars == {"province": "42"}  # the scene's own


def test_rotation_follows_each_scenes_dwell_and_pauses(config: WallConfig) -> None:
    state = WallState(rotation_epoch_ms=T0)
    scenes = [screen_view(config, state, "side", T0 + ms).scene for ms in (0, 1400, 1600, 4400)]
    assert scenes == ["economy", "economy", "disaster", "disaster"]
    assert screen_view(config, state, "side", T0 + 4600).scene == "economy"  # 1.5 s + 3 s
    assert screen_view(config, state, "main", T0).scene is None  # main does not rotate
    paused = act(state, config, now=T0 + 1000, action="pause")
    assert screen_view(config, paused, "side", T0 + 9000).scene == "economy"  # frozen
    resumed = act(paused, config, now=T0 + 9000, action="resume")
    # The rotation goes on from where it stopped: 1.0 s into economy, so 0.4 s later still there.
    assert screen_view(config, resumed, "side", T0 + 9400).scene == "economy"
    assert screen_view(config, resumed, "side", T0 + 9600).scene == "disaster"
    held = act(resumed, config, action="scene", scene="overview")
    assert screen_view(config, held, "side", T0 + 9600).source == "held"


def test_a_rule_takes_over_until_acknowledged_once_per_episode(config: WallConfig) -> None:
    state = act(WallState(), config, action="raise", rule="storm", warning="storm:1-0", value=120)
    again = act(state, config, action="raise", rule="storm", warning="storm:2-0", value=130)
    assert again is state  # a second replica, or the next high value: same warning
    view = screen_view(config, state, "main")
    assert (view.layout, view.takeover, view.source) == ("disaster-layout", "storm:1-0", "takeover")
    assert screen_view(config, state, "left").takeover is None  # only the rule's screens
    focused = act(state, config, action="focus", screen="main", layout="main", tile="load")
    assert screen_view(config, focused, "main").source == "takeover"  # above a leader's focus
    acked = act(state, config, action="ack", warning="storm:1-0")
    assert acked.warnings[0].acked_by == "lena"
    assert screen_view(config, acked, "main").layout == "main"
    cleared = act(acked, config, action="clear", rule="storm")
    assert cleared.warnings == ()  # acknowledged and cleared: done


def test_state_survives_its_json_form(config: WallConfig) -> None:
    state = act(WallState(), config, action="raise", rule="storm", warning="storm:1-0", value=99)
    state = act(state, config, action="focus", screen="main", layout="left", tile="wind")
    state = act(state, config, action="drill", var="province", value="79")
    again = WallState.from_json(state.to_json())
    assert again == state and again.focus == {"main": Focus("left", "wind")}
    assert WallState.from_json(None) == WallState()


def test_every_display_gets_a_view(config: WallConfig) -> None:
    assert sorted(all_views(config, WallState(), T0)) == ["left", "main", "side"]


def entry(entry_id: str, asof: int, value: object) -> FeedEntry:
    return FeedEntry(entry_id, asof, {"value": value})


def test_threshold_rule_fires_on_crossing_and_clears_once(config: WallConfig) -> None:
    engine = RuleEngine(config)
    first = engine.observe("wind", entry("1-0", T0, 40))
    assert [t.kind for t in first] == ["clear"]  # the first judgement after a start
    assert engine.observe("wind", entry("2-0", T0 + 1000, 50)) == []
    raised = engine.observe("wind", entry("3-0", T0 + 2000, 95))
    assert [(t.kind, t.warning_id, t.value) for t in raised] == [("raise", "storm:3-0", 95.0)]
    assert engine.observe("wind", entry("4-0", T0 + 3000, 99)) == []
    assert [t.kind for t in engine.observe("wind", entry("5-0", T0 + 4000, 80))] == ["clear"]
    assert engine.observe("wind", entry("6-0", T0 + 5000, "n/a")) == []  # nothing to judge
    assert engine.observe("power_load", entry("7-0", T0, 1e9)) == []  # not its feed


def rules_config(tmp_path: Path, rule: str) -> WallConfig:
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    head = text.split("rules:\n")[0]
    path = tmp_path / "wall.yaml"
    path.write_text(head + "rules:\n" + rule, encoding="utf-8")
    return load_config(path, default_registry())


def test_rate_and_silence_rules(tmp_path: Path) -> None:
    rate = RuleEngine(
        rules_config(
            tmp_path,
            "  - {id: surge, feed: power_load, rate_above: 600, message: Surge}\n",
        )
    )
    assert rate.observe("power_load", entry("1-0", T0, 1000)) == []  # no rate from one value
    steady = rate.observe("power_load", entry("2-0", T0 + 60_000, 1500))  # 500 per minute
    assert [t.kind for t in steady] == ["clear"]
    surge = rate.observe("power_load", entry("3-0", T0 + 90_000, 2000))  # 1000 per minute
    assert [t.kind for t in surge] == ["raise"]
    silent = RuleEngine(
        rules_config(tmp_path, "  - {id: quiet, feed: wind, silent: 5, message: Silent}\n")
    )
    assert silent.check_silence(T0) == []  # never seen: nothing to judge
    silent.observe("wind", entry("1-0", T0, 10))
    assert silent.check_silence(T0 + 4000) == []
    assert [t.kind for t in silent.check_silence(T0 + 6000)] == ["raise"]
    assert silent.check_silence(T0 + 7000) == []
    assert [t.kind for t in silent.observe("wind", entry("2-0", T0 + 8000, 10))] == ["clear"]


def test_scene_references_are_checked_and_located(tmp_path: Path) -> None:
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    broken = (
        text.replace("{scene: disaster, dwell: 3s}", "{scene: flood, dwell: 3s}")
        .replace("show: {main: economy-layout,", "show: {mian: economy-layout,")
        .replace("screens: [main]}", "screens: [economy-layout]}")
    )
    assert config_errors(tmp_path, broken) == [
        "wall_config.yaml:27:17: screens[2].rotation[1].scene: unknown scene 'flood' "
        "(known: disaster, economy, overview)",
        "wall_config.yaml:47:12: scenes[0].show.mian: unknown screen 'mian' "
        "(known: left, main, side)",
        "wall_config.yaml:60:43: rules[0].takeover.screens[0]: unknown screen 'economy-layout' "
        "(known: left, main, side)",
    ]


def test_a_rule_needs_exactly_one_condition(tmp_path: Path) -> None:
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    broken = text.replace("    above: 90\n", "    above: 90\n    below: 10\n")
    assert config_errors(tmp_path, broken) == [
        "wall_config.yaml:55:5: rules[0]: give exactly one of above, below, rate_above, silent"
    ]


@pytest.mark.parametrize(
    ("var", "value", "reason"),
    [
        ("colour", "red", "field 'var': unknown variable 'colour' (known: province)"),
        ("__proto__", "01", "field 'var': unknown variable '__proto__'"),
        ("province", "__proto__", "field 'value': '__proto__' is not allowed"),
        ("province", "Constructor", "field 'value': 'Constructor' is not allowed"),
        ("province", "x" * 1_000_000, "field 'value': 1 to 64 letters"),
        ("province", "<img src=x>", "field 'value': 1 to 64 letters"),
        ("province", "01\x1b[2J", "field 'value': 1 to 64 letters"),
        ("province", float("nan"), "field 'value': a number must be finite"),
        ("province", {"a": 1}, "field 'value': 1 to 64 letters"),
    ],
)
def test_drill_takes_only_declared_variables_and_bounded_values(
    config: WallConfig, var: str, value: object, reason: str
) -> None:
    """A leader sets only the variables the config uses, to short plain values (never an
    object's internal names), and is told which field is wrong."""
    with pytest.raises(ActionError) as refused:
        act(WallState(), config, action="drill", var=var, value=value)
    assert str(refused.value).startswith(reason)


def test_drill_accepts_codes_names_and_numbers(config: WallConfig) -> None:
    """Province codes, site ids, names with spaces and numbers are all fine values."""
    for value in ("01", "hanoi", "Sông Cả", 42, 1.5):
        state = act(WallState(), config, action="drill", var="province", value=value)
        assert state.vars == {"province": value}


def test_an_oversized_name_is_refused_before_it_is_echoed(config: WallConfig) -> None:
    """A megabyte scene name is refused with the field's bound, not repeated in the error."""
    with pytest.raises(ActionError) as refused:
        act(WallState(), config, action="scene", scene="x" * 1_000_000)
    assert str(refused.value) == "field 'scene': at most 200 characters"


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (
            {"action": "scene", "scene": "economy", "note": "x"},
            "field 'note': not part of a 'scene' action",
        ),
        (
            {"action": "focus", "screen": 5, "layout": "main", "tile": "map"},
            "'focus' needs 'screen'",
        ),
        ({"action": "focus", "screen": "main", "layout": "main"}, "'focus' needs 'tile'"),
        ({"action": "ack", "warning": ""}, "'ack' needs 'warning'"),
        ({"action": "raise", "rule": "storm", "warning": "w", "value": "high"}, "field 'value': "),
        ({"action": "x" * 100_000}, "unknown action '" + "x" * 64 + "' (known: scene, release, "),
        ({}, "unknown action None (known: scene, release"),
        ({"action": [["x" * 1000] * 1000]}, "unknown action [['xxxxxxx"),
    ],
)
def test_a_malformed_action_is_refused_with_the_field_at_fault(
    config: WallConfig, action: dict[str, object], reason: str
) -> None:
    """Actions are parsed into typed models at the edge: an extra, missing or mistyped field is
    refused naming that field, and nothing of an oversized value is echoed."""
    with pytest.raises(ActionError) as refused:
        apply(WallState(), action, "lena", config, T0)
    assert str(refused.value).startswith(reason)
    assert len(str(refused.value)) < 300


def test_a_typed_action_applies_like_its_raw_form(config: WallConfig) -> None:
    """What the rules and panels send parses to one model per action; both forms agree."""
    typed = parse_action({"action": "focus", "screen": "left", "layout": "main", "tile": "map"})
    assert isinstance(typed, FocusAction) and typed.tile == "map"
    assert apply(WallState(), typed, "lena", config, T0) == act(
        WallState(), config, action="focus", screen="left", layout="main", tile="map"
    )
    assert set(LEADER_ACTIONS) | set(SYSTEM_ACTIONS) == {
        "scene",
        "release",
        "focus",
        "unfocus",
        "drill",
        "pause",
        "resume",
        "ack",
        "raise",
        "clear",
        "screen_down",
    }
