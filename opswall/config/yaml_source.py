"""Load YAML into plain data while remembering where every node came from.

PyYAML's composer keeps a start mark on each node; we keep those marks keyed by the document path
(`("screens", 1, "tiles", 3, "type")`) so that validation errors can point at file:line:column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opswall.errors import ConfigIssue, WallConfigError

DocPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document starts."""

    file: str
    values: dict[DocPath, Mark] = field(default_factory=dict)
    keys: dict[DocPath, Mark] = field(default_factory=dict)

    def value_mark(self, path: DocPath) -> Mark:
        """The mark of the deepest node along `path` that exists in the document."""
        for depth in range(len(path), -1, -1):
            mark = self.values.get(path[:depth])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key_mark(self, path: DocPath) -> Mark:
        return self.keys.get(path) or self.value_mark(path)

    def issue(self, path: DocPath, message: str, *, at_key: bool = False) -> ConfigIssue:
        mark = self.key_mark(path) if at_key else self.value_mark(path)
        return ConfigIssue(self.file, mark.line, mark.column, format_path(path), message)


def format_path(path: DocPath) -> str:
    """`("screens", 1, "tiles", 3, "type")` -> `screens[1].tiles[3].type`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.issues: list[ConfigIssue] = []
        self.constructor = yaml.SafeLoader("")  # only its scalar construction is used

    def build(self, node: yaml.Node, path: DocPath) -> Any:
        self.source.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: DocPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(self.constructor.construct_object(key_node, deep=True))
            child = (*path, key)
            if key in result:
                mark = _mark(key_node)
                self.issues.append(
                    ConfigIssue(
                        self.source.file,
                        mark.line,
                        mark.column,
                        format_path(child),
                        f"duplicate key '{key}'",
                    )
                )
            self.source.keys[child] = _mark(key_node)
            result[key] = self.build(value_node, child)
        return result


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data and its source map; syntax errors are located."""
    source = SourceMap(file)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise WallConfigError(
            [ConfigIssue(file, line, column, "", f"YAML syntax error: {problem}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        # Control characters are refused before parsing: the error has an offset, no mark.
        line, column = _line_column(text, exc.position)
        raise WallConfigError(
            [ConfigIssue(file, line, column, "", f"character #x{exc.character:04x} is not allowed")]
        ) from None
    if node is None:
        raise WallConfigError([ConfigIssue(file, 1, 1, "", "the file is empty")])
    builder = _Builder(source)
    try:
        data = builder.build(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise WallConfigError(
            [ConfigIssue(file, line, column, "", f"YAML error: {exc.problem}")]
        ) from None
    if builder.issues:
        raise WallConfigError(builder.issues)
    return data, source


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def read_text(path: Path) -> str:
    """The config file's text, or a located WallConfigError."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WallConfigError(
            [ConfigIssue(str(path), 1, 1, "", f"cannot read: {exc.strerror}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise WallConfigError(
            [ConfigIssue(str(path), 1, 1, "", f"not UTF-8 text ({exc.reason})")]
        ) from None


def read_yaml_file(path: Path) -> tuple[Any, SourceMap]:
    return load_yaml(read_text(path), str(path))
