"""Changing an existing tile's options in the YAML text: each key's own characters only.

A flow-style tile (`- {id: x, type: kpi, ...}`) is rewritten on its one line, every key that
does not change kept as its original text; in a block-style tile a changed value is replaced
where it stands, a new key is one line after the tile's last, a removed key loses its lines
(`mapping_edit.py`). Values already written as block collections (a list of series on lines
of their own) are edited in the file. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap

from opswall.errors import OpswallError
from opswall.studio.mapping_edit import MappingEditError, Render, set_keys

PLACED = ("id", "type", "at")  # moved and resized by the studio, never set as options


class OptionsError(OpswallError):
    """An option change the studio does not make (see the module's docstring)."""


def set_options(
    text: str, tile: CommentedMap, dash: int, options: Mapping[str, Any], render: Render
) -> str:
    """`options` (None: remove the key) set on `tile`, whose item's dash is at column `dash`;
    `render(mapping)` writes a mapping as one flow line."""
    if any(key in PLACED for key in options):
        raise OptionsError(f"{', '.join(PLACED)} are not options")
    try:
        return set_keys(text, tile, (tile.lc.line, dash), options, render)
    except MappingEditError as exc:
        raise OptionsError(str(exc)) from None
