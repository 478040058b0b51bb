"""Control actions: `apply(state, action, ...) -> new state`. Pure; the store makes it atomic.

Leader actions come from the panel (validated here against the config); `raise` and `clear`
come from the alert rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from opswall.config.models import WallConfig
from opswall.control.state import ActiveWarning, Focus, WallState
from opswall.errors import OpswallError

MAX_NAME = 200
VAR_VALUE = re.compile(r"[\w.:-][\w .:-]{0,63}")
# Names every JavaScript object answers to (Object.prototype's): as a key they find no province.
OBJECT_INTERNALS = frozenset(
    name.lower()
    for name in [
        "__proto__",
        "constructor",
        "prototype",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
    ]
)
LEADER_ACTIONS = ("scene", "release", "focus", "unfocus", "drill", "pause", "resume", "ack")
SYSTEM_ACTIONS = ("raise", "clear")


class ActionError(OpswallError):
    """An action that names nothing the wall has, or lacks what it needs."""


def _text(action: dict[str, Any], key: str) -> str:
    value = action.get(key)
    if not isinstance(value, str) or not value:
        raise ActionError(f"'{action.get('action')}' needs '{key}'")
    if len(value) > MAX_NAME:  # ids and warning ids are short; the error text echoes the value
        raise ActionError(f"field '{key}': at most {MAX_NAME} characters")
    return value


def declared_vars(config: WallConfig) -> frozenset[str]:
    """The scene variables the config uses: scenes' own, what tiles follow, conference tiles'
    large and audio variables. A leader may set only these."""
    names = {name for scene in config.scenes for name in scene.vars}
    for screen in config.screens:
        for tile in screen.tiles:
            names |= {getattr(tile, a, None) or "" for a in ("follows", "large_var", "audio_var")}
    return frozenset(names - {""})


def var_problem(config: WallConfig, name: str, value: Any) -> str | None:
    """Why a leader may not set variable `name` to `value` (None clears it), or None. Values
    end up as keys in the browsers' lookups, so names of object internals are refused."""
    if name not in declared_vars(config):
        known = ", ".join(sorted(declared_vars(config))) or "none declared"
        return f"field 'var': unknown variable {name[:64]!r} (known: {known})"
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        finite = value is None or math.isfinite(value)
        return None if finite else "field 'value': a number must be finite"
    if not isinstance(value, str) or not VAR_VALUE.fullmatch(value):
        return "field 'value': 1 to 64 letters, digits, spaces or . : _ - (or a number, or null)"
    if value.lower() in OBJECT_INTERNALS:
        return f"field 'value': {value!r} is not allowed"
    return None


def _display(config: WallConfig, action: dict[str, Any]) -> str:
    screen = _text(action, "screen")
    if screen not in {s.id for s in config.displays()}:
        raise ActionError(f"unknown screen '{screen}'")
    return screen


def apply(
    state: WallState, action: dict[str, Any], actor: str, config: WallConfig, now_ms: int
) -> WallState:
    kind = action.get("action")
    new = _apply(state, kind, action, actor, config, now_ms)
    if new is state:
        return state
    return replace(new, version=state.version + 1, by=actor, at_ms=now_ms)


def _apply(
    state: WallState,
    kind: Any,
    action: dict[str, Any],
    actor: str,
    config: WallConfig,
    now_ms: int,
) -> WallState:
    if kind == "scene":
        scene = _text(action, "scene")
        if config.scene(scene) is None:
            raise ActionError(f"unknown scene '{scene}'")
        return replace(state, scene=scene, focus={}, vars={})
    if kind == "release":
        return replace(
            state, scene=None, focus={}, vars={}, rotation_epoch_ms=now_ms, paused_at_ms=None
        )
    if kind == "focus":
        screen = _display(config, action)
        layout, tile = _text(action, "layout"), _text(action, "tile")
        source = config.screen(layout)
        if source is None or source.tile(tile) is None:
            raise ActionError(f"no tile '{tile}' on '{layout}'")
        focus = dict(state.focus)
        if focus.get(screen) == Focus(layout, tile):
            del focus[screen]  # a second tap returns
        else:
            focus[screen] = Focus(layout, tile)
        return replace(state, focus=focus)
    if kind == "unfocus":
        screen = _display(config, action)
        return replace(state, focus={k: v for k, v in state.focus.items() if k != screen})
    if kind == "drill":
        name = _text(action, "var")
        value = action.get("value")
        problem = var_problem(config, name, value)
        if problem:
            raise ActionError(problem)
        vars_ = {k: v for k, v in state.vars.items() if k != name}
        if value is not None:
            vars_[name] = value
        return replace(state, vars=vars_)
    if kind == "pause":
        return state if state.paused_at_ms is not None else replace(state, paused_at_ms=now_ms)
    if kind == "resume":
        if state.paused_at_ms is None:
            return state
        epoch = state.rotation_epoch_ms + (now_ms - state.paused_at_ms)
        return replace(state, rotation_epoch_ms=epoch, paused_at_ms=None)
    if kind == "ack":
        warning = state.warning(_text(action, "warning"))
        if warning is None or warning.acked_by is not None:
            return state
        return state.with_warning(replace(warning, acked_by=actor))
    if kind == "raise":
        return _raise(state, action, config, now_ms)
    if kind == "clear":
        rule = _text(action, "rule")
        new = state
        for warning in state.warnings:
            if warning.rule == rule and not warning.cleared:
                new = new.with_warning(replace(warning, cleared=True))
        return new
    raise ActionError(f"unknown action {kind!r} (known: {', '.join(LEADER_ACTIONS)})")


def _raise(state: WallState, action: dict[str, Any], config: WallConfig, now_ms: int) -> WallState:
    rule_id = _text(action, "rule")
    rule = next((r for r in config.rules if r.id == rule_id), None)
    if rule is None:
        raise ActionError(f"unknown rule '{rule_id}'")
    if any(w.rule == rule_id and not w.cleared for w in state.warnings):
        return state  # already raised (by this replica or another): once per episode
    takeover = rule.takeover
    screens: tuple[str, ...] = ()
    if takeover:
        scene = config.scene(takeover.scene)
        screens = (takeover.screens or tuple(scene.show)) if scene else takeover.screens
    warning = ActiveWarning(
        id=_text(action, "warning"),
        rule=rule_id,
        severity=rule.severity,
        message={"vi": rule.message.get("vi"), "en": rule.message.get("en")},
        raised_ms=now_ms,
        value=action.get("value"),
        scene=takeover.scene if takeover else None,
        screens=screens,
        until_ms=now_ms + int(takeover.timeout * 1000) if takeover and takeover.timeout else None,
    )
    return state.with_warning(warning)
