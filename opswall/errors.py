"""The small, documented hierarchy of errors opswall raises on purpose.

Each error formats its own message from structured fields, so callers (the CLI, the log, tests)
never assemble error text themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


class OpswallError(Exception):
    """Base class: anything opswall reports to a person without a traceback."""


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in a wall config, located in the YAML source."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class WallConfigError(OpswallError):
    """A wall config that cannot be used; carries every issue found, in document order."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = sorted(issues, key=lambda i: (i.file, i.line, i.column))
        super().__init__("\n".join(str(issue) for issue in self.issues))


class RedisUnavailableError(OpswallError):
    """No Redis could be reached or started."""
