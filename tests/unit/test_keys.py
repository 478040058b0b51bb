"""Every Redis key, stream and prefix is spelled once, in `opswall/keys.py` (issue 19)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from opswall import keys
from tests.conftest import parse_python

PACKAGE = Path(keys.__file__).parent
KEYS = PACKAGE / "keys.py"
HASH_TAGGED = re.compile(r"^\{[^{}]+\}:")  # "{wall}:state": only a Redis key starts so


def names() -> dict[str, str]:
    """The names `opswall.keys` defines: the module's string constants."""
    return {
        name: value
        for name, value in vars(keys).items()
        if name.isupper() and isinstance(value, str)
    }


def literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """String constants, f-strings' literal heads included; docstrings are prose."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def spelled_again(text: str, known: dict[str, str]) -> str | None:
    """Which key name `text` spells (a key, or a key under one of the prefixes), if any."""
    for name, value in known.items():
        if text == value or (value.endswith(":") and text.startswith(value)):
            return name
    return "a hash-tagged key" if HASH_TAGGED.match(text) else None


def test_no_redis_key_is_spelled_outside_the_keys_module() -> None:
    """A key written in two modules drifts: each module imports its names from opswall.keys."""
    known = names()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == KEYS:
            continue
        for line, text in literals(parse_python(path.read_text(encoding="utf-8"))):
            if name := spelled_again(text, known):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r} ({name})")
    assert found == []


def test_the_check_recognises_each_kind_of_key() -> None:
    """The meta-test above would catch a copy of a key, a prefixed key and a hash-tagged one."""
    known = names()
    assert spelled_again("{wall}:state", known) == "STATE_KEY"
    assert spelled_again("deadletter:", known) == "DEADLETTER_PREFIX"
    assert spelled_again("{ratelimit}:login:pair:", known) == "RATE_LIMIT_PREFIX"
    assert spelled_again("{elsewhere}:lock", known) == "a hash-tagged key"
    assert spelled_again("defaults to feed:<id>", known) is None  # prose naming a key
    source = 'def f(x):\n    """feed: a docstring."""\n    return f"ticket:{x}"\n'
    assert list(literals(parse_python(source))) == [(3, "ticket:")]


def test_key_helpers_build_names_under_their_prefixes() -> None:
    """Each helper's key starts with the prefix it is filed under; shards share a hash tag."""
    assert keys.feed_stream("wind") == "feed:wind"
    assert keys.deadletter_stream("wind").startswith(keys.DEADLETTER_PREFIX)
    assert keys.feed_health("wind").startswith(keys.FEED_HEALTH_PREFIX)
    assert keys.feed_cursor("wind").startswith(keys.FEED_CURSOR_PREFIX)
    assert keys.ticket("abc").startswith(keys.TICKET_PREFIX)
    logins = [keys.login_pair("1.2.3.4", "lena"), keys.login_address("1.2.3.4")]
    logins += [keys.login_user("lena"), keys.login_work("ff")]
    assert {key.split(":")[0] for key in logins} == {"{ratelimit}"}  # one slot: one MGET
    sharded = keys.sharded_feed_stream("wind", 6)
    assert re.fullmatch(r"feed:\{s[0-5]\}:wind", sharded)
