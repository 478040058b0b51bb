"""Applying a draft's changes to the config's YAML text, changing only the nodes they concern.

The text is parsed with ruamel.yaml's round-trip loader, which keeps where every key and value
starts; each change then replaces only the characters of its own node (a tile's `at:` values, a
grid's numbers, one tile's lines), so comments, key order, quoting, flow style and blank lines
everywhere else stay byte for byte. Re-dumping the document would not: ruamel reflows some flow
collections (`[{feed: x}]` becomes `[feed: x]`), and a re-dump of the models would lose every
comment (issue 20, part 4). A new tile is written by PyYAML, the config's reader, as one line.
Pure: text in, text out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from opswall.errors import OpswallError
from opswall.studio.mapping_edit import MappingEditError
from opswall.studio.rotation_edit import RotationError, Step, set_rotation
from opswall.studio.scene_edit import set_mapping, set_title
from opswall.studio.text_spans import Lines, dash_column, item_lines, value_end
from opswall.studio.tile_options import OptionsError, set_options

AT_KEYS = ("col", "row", "w", "h")
GRID_KEYS = ("cols", "rows")


class SurgeryError(OpswallError):
    """A change that cannot be made to this text (no such screen or tile, a shape we do not
    edit); the message names it."""


@dataclass(frozen=True)
class Move:
    """Move or resize a tile: its new `at` (col, row, w, h)."""

    screen: str
    tile: str
    at: Mapping[str, int]


@dataclass(frozen=True)
class Add:
    screen: str
    tile: Mapping[str, Any]  # the tile's YAML mapping: id, type, at, options


@dataclass(frozen=True)
class Delete:
    screen: str
    tile: str


@dataclass(frozen=True)
class SetGrid:
    screen: str
    grid: Mapping[str, int]  # cols, rows


@dataclass(frozen=True)
class SetOptions:
    """Set a tile's options (None: remove the key); `id`, `type` and `at` are not options."""

    screen: str
    tile: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class SetShow:
    """Which layout a display shows in a scene; None: its own (the key is removed)."""

    scene: str
    screen: str
    layout: str | None


@dataclass(frozen=True)
class SetRotation:
    """A display's rotation: its steps in their new order (`Step.origin`: which step it was)."""

    screen: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class SetScene:
    """A scene's title (both languages) and vars (None: remove the var); None: unchanged."""

    scene: str
    title: Mapping[str, str] | None = None
    vars: Mapping[str, Any] | None = None


Change = Move | Add | Delete | SetGrid | SetOptions | SetShow | SetRotation | SetScene


def apply_changes(text: str, changes: list[Change]) -> str:
    """`text` with every change made in order, each on the text the previous one left; the
    `show` changes of one scene that follow each other are made at once (a block `show:`
    whose only screen is swapped for another keeps its style instead of going and coming)."""
    merged: list[Change | list[SetShow]] = []
    for change in changes:
        last = merged[-1] if merged else None
        if isinstance(change, SetShow) and isinstance(last, list) and last[0].scene == change.scene:
            last.append(change)
        else:
            merged.append([change] if isinstance(change, SetShow) else change)
    for item in merged:
        text = _set_shows(text, item) if isinstance(item, list) else _apply(text, item)
    return text


def _set_shows(text: str, shows: list[SetShow]) -> str:
    try:
        scene, dash = _item(text, "scenes", shows[0].scene)
        values = {show.screen: show.layout for show in shows}
        return set_mapping(text, scene, dash, "show", values, flow_yaml)
    except MappingEditError as exc:
        raise SurgeryError(str(exc)) from None


def _apply(text: str, change: Change) -> str:
    try:
        if isinstance(change, SetShow):
            return _set_shows(text, [change])
        if isinstance(change, SetScene):
            return _set_scene(text, change)
        if isinstance(change, SetRotation):
            screen, dash = _item(text, "screens", change.screen)
            return set_rotation(text, screen, dash, change.steps, flow_yaml)
        return _apply_tile(text, change)
    except (MappingEditError, RotationError) as exc:
        raise SurgeryError(str(exc)) from None


def _apply_tile(text: str, change: Move | Add | Delete | SetGrid | SetOptions) -> str:
    screen = _screen(_load(text), change.screen)
    if isinstance(change, SetGrid):
        return _set_numbers(text, _child(screen, "grid", change.screen), change.grid, GRID_KEYS)
    tiles = screen.get("tiles")
    if not isinstance(tiles, CommentedSeq):
        raise SurgeryError(f"screen '{change.screen}' has no list of tiles")
    if isinstance(change, Add):
        return _add(text, tiles, change)
    index = _tile_index(tiles, change.screen, change.tile)
    if isinstance(change, Move):
        return _set_numbers(text, _child(tiles[index], "at", change.tile), change.at, AT_KEYS)
    if isinstance(change, SetOptions):
        return _set_options(text, tiles, index, change.options)
    return _delete(text, tiles, index)


def _set_options(text: str, tiles: CommentedSeq, index: int, options: Mapping[str, Any]) -> str:
    if tiles.fa.flow_style():
        raise SurgeryError("tiles in a flow list ([...]) are edited by hand")
    dash = _dash(Lines(text), *tiles.lc.item(index))
    try:
        return set_options(text, tiles[index], dash, options, flow_yaml)
    except OptionsError as exc:
        raise SurgeryError(str(exc)) from None


def _load(text: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise SurgeryError(f"the config is not valid YAML: {exc}") from None


def _screen(document: Any, screen_id: str) -> CommentedMap:
    screens = document.get("screens") if isinstance(document, CommentedMap) else None
    for screen in screens if isinstance(screens, CommentedSeq) else ():
        if isinstance(screen, CommentedMap) and screen.get("id") == screen_id:
            return screen
    raise SurgeryError(f"no screen '{screen_id}'")


def _tile_index(tiles: CommentedSeq, screen_id: str, tile_id: str) -> int:
    for index, tile in enumerate(tiles):
        if isinstance(tile, CommentedMap) and tile.get("id") == tile_id:
            return index
    raise SurgeryError(f"screen '{screen_id}' has no tile '{tile_id}'")


def _child(node: CommentedMap, key: str, owner: str) -> CommentedMap:
    child = node.get(key)
    if not isinstance(child, CommentedMap):
        raise SurgeryError(f"'{owner}' has no '{key}:' mapping")
    return child


def _set_numbers(
    text: str, node: CommentedMap, values: Mapping[str, int], order: tuple[str, ...]
) -> str:
    """Set the integers of a small mapping (`at`, `grid`). A flow mapping is rewritten in its
    own span; a block mapping has each value replaced where it stands, missing keys added."""
    lines = Lines(text)
    if node.fa.flow_style():
        start = lines.offset(node.lc.line, node.lc.col)
        keys = [*node.keys(), *(k for k in order if k not in node and k in values)]
        body = ", ".join(f"{k}: {values.get(k, node.get(k))}" for k in keys)
        return text[:start] + "{" + body + "}" + text[value_end(text, start) :]
    edits: list[tuple[int, int, str]] = []
    for key in (k for k in order if k in values and k in node):
        start = lines.offset(*node.lc.value(key))
        edits.append((start, value_end(text, start), str(values[key])))
    missing = [k for k in order if k in values and k not in node]
    if missing:
        last_line = max(node.lc.key(k)[0] for k in node)
        at = lines.starts[last_line + 1]
        added = "".join(f"{' ' * node.lc.col}{k}: {values[k]}\n" for k in missing)
        edits.append((at, at, added))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _add(text: str, tiles: CommentedSeq, change: Add) -> str:
    """The new tile as one flow-style line after the last tile, at the tiles' indent."""
    if not tiles or tiles.fa.flow_style():
        raise SurgeryError(f"screen '{change.screen}': tiles must be a block list to add to")
    lines = Lines(text)
    line, column = tiles.lc.item(len(tiles) - 1)
    dash = _dash(lines, line, column)
    end = item_lines(lines, line, dash)[-1] + 1
    new = f"{' ' * dash}- {flow_yaml(change.tile)}\n"
    if not lines.lines[end - 1].endswith("\n"):
        new = "\n" + new
    return text[: lines.starts[end]] + new + text[lines.starts[end] :]


def _delete(text: str, tiles: CommentedSeq, index: int) -> str:
    if tiles.fa.flow_style():
        raise SurgeryError("tiles in a flow list ([...]) are edited by hand")
    lines = Lines(text)
    line, column = tiles.lc.item(index)
    span = item_lines(lines, line, _dash(lines, line, column))
    return text[: lines.starts[span.start]] + text[lines.starts[span.stop] :]


def _item(text: str, section: str, item_id: str) -> tuple[CommentedMap, int]:
    """The item of a block list (`screens`, `scenes`) with this id, and its dash's column."""
    document = _load(text)
    items = document.get(section) if isinstance(document, CommentedMap) else None
    ids = [s.get("id") if isinstance(s, CommentedMap) else None for s in items or ()]
    if item_id not in ids or not isinstance(items, CommentedSeq) or items.fa.flow_style():
        raise SurgeryError(f"no {section[:-1]} '{item_id}' in a block list of {section}")
    index = ids.index(item_id)
    return items[index], _dash(Lines(text), *items.lc.item(index))


def _set_scene(text: str, change: SetScene) -> str:
    """A scene's title or vars: only the keys that change."""
    scene, dash = _item(text, "scenes", change.scene)
    if change.title is not None:
        text = set_title(text, scene, dash, change.title, flow_yaml)
        scene, dash = _item(text, "scenes", change.scene)
    if change.vars:
        text = set_mapping(text, scene, dash, "vars", change.vars, flow_yaml)
    return text


def _dash(lines: Lines, line: int, column: int) -> int:
    try:
        return dash_column(lines, line, column)
    except ValueError as exc:
        raise SurgeryError(str(exc)) from None


class _OneLine(yaml.SafeDumper):
    """PyYAML's own writer (the config's reader reads what it writes, YAML 1.1 `yes` and all),
    with every string holding a break or a control character in double quotes: escaped there,
    it can never start a new line of the file."""


def _one_line_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    breaks = any(not c.isprintable() or c in "\x85\u2028\u2029" for c in value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if breaks else None)


_OneLine.add_representer(str, _one_line_str)


def flow_yaml(value: Mapping[str, Any]) -> str:
    """A mapping as one line of flow-style YAML, quoted only where YAML needs it."""
    return yaml.dump(
        dict(value),
        Dumper=_OneLine,
        default_flow_style=True,
        width=1 << 30,
        allow_unicode=True,
        sort_keys=False,
    ).strip()
