"""Writing the config file: atomically, and only over the text the writer started from."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from opswall.config.yaml_source import read_text
from opswall.errors import OpswallError
from opswall.studio.diffs import unified


class ChangedOnDisk(OpswallError):
    """The file is no longer the text the draft was opened on: `diff` shows what changed."""

    def __init__(self, diff: str) -> None:
        super().__init__("the config file changed on disk since this draft was opened")
        self.diff = diff


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step (temp file beside it, fsync, rename): every
    reader, the hot reload included, sees the old file or the new one, never half of it."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def replace_if_unchanged(path: Path, base: str, text: str) -> None:
    """Write `text` over `path` if the file still holds `base`; else ChangedOnDisk."""
    on_disk = read_text(path)
    if on_disk != base:
        raise ChangedOnDisk(unified(base, on_disk, "when the draft was opened", "on disk now"))
    write_atomic(path, text)
