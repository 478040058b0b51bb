"""The studio's palette: every registered tile type with an options form made from its options
model (issue 20, part 1). Pure: the same registry an extension registers into, so a new tile
type gets its form with no studio code.

Each field becomes one input: a choice for an enum (`Literal`), a pick of the configured feeds
for a feed, a Vietnamese and an English box for a `Text`, a check box, a number or a text box.
Fields a form cannot hold (lists of series, nested models) are listed as "in the file": a
required one makes the loader's located error say so, next to the new tile.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic.fields import FieldInfo

from opswall.config.models import Text, WallConfig
from opswall.config.primitives import format_duration
from opswall.studio.words import FIELD_LABELS
from opswall.tiles.registry import TileRegistry

PLACED = ("id", "type", "at")  # the studio sets these itself
SCALARS = {bool: "bool", int: "int", float: "number", str: "string"}


def palette(registry: TileRegistry, config: WallConfig) -> list[dict[str, Any]]:
    feeds = [feed.id for feed in config.feeds]
    return [
        {
            "type": tile_type.name,
            "doc": (tile_type.model.__doc__ or "").strip().split("\n")[0],
            "fields": [
                _field(name, info, feeds)
                for name, info in tile_type.model.model_fields.items()
                if name not in PLACED
            ],
        }
        for tile_type in registry.types()
    ]


def _field(name: str, info: FieldInfo, feeds: list[str]) -> dict[str, Any]:
    kind, choices = _kind(name, info.annotation, feeds)
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if is_duration(info):
        kind = "duration"  # typed as "5m", "1h30m"; read back to seconds by the loader
        default = format_duration(default) if isinstance(default, int | float) else None
    key = info.alias or name
    return {
        "name": key,
        "label": FIELD_LABELS.get(key, {"vi": key, "en": key}),
        "kind": kind,
        "choices": choices,
        "required": info.is_required(),
        "default": default if isinstance(default, bool | int | float | str) else None,
        "description": info.description or "",
    }


def _kind(name: str, annotation: Any, feeds: list[str]) -> tuple[str, list[Any]]:
    annotation = _unwrap(annotation)
    if name == "feed" and annotation is str:
        return "feed", feeds
    if typing.get_origin(annotation) is typing.Literal:
        return "enum", list(typing.get_args(annotation))
    if annotation is Text:
        return "text", []
    if isinstance(annotation, type) and annotation in SCALARS:
        return SCALARS[annotation], []
    return "file", []  # lists and nested models: written in the file


def is_duration(info: FieldInfo) -> bool:
    """Is this options field a `Duration` (seconds in the model, `10m` in the file)?"""
    return _is_duration(info.annotation) or any(map(_duration_mark, info.metadata))


def _is_duration(annotation: Any) -> bool:
    """A `Duration` (primitives.py), also inside Optional: its JSON schema's format says so."""
    if typing.get_origin(annotation) is typing.Annotated:
        marks = typing.get_args(annotation)[1:]
        return any(map(_duration_mark, marks))
    members = typing.get_args(annotation) if typing.get_origin(annotation) else ()
    return any(_is_duration(m) for m in members)


def _unwrap(annotation: Any) -> Any:
    """Optional[X] and Annotated[X, ...] as X; a union of scalars as a text box."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(annotation) if m is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
        return str if all(m in SCALARS for m in members) else annotation
    return annotation


def _duration_mark(mark: Any) -> bool:
    schema = getattr(mark, "json_schema", None)
    return isinstance(schema, dict) and schema.get("format") == "duration"
