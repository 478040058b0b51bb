"""What one entry, one document and one request body may be: the bounds, in one place.

The feed contract, the normaliser the adapters share, the producer API's body parser and the
screen protocol all import these, so an entry the API accepts is one the gateway accepts
(issue 17). Everything here is pure and raises nothing but `BoundsError`, whose text says
where: `json.rows[3].name: lone surrogate U+D800 at char 0`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32  # levels of objects and lists in one JSON value
MAX_NODES = 20_000  # values (objects, lists, scalars) in one entry's json
MAX_FIELDS = 256  # fields of one entry, after `json` is merged
MAX_NAME_CHARS = 128  # one field name, or one key inside `json`
MAX_FIELD_BYTES = 256 * 1024  # one field's value, UTF-8
MAX_ENTRY_BYTES = 1024 * 1024  # all of one entry's names and values, UTF-8
MAX_BODY_BYTES = 2 * 1024 * 1024  # one HTTP request body or adapter document
MAX_DOCUMENT_NODES = 200_000  # values in one body or document (many entries)
MAX_NUMBER_DIGITS = 40  # a JSON integer longer than this is no measurement

# Text is valid Unicode with no control characters but tab, newline and carriage return: a NUL
# or an escape sequence has no business on a wall, and a lone surrogate cannot be encoded to the
# UTF-8 every frame, Redis write and database row needs.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A digit run longer than an integer may be, or an exponent of three digits: 1e400, 1E310.
_RISKY = re.compile(rf"\d{{{MAX_NUMBER_DIGITS + 1}}}|[eE][+-]?0*\d{{3}}")
# Brackets and the quotes that open strings; the rest of a string, escapes and all. Scanned once
# from left to right, a string at a time: a pattern matching whole strings anywhere was retried
# at every quote of an unterminated one, which is quadratic ('"\\' * 16,000 took 3.7 s).
_BRACKET_OR_QUOTE = re.compile(r'[\[\]{}"]')
_REST_OF_STRING = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class BoundsError(ValueError):
    """Input beyond a bound, or not the text or JSON it must be; the message says where."""


@dataclass(frozen=True)
class Limits:
    """The bounds of one JSON value: an entry's `json` field, or a whole document. With
    `checked` False only size, depth and value count are held here: text and numbers (NaN,
    1e400) are left to the contract, record by record (an adapter's document)."""

    max_bytes: int = MAX_FIELD_BYTES
    max_nodes: int = MAX_NODES
    max_depth: int = MAX_DEPTH
    checked: bool = True


FIELD = Limits()
DOCUMENT = Limits(MAX_BODY_BYTES, MAX_DOCUMENT_NODES)
RECORDS = Limits(MAX_BODY_BYTES, MAX_DOCUMENT_NODES, checked=False)


def shown(text: str, limit: int = 40) -> str:
    """Input quoted in a reason: cut short, and with anything unsafe to store escaped."""
    cut = text[:limit]
    escaped = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", cut)
    return escaped + ("…" if len(text) > limit else "")


def escaped(value: Any) -> str:
    """Raw input as storable text (a dead letter): bytes that are not UTF-8 and lone surrogates
    become backslash escapes, so keeping the evidence can never fail."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "backslashreplace")
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def check_text(text: str, where: str) -> str:
    """`text` when it is valid, printable Unicode; else a BoundsError naming the character."""
    bad = _UNSAFE.search(text)
    if bad is None:
        return text
    char = ord(bad.group())
    kind = "lone surrogate" if 0xD800 <= char <= 0xDFFF else "control character"
    raise BoundsError(f"{where}: {kind} U+{char:04X} at char {bad.start()}")


def check_name(name: str, what: str = "field name") -> str:
    if len(name) > MAX_NAME_CHARS:
        raise BoundsError(f"{what} '{shown(name)}' is longer than {MAX_NAME_CHARS} characters")
    return check_text(name, f"{what} '{shown(name)}'")


def utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BoundsError(
            f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02x} at {exc.start})"
        ) from None


def finite(text: str) -> float:
    """A JSON or field number; one beyond float range would reach screens as `Infinity`,
    which browsers' JSON.parse refuses, so it is refused here."""
    number = float(text)
    if not math.isfinite(number):
        raise BoundsError(f"number {shown(text)} is out of range")
    return number


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise BoundsError(f"number {shown(text)} has more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def check_depth(text: str, where: str, limit: int = MAX_DEPTH) -> None:
    """Refuse nesting before parsing: Python's JSON parser recurses per level and a few
    thousand levels raise RecursionError, which is no ValueError (issue 17). Linear time."""
    depth, position = 0, 0
    while (token := _BRACKET_OR_QUOTE.search(text, position)) is not None:
        char, position = token.group(), token.end()
        if char == '"':
            string = _REST_OF_STRING.match(text, position)
            if string is None:
                return  # an unterminated string: not JSON, which json.loads then says
            position = string.end()
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise BoundsError(f"{where} nests deeper than {limit} levels")
        else:
            depth -= 1


def load_json(
    data: str | bytes, where: str, limits: Limits = FIELD, root: str | None = None
) -> Any:
    """Parse bounded JSON: size, depth, node count, numbers, names and text all checked.
    Raises only BoundsError: `where` names the whole value, `root` starts the path of a part
    (`json field` / `json.rows[0]`)."""
    if len(data) > limits.max_bytes:
        raise BoundsError(f"{where} larger than {limits.max_bytes} bytes")
    text = utf8(data, where) if isinstance(data, bytes) else data
    check_depth(text, where, limits.max_depth)
    # Number hooks cost a Python call per number: used only when a number could overflow a
    # float or be overlong (a string that merely looks so just takes the slower path).
    hooks: dict[str, Any] = {"parse_int": _integer} if _RISKY.search(text) else {}
    if limits.checked:
        hooks["parse_constant"] = _not_json(where)
        if hooks.get("parse_int"):
            hooks["parse_float"] = finite
    try:
        value = json.loads(text, **hooks)
    except json.JSONDecodeError as exc:
        raise BoundsError(f"{where} is not JSON ({exc.msg} at char {exc.pos})") from None
    check_tree(value, root or where, limits.max_nodes, where, limits.checked)
    return value


def _not_json(where: str) -> Any:
    def refuse(name: str) -> Any:
        raise BoundsError(f"{where} holds {name}, which is not JSON")

    return refuse


def check_tree(
    value: Any, root: str, max_nodes: int, where: str | None = None, text: bool = True
) -> None:
    """At most `max_nodes` values; with `text`, every string and key valid text and every key
    a bounded name. Walks with an explicit stack (a value built elsewhere may be deeper than
    the recursion limit); paths are only built to locate a fault once one is known."""
    if not _clean(value, max_nodes, text):
        _locate(value, root, max_nodes, where or root)


def _clean(value: Any, max_nodes: int, text: bool = True) -> bool:
    """The fast pass: no paths, values counted as they are pushed (a list of 30,000 numbers
    is refused before any of them is looked at)."""
    stack, count = [value], 1
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if text and _UNSAFE.search(node):
                return False
        elif isinstance(node, dict | list):
            count += len(node)
            if count > max_nodes:
                return False
            if isinstance(node, dict):
                names = map(str, node) if text else ()
                if any(len(k) > MAX_NAME_CHARS or _UNSAFE.search(k) for k in names):
                    return False
                stack.extend(node.values())
            else:
                stack.extend(node)
    return True


def _locate(value: Any, root: str, max_nodes: int, where: str) -> None:
    """The same walk as `_clean`, with paths: raises the located BoundsError."""
    stack: list[tuple[str, Any]] = [(root, value)]
    count = 1
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            check_text(node, path)
        elif isinstance(node, dict | list):
            count += len(node)
            if count > max_nodes:
                raise BoundsError(f"{where} holds more than {max_nodes} values")
            if isinstance(node, dict):
                for key in map(str, node):
                    check_name(key, f"{path}: key")
                stack.extend((f"{path}.{key}", item) for key, item in node.items())
            else:
                stack.extend((f"{path}[{i}]", item) for i, item in enumerate(node))
