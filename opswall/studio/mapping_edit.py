"""Setting keys of one YAML mapping in its text, each key's own characters only (issue 20).

A flow mapping (`{a: 1, b: 2}`) is rewritten in its own span, every key that does not change
kept as its original text; in a block mapping a changed value is replaced where it stands, a
new key is one line after the mapping's last, a removed key loses its lines. A value already
written as a block collection (lines of its own) is left to the file. Used for a tile's options
(`tile_options.py`) and a scene's `show:`, `vars:` and `title:` (`scene_edit.py`). Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap

from opswall.errors import OpswallError
from opswall.studio.text_spans import Lines, item_lines, value_end

Render = Callable[[Mapping[str, Any]], str]  # a mapping as one flow line: `{k: v}`


class MappingEditError(OpswallError):
    """A key change the studio does not make here (a value written over several lines)."""


def set_keys(
    text: str, node: CommentedMap, owner: tuple[int, int], values: Mapping[str, Any], render: Render
) -> str:
    """`values` (None: remove the key) set on `node`. `owner` is the (line, column) whose deeper
    lines hold a block mapping: the `-` of a list item, or the key the mapping is the value of."""
    start = Lines(text).offset(node.lc.line, node.lc.col)
    if node.fa.flow_style() or (not node and text[start : start + 1] == "{"):
        return _flow(text, node, values, render)
    return _block(text, node, owner, values, render)


def written(render: Render, key: str, value: Any) -> str:
    """A value as YAML writes it after `key: ` (keys are identifiers: never quoted)."""
    return render({key: value})[1:-1].split(": ", 1)[1]


def _flow(text: str, node: CommentedMap, values: Mapping[str, Any], render: Render) -> str:
    lines = Lines(text)
    start = lines.offset(node.lc.line, node.lc.col)
    parts = []
    for key in node:
        if key in values:
            if values[key] is not None:
                parts.append(f"{key}: {written(render, key, values[key])}")
            continue
        key_at = lines.offset(*node.lc.key(key))
        parts.append(text[key_at : value_end(text, lines.offset(*node.lc.value(key)))])
    parts += [
        f"{k}: {written(render, k, v)}"
        for k, v in values.items()
        if k not in node and v is not None
    ]
    return text[:start] + "{" + ", ".join(parts) + "}" + text[value_end(text, start) :]


def _block(
    text: str,
    node: CommentedMap,
    owner: tuple[int, int],
    values: Mapping[str, Any],
    render: Render,
) -> str:
    lines = Lines(text)
    edits: list[tuple[int, int, str]] = []
    for key, value in values.items():
        if key not in node:
            continue
        if isinstance(node[key], list | dict) and not node[key].fa.flow_style():
            raise MappingEditError(f"'{key}' is written over several lines: edit it in the file")
        if value is None:
            span = item_lines(lines, *node.lc.key(key))  # its line and any deeper under it
            edits.append((lines.starts[span.start], lines.starts[span.stop], ""))
        else:
            begin = lines.offset(*node.lc.value(key))
            edits.append((begin, value_end(text, begin), written(render, key, value)))
    added = {k: v for k, v in values.items() if k not in node and v is not None}
    if added:
        end = item_lines(lines, *owner).stop
        indent = " " * node.lc.col
        new = "".join(f"{indent}{k}: {written(render, k, v)}\n" for k, v in added.items())
        if not lines.lines[end - 1].endswith(("\n", "\r")):
            new = "\n" + new
        edits.append((lines.starts[end], lines.starts[end], new))
    for begin, stop, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[stop:]
    return text
