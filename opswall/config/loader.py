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

from opswall.config.cross_checks import cross_check
from opswall.config.models import WallConfig
from opswall.config.yaml_source import DocPath, SourceMap, load_yaml, read_text
from opswall.errors import ConfigIssue, WallConfigError
from opswall.tiles.registry import TileRegistry

DISCRIMINATORS = ("type", "kind")


def load_config(path: str | Path, registry: TileRegistry) -> WallConfig:
    """Read, validate and return the wall config at `path`; raise WallConfigError if unusable."""
    return load_config_text(read_text(Path(path)), Path(path), registry)


def load_config_text(text: str, path: Path, registry: TileRegistry) -> WallConfig:
    """Validate `text` as if it were the file at `path` (errors located in it, the catalogue
    looked up beside it): the studio's drafts go through here, as the file does."""
    data, source = load_yaml(text, str(path))
    config = parse_config(data, source, registry)
    issues = catalogue_issues(config, source, path.parent)
    if issues:
        raise WallConfigError(issues)
    return config


def catalogue_path(config: WallConfig, config_dir: Path) -> Path | None:
    return config_dir / config.catalogue if config.catalogue else None


def catalogue_issues(config: WallConfig, source: SourceMap, config_dir: Path) -> list[ConfigIssue]:
    """The catalogue file loads, and feeds whose kind reads it name indicators it holds."""
    from opswall.feeds.kinds import SOURCE_KINDS
    from opswall.indicators.catalogue import CatalogueError, load_catalogue

    needs = {i: SOURCE_KINDS.catalogue_codes(feed) for i, feed in enumerate(config.feeds)}
    path = catalogue_path(config, config_dir)
    if path is None:
        kinds = {i: config.feeds[i].source.kind for i, codes in needs.items() if codes is not None}
        return [
            source.issue(("feeds", i, "source", "kind"), f"'{kind}' feeds need a 'catalogue:'")
            for i, kind in kinds.items()
        ]
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        return [source.issue(("catalogue",), issue) for issue in exc.issues]
    return [
        source.issue(("feeds", i, "source", field), f"'{code}' is not in {path.name}")
        for i, codes in needs.items()
        for field, code in (codes or {}).items()
        if catalogue.get(code) is None
    ]


def parse_config(data: Any, source: SourceMap, registry: TileRegistry) -> WallConfig:
    model = registry.config_model()
    type_issues, known_only, kept = _check_tile_types(data, source, registry)
    try:
        config: WallConfig = model.model_validate(known_only)
    except ValidationError as exc:
        issues = [_issue(error, known_only, kept, source, model) for error in exc.errors()]
        raise WallConfigError(type_issues + issues) from None
    if type_issues:
        raise WallConfigError(type_issues)
    issues = cross_check(config, source)
    if issues:
        raise WallConfigError(issues)
    return config


KeptTiles = dict[int, list[int]]  # screen index -> original index of each kept tile


def _check_tile_types(
    data: Any, source: SourceMap, registry: TileRegistry
) -> tuple[list[ConfigIssue], Any, KeptTiles]:
    """Report tiles of unknown type; return the data with only known-type tiles, and where
    each kept tile stood so later errors still point at the right line.

    Done here rather than by the models so the message is the same whether the registry holds
    one tile type or many (pydantic only discriminates unions of two or more).
    """
    if not isinstance(data, dict) or not isinstance(data.get("screens"), list):
        return [], data, {}
    known = registry.names()
    issues: list[ConfigIssue] = []
    kept: KeptTiles = {}
    screens = []
    for s, screen in enumerate(data["screens"]):
        if not isinstance(screen, dict) or not isinstance(screen.get("tiles"), list):
            screens.append(screen)
            continue
        tiles = []
        for t, tile in enumerate(screen["tiles"]):
            path: DocPath = ("screens", s, "tiles", t)
            kind = tile.get("type") if isinstance(tile, dict) else None
            if isinstance(tile, dict) and kind is None:
                issues.append(source.issue(path, f"needs 'type' (known: {', '.join(known)})"))
            elif isinstance(tile, dict) and kind not in known:
                message = f"unknown tile type '{kind}' (known: {', '.join(known)})"
                issues.append(source.issue((*path, "type"), message))
            else:
                tiles.append(tile)
                kept.setdefault(s, []).append(t)
        screens.append({**screen, "tiles": tiles})
    return issues, {**data, "screens": screens}, kept


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


def _issue(
    error: Any, data: Any, kept: KeptTiles, source: SourceMap, model: type[BaseModel]
) -> ConfigIssue:
    path = _document_path(tuple(error["loc"]), data)
    if len(path) >= 4 and path[0] == "screens" and path[2] == "tiles":
        s, t = int(path[1]), int(path[3])
        path = (*path[:3], kept[s][t], *path[4:])
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "extra_forbidden":
        allowed = ", ".join(_field_names(model, path[:-1], data))
        return source.issue(path, f"unknown key '{path[-1]}' (allowed: {allowed})", at_key=True)
    if kind == "missing":
        return source.issue(path, "is required but missing")
    if kind in ("union_tag_invalid", "union_tag_not_found"):  # feed sources, keyed on `kind`
        key = ctx.get("discriminator", "'kind'").strip("'")
        known = ", ".join(sorted(t.strip("'") for t in ctx.get("expected_tags", "").split(", ")))
        if kind == "union_tag_not_found":
            return source.issue(path, f"needs '{key}' (known: {known})")
        return source.issue(
            (*path, key), f"unknown source {key} '{ctx.get('tag')}' (known: {known})"
        )
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
    if not _is_model(current):
        return []
    return sorted(field.alias or name for name, field in current.model_fields.items())


def _step(annotation: Any, part: str | int, node: Any) -> Any:
    annotation = _pick_member(annotation, node)
    if _is_model(annotation) and isinstance(part, str):
        fields = {f.alias or name: f for name, f in annotation.model_fields.items()}
        field = fields.get(part)
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
