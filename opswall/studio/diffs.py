"""Text helpers shared by revisions and drafts: content hashes and unified diffs. Pure."""

from __future__ import annotations

import difflib
import hashlib


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unified(before: str, after: str, old: str = "before", new: str = "after") -> str:
    """The unified diff from `before` to `after` ("" when equal), as `git diff` would show it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old, new
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
