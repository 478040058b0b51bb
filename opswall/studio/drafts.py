"""A draft: changes to the config opened on one version of its text, checked by the same
loader as the file (located errors), and applied only over that same text (issue 20)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opswall.config.loader import load_config_text
from opswall.config.models import WallConfig
from opswall.config.yaml_source import load_yaml
from opswall.errors import ConfigIssue, OpswallError, WallConfigError
from opswall.legibility.bezel_text import BezelText, bezel_texts
from opswall.studio.diffs import unified
from opswall.studio.legible import Small, too_small
from opswall.studio.rotation_edit import Step
from opswall.studio.surgery import (
    AT_KEYS,
    GRID_KEYS,
    Add,
    Change,
    Delete,
    Move,
    SetGrid,
    SetOptions,
    SetRotation,
    SetScene,
    SetShow,
    SurgeryError,
    apply_changes,
)
from opswall.tiles.registry import TileRegistry

MAX_CHANGES = 200
OPTION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
NAME_LIMIT = 64
MAX_STEPS = 64
TITLE_LIMIT = 200
DWELL = re.compile(r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,32}$")  # the loader judges the rest


class DraftError(OpswallError):
    """A draft body that is not a list of changes we know; the message says which and why."""


@dataclass(frozen=True)
class Checked:
    """A draft's text, its diff from the base, and the loader's issues (none: it may apply)."""

    text: str
    diff: str
    issues: tuple[ConfigIssue, ...]
    config: WallConfig | None
    small: tuple[Small, ...] = ()  # warnings of the legibility rule: they do not refuse apply
    bezels: tuple[BezelText, ...] = ()  # text a bezel would cut (issue 23): warnings too


def check(base: str, changes: list[Change], path: Path, registry: TileRegistry) -> Checked:
    """The draft made on `base` and judged as if it were the file at `path`."""
    try:
        text = apply_changes(base, changes)
    except SurgeryError as exc:
        return Checked(base, "", (ConfigIssue(path.name, 1, 1, "", str(exc)),), None)
    diff = unified(base, text, path.name, f"{path.name} (draft)")
    try:
        config = load_config_text(text, path, registry)
    except WallConfigError as exc:
        return Checked(text, diff, tuple(exc.issues), None)
    _, source = load_yaml(text, path.name)
    bezels = tuple(bezel_texts(config, source, registry))
    return Checked(text, diff, (), config, tuple(too_small(config, text, path)), bezels)


def parse_changes(body: Any) -> list[Change]:
    """The `changes` of a JSON body (already bounded by `web/bodies.py`), or DraftError."""
    changes = body.get("changes") if isinstance(body, dict) else None
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise DraftError(f"'changes' must be a list of at most {MAX_CHANGES} changes")
    return [_change(i, item) for i, item in enumerate(changes)]


def _change(index: int, item: Any) -> Change:
    if not isinstance(item, dict):
        raise DraftError(f"changes[{index}] must be an object")
    if item.get("op") == "scene":
        return _scene(item, index)
    op, screen = item.get("op"), _name(item, "screen", index)
    if op == "move":
        return Move(screen, _name(item, "tile", index), _numbers(item, "at", index, AT_KEYS))
    if op == "delete":
        return Delete(screen, _name(item, "tile", index))
    if op == "grid":
        return SetGrid(screen, _numbers(item, "grid", index, GRID_KEYS))
    if op == "add" and isinstance(item.get("tile"), dict):
        return Add(screen, item["tile"])  # its shape is the loader's to judge
    if op == "set":
        return SetOptions(screen, _name(item, "tile", index), _options(item, index))
    if op == "show":
        layout = None if item.get("layout") is None else _name(item, "layout", index)
        return SetShow(_name(item, "scene", index), screen, layout)
    if op == "rotation":
        return SetRotation(screen, _steps(item, index))
    raise DraftError(
        f"changes[{index}]: op must be move, add, delete, grid, set, show, rotation or scene"
        " (and fields)"
    )


def _name(item: dict[str, Any], key: str, index: int) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= NAME_LIMIT:
        raise DraftError(f"changes[{index}].{key} must be an id")
    return value


def _numbers(item: dict[str, Any], key: str, index: int, keys: tuple[str, ...]) -> dict[str, int]:
    value = item.get(key)
    if not isinstance(value, dict) or not value or not set(value) <= set(keys):
        raise DraftError(f"changes[{index}].{key} must be an object of {', '.join(keys)}")
    if not all(_whole(n) for n in value.values()):
        raise DraftError(f"changes[{index}].{key} must hold whole numbers from 1 to 999")
    return {str(k): int(n) for k, n in value.items()}


def _options(item: dict[str, Any], index: int) -> dict[str, Any]:
    """Option keys are the options models' field names; values are the loader's to judge."""
    value = item.get("options")
    if not isinstance(value, dict) or not value:
        raise DraftError(f"changes[{index}].options must be an object")
    for key in value:
        if not OPTION_KEY.match(key) or key in ("id", "type", "at"):
            raise DraftError(f"changes[{index}].options: '{key[:64]}' is not an option name")
    return value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 999


def _steps(item: dict[str, Any], index: int) -> tuple[Step, ...]:
    """A rotation's steps: scene ids, dwells as typed (the loader judges them), and which
    step of the file each was (`from`, or null for a new one)."""
    steps = item.get("steps")
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        raise DraftError(f"changes[{index}].steps must be a list of at most {MAX_STEPS} steps")
    out = []
    for number, step in enumerate(steps):
        where = f"changes[{index}].steps[{number}]"
        origin = step.get("from") if isinstance(step, dict) else None
        dwell = step.get("dwell") if isinstance(step, dict) else None
        if not isinstance(dwell, str) or not DWELL.match(dwell):
            raise DraftError(f"{where}.dwell must be a short text like 30s, 10m or 1h30m")
        if origin is not None and not (_whole(origin) or origin == 0):
            raise DraftError(f"{where}.from must be the index of a step of the file, or null")
        out.append(Step(_name(step, "scene", index), dwell, origin))
    origins = [s.origin for s in out if s.origin is not None]
    if len(origins) != len(set(origins)):
        raise DraftError(f"changes[{index}].steps: a step of the file is named twice")
    return tuple(out)


def _scene(item: dict[str, Any], index: int) -> SetScene:
    """A scene's title ({vi, en}) and vars (id -> text or number, null removes one)."""
    title, vars_ = item.get("title"), item.get("vars")
    if title is not None and not (
        isinstance(title, dict)
        and set(title) <= {"vi", "en"}
        and all(isinstance(v, str) and 0 < len(v) <= TITLE_LIMIT for v in title.values())
    ):
        raise DraftError(f"changes[{index}].title must be {{vi, en}} texts")
    if vars_ is not None and not (
        isinstance(vars_, dict)
        and len(vars_) <= MAX_STEPS
        and all(OPTION_KEY.match(k) and _var(v) for k, v in vars_.items())
    ):
        raise DraftError(f"changes[{index}].vars must map ids to short texts, numbers or null")
    return SetScene(_name(item, "scene", index), title, vars_)


def _var(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= NAME_LIMIT
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
