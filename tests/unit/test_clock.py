"""One wall clock: `opswall.clock.now_ms`, never a copy (issue 19)."""

from __future__ import annotations

import ast
import time
from datetime import UTC, datetime
from pathlib import Path

from opswall import clock
from tests.conftest import parse_python

PACKAGE = Path(clock.__file__).parent
CLOCK = PACKAGE / "clock.py"


def copies(tree: ast.AST) -> list[int]:
    """Lines defining a `now_ms`, or computing `time.time() * 1000` or a datetime's
    `.timestamp() * 1000` inline."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "now_ms":
            found.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            text = ast.unparse(node)
            inline = "time.time()" in text or ".timestamp()" in text
            found += [node.lineno] if inline and "1000" in text else []
    return found


def test_no_module_keeps_a_clock_of_its_own() -> None:
    """Milliseconds since the epoch are read from opswall.clock only."""
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != CLOCK
        for line in copies(parse_python(path.read_text(encoding="utf-8")))
    ]
    assert found == []
    assert copies(parse_python("import time\nx = int(time.time() * 1000)\n")) == [2]
    assert copies(parse_python("y = int(moment.timestamp() * 1000)\n")) == [1]


def test_now_ms_is_whole_milliseconds_since_the_epoch() -> None:
    """The unit of stream ids: an int between two readings of the system clock."""
    before = time.time() * 1000
    now = clock.now_ms()
    assert isinstance(now, int) and before - 1 <= now <= time.time() * 1000


def test_epoch_ms_reads_a_moment_in_the_same_unit() -> None:
    """A datetime (a report's submission, an entry's ISO `ts`) in whole epoch milliseconds."""
    moment = datetime(2026, 11, 29, 12, 0, 0, 123456, tzinfo=UTC)
    assert clock.epoch_ms(moment) == 1_795_953_600_123
    assert clock.epoch_ms(datetime(1970, 1, 1, tzinfo=UTC)) == 0
