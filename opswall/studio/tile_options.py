"""Changing an existing tile's options in the YAML text: each key's own characters only.

A flow-style tile (`- {id: x, type: kpi, ...}`) is rewritten on its one line, every key that
does not change kept as its original text; in a block-style tile a changed value is replaced
where it stands, a new key is one line after the tile's last, a removed key loses its lines.
Values already written as block collections (a list of series on lines of their own) are
edited in the file. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap

from opswall.errors import OpswallError
from opswall.studio.text_spans import Lines, item_lines, value_end

PLACED = ("id", "type", "at")  # moved and resized by the studio, never set as options


class OptionsError(OpswallError):
    """An option change the studio does not make (see the module's docstring)."""


def set_options(
    text: str, tile: CommentedMap, dash: int, options: Mapping[str, Any], render: Any
) -> str:
    """`options` (None: remove the key) set on `tile`, whose item's dash is at column `dash`;
    `render(mapping)` writes a mapping as one flow line."""
    if any(key in PLACED for key in options):
        raise OptionsError(f"{', '.join(PLACED)} are not options")
    if tile.fa.flow_style():
        return _flow(text, tile, options, render)
    return _block(text, tile, dash, options, render)


def _flow(text: str, tile: CommentedMap, options: Mapping[str, Any], render: Any) -> str:
    lines = Lines(text)
    start = lines.offset(tile.lc.line, tile.lc.col)
    parts = []
    for key in tile:
        if key in options:
            if options[key] is not None:
                parts.append(render({key: options[key]})[1:-1])
            continue
        key_at = lines.offset(*tile.lc.key(key))
        parts.append(text[key_at : value_end(text, lines.offset(*tile.lc.value(key)))])
    added = {k: v for k, v in options.items() if k not in tile and v is not None}
    if added:
        parts.append(render(added)[1:-1])
    return text[:start] + "{" + ", ".join(parts) + "}" + text[value_end(text, start) :]


def _block(
    text: str, tile: CommentedMap, dash: int, options: Mapping[str, Any], render: Any
) -> str:
    lines = Lines(text)
    edits: list[tuple[int, int, str]] = []
    for key, value in options.items():
        if key not in tile:
            continue
        line, column = tile.lc.value(key)
        if isinstance(tile[key], list | dict) and not tile[key].fa.flow_style():
            raise OptionsError(f"'{key}' is written over several lines: edit it in the file")
        if value is None:
            span = item_lines(lines, *tile.lc.key(key))  # its line and any deeper under it
            edits.append((lines.starts[span.start], lines.starts[span.stop], ""))
        else:
            start = lines.offset(line, column)
            written = render({key: value})[1:-1].split(": ", 1)[1]  # keys are identifiers
            edits.append((start, value_end(text, start), written))
    added = {k: v for k, v in options.items() if k not in tile and v is not None}
    if added:
        end = item_lines(lines, tile.lc.line, dash).stop
        indent = " " * tile.lc.col
        new = "".join(f"{indent}{render({k: v})[1:-1]}\n" for k, v in added.items())
        edits.append((lines.starts[end], lines.starts[end], new))
    for start, stop, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[stop:]
    return text
