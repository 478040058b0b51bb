"""Where things are in YAML text: offsets of lines, the span of a scalar or a flow collection,
the lines of a block sequence item. Pure; the surgery edits text through these."""

from __future__ import annotations

import re

PLAIN = re.compile(r"[^\s,\]}#]+")
# A line as ruamel.yaml counts them, whose positions the surgery uses: ended by \r\n, \n or \r.
# Not str.splitlines, which also ends a line at U+2028 or NEL inside a quoted title, where
# ruamel (unlike PyYAML) does not: the line numbers would part after such a title.
LINE = re.compile(r"[^\n\r]*(?:\r\n|[\n\r])|[^\n\r]+$")
CLOSE = {"{": "}", "[": "]"}


class Lines:
    """The text and the offset where each of its lines starts (lines and columns from 0)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = LINE.findall(text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, column: int) -> int:
        return self.starts[line] + column

    def indent(self, line: int) -> int:
        return len(self.lines[line]) - len(self.lines[line].lstrip(" "))

    def is_content(self, line: int) -> bool:
        """Neither blank nor a comment line."""
        stripped = self.lines[line].strip()
        return bool(stripped) and not stripped.startswith("#")


def value_end(text: str, start: int) -> int:
    """The end of the value starting at `start`: a flow collection, a quoted or plain scalar."""
    first = text[start]
    if first in CLOSE:
        return _flow_end(text, start)
    if first in "\"'":
        return _quoted_end(text, start)
    match = PLAIN.match(text, start)
    return match.end() if match else start


def _quoted_end(text: str, start: int) -> int:
    quote, at = text[start], start + 1
    while at < len(text):
        if quote == '"' and text[at] == "\\":
            at += 2
            continue
        if text[at] == quote:
            if quote == "'" and text[at + 1 : at + 2] == "'":
                at += 2
                continue
            return at + 1
        at += 1
    return len(text)


def _flow_end(text: str, start: int) -> int:
    depth, at = 0, start
    while at < len(text):
        char = text[at]
        if char in "\"'":
            at = _quoted_end(text, at)
            continue
        if char in CLOSE:
            depth += 1
        elif char in CLOSE.values():
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return len(text)


def item_lines(lines: Lines, line: int, dash: int) -> range:
    """The lines of the block sequence item whose dash is at (`line`, `dash`): up to the last
    content line indented deeper than the dash (comments and blank lines after it stay)."""
    last = line
    for number in range(line + 1, len(lines.lines)):
        if not lines.is_content(number):
            continue
        if lines.indent(number) <= dash:
            break
        last = number
    return range(line, last + 1)


def dash_column(lines: Lines, line: int, column: int) -> int:
    """The column of the `-` that opens the block sequence item whose node starts here."""
    before = lines.lines[line][:column].rstrip()
    if not before.endswith("-"):
        raise ValueError(f"line {line + 1}: the item is not in a block sequence")
    return len(before) - 1
