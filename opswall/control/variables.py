"""Scene variables a leader may set (drill-down), and the values they may take."""

from __future__ import annotations

import math
import re
from typing import Any

from opswall.config.models import WallConfig

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
