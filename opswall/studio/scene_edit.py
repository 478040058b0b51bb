"""A scene's `show:`, `vars:` and `title:` changed in the YAML text, each key's own characters
only (issue 20): flow or block style as the file writes them (`mapping_edit.py`); a mapping the
scene does not have yet is one line added at the end of the scene; a block mapping left with
no key loses its lines. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap

from opswall.studio.mapping_edit import MappingEditError, Render, set_keys
from opswall.studio.text_spans import Lines, item_lines, value_end

LOCALES = ("vi", "en")


def set_mapping(
    text: str,
    parent: CommentedMap,
    dash: int,
    key: str,
    values: Mapping[str, Any],
    render: Render,
) -> str:
    """`values` (None: remove) set on the mapping under `parent[key]`; `parent` is a list item
    whose `-` is at column `dash`."""
    lines, node = Lines(text), parent.get(key)
    if not isinstance(node, CommentedMap):
        if key in parent:
            raise MappingEditError(f"'{key}' is not a mapping: edit it in the file")
        kept = {k: v for k, v in values.items() if v is not None}
        return _add_key(text, parent, dash, key, render(kept)) if kept else text
    left = {k for k in node if values.get(k, node[k]) is not None}
    left |= {k for k, v in values.items() if v is not None}
    start = lines.offset(*parent.lc.value(key))
    if not left and text[start] != "{":  # a block mapping emptied: its key goes too
        span = item_lines(lines, *parent.lc.key(key))
        return text[: lines.starts[span.start]] + text[lines.starts[span.stop] :]
    return set_keys(text, node, parent.lc.key(key), values, render)


def set_title(
    text: str, scene: CommentedMap, dash: int, title: Mapping[str, str], render: Render
) -> str:
    """The scene's title in both languages: a `{vi, en}` mapping has only the changed one
    replaced; a plain string (one title for both) becomes a mapping when they differ."""
    node = scene.get("title")
    if isinstance(node, CommentedMap):
        changed = {k: v for k, v in title.items() if node.get(k) != v}
        return set_mapping(text, scene, dash, "title", changed, render) if changed else text
    if isinstance(node, str) and all(title.get(k) == node for k in LOCALES):
        return text
    lines = Lines(text)
    if "title" not in scene:
        return _add_key(text, scene, dash, "title", render(dict(title)))
    start = lines.offset(*scene.lc.value("title"))
    return text[:start] + render(dict(title)) + text[value_end(text, start) :]


def _add_key(text: str, parent: CommentedMap, dash: int, key: str, value: str) -> str:
    """`key: value` as one line after the last line of the list item `parent`."""
    lines = Lines(text)
    end = item_lines(lines, parent.lc.line, dash).stop
    new = f"{' ' * parent.lc.col}{key}: {value}\n"
    if not lines.lines[end - 1].endswith(("\n", "\r")):
        new = "\n" + new
    return text[: lines.starts[end]] + new + text[lines.starts[end] :]
