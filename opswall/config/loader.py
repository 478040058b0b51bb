"""Turn a wall_config.yaml into a validated WallConfig, or located errors.

Validation has two passes: the pydantic models (types, unknown keys, allowed values), then the
wall's own rules (unique ids, tiles inside their grid and not overlapping, feeds that exist).
Every issue is mapped back to the YAML node it concerns.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from opswall.config.models import WallConfig
from opswall.config.rules import check_rules
from opswall.config.yaml_source import DocPath, SourceMap, read_yaml_file
from opswall.errors import ConfigIssue, WallConfigError
from opswall.tiles.registry import TileRegistry

DISCRIMINATORS = ("type", "kind")


def load_config(path: str | Path, registry: TileRegistry) -> WallConfig:
    """Read, validate and return the wall config at `path`; raise WallConfigError if unusable."""
    data, source = read_yaml_file(Path(path))
    return parse_config(data, source, registry)


def parse_config(data: Any, source: SourceMap, registry: TileRegistry) -> WallConfig:
    model = registry.config_model()
    try:
        config: WallConfig = model.model_validate(data)
    except ValidationError as exc:
        raise WallConfigError(
            [_issue(error, data, source, model) for error in exc.errors()]
        ) from None
    issues = check_rules(config, source)
    if issues:
        raise WallConfigError(issues)
    return config


def _document_path(loc: tuple[Any, ...], data: Any) -> DocPath:
    """Drop the union tags pydantic inserts in `loc` (e.g. the 'kpi' in tiles[0].kpi.feed)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        is_tag = isinstance(node, dict) and isinstance(part, str) and part not in node
        if is_tag and any(node.get(key) == part for key in DISCRIMINATORS):
            continue
        path.append(part)
        node = node[part] if _has(node, part) else None
    return tuple(path)


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _issue(error: Any, data: Any, source: SourceMap, model: type[BaseModel]) -> ConfigIssue:
    path = _document_path(tuple(error["loc"]), data)
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "extra_forbidden":
        allowed = ", ".join(_field_names(model, path[:-1], data))
        return source.issue(path, f"unknown key '{path[-1]}' (allowed: {allowed})", at_key=True)
    if kind == "missing":
        return source.issue(path, "is required but missing")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = ctx.get("discriminator", "'type'").strip("'")
        known = ", ".join(sorted(t.strip("'") for t in ctx.get("expected_tags", "").split(", ")))
        noun = "tile type" if key == "type" else "source kind"
        if kind == "union_tag_not_found":
            return source.issue(path, f"needs '{key}' (known: {known})")
        return source.issue((*path, key), f"unknown {noun} '{ctx.get('tag')}' (known: {known})")
    if kind == "literal_error":
        return source.issue(path, f"{error['input']!r} is not allowed (allowed: {ctx['expected']})")
    if kind == "value_error":  # our own validators already name the value
        return source.issue(path, str(error["msg"]).removeprefix("Value error, "))
    message = str(error["msg"])
    if kind == "string_pattern_mismatch":
        message = "must be lower-case letters, digits, '_' or '-'"
    return source.issue(path, f"{message} (got {_short(error.get('input'))})")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_names(model: type[BaseModel], path: DocPath, data: Any) -> list[str]:
    """The keys the model at `path` accepts, following tuples and tagged unions."""
    current: Any = model
    node = data
    for part in path:
        current = _step(current, part, node)
        node = node[part] if _has(node, part) else None
        if current is None:
            return []
    current = _pick_member(current, node)
    return sorted(current.model_fields) if _is_model(current) else []


def _step(annotation: Any, part: str | int, node: Any) -> Any:
    annotation = _pick_member(annotation, node)
    if _is_model(annotation) and isinstance(part, str):
        field = annotation.model_fields.get(part)
        return field.annotation if field else None
    args = typing.get_args(annotation)
    if isinstance(part, int) and args:
        return args[0]
    return None


def _pick_member(annotation: Any, node: Any) -> Any:
    """Unwrap Annotated/Optional/unions, choosing the member whose tag matches the data."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(annotation) if m is not type(None)]
        for member in members:
            if _is_model(member) and isinstance(node, dict) and _tag_matches(member, node):
                return member
        return members[0] if len(members) == 1 else annotation
    return annotation


def _tag_matches(model: type[BaseModel], node: dict[str, Any]) -> bool:
    for key in DISCRIMINATORS:
        field = model.model_fields.get(key)
        if field is not None and node.get(key) in typing.get_args(field.annotation):
            return True
    return False


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
