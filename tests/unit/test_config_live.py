"""Hot reload at the file level: valid edits take effect, invalid ones keep the last good."""

from __future__ import annotations

import os
from pathlib import Path

from opswall.config.live import ConfigSource
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"


def write(path: Path, text: str, bump: int) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))


def test_valid_edit_changes_only_the_edited_screens_revision(tmp_path: Path) -> None:
    """Moving a tile on one screen changes that screen's revision, not the others'."""
    path = tmp_path / "wall.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    write(path, text, 0)
    source = ConfigSource(path, default_registry())
    before = dict(source.current.revisions)
    assert source.refresh() is False  # nothing changed yet
    write(path, text.replace("{col: 10, row: 1, w: 3, h: 2}}", "{col: 10, row: 4, w: 3, h: 2}}"), 1)
    assert source.refresh() is True
    assert source.current.revisions["main"] != before["main"]
    assert source.current.revisions["second"] == before["second"]


def test_invalid_edit_keeps_the_last_good_config(tmp_path: Path) -> None:
    """A broken edit is rejected with located errors and the previous config stays."""
    path = tmp_path / "wall.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    write(path, text, 0)
    source = ConfigSource(path, default_registry())
    good = source.current
    write(path, text.replace("type: clock", "type: clok"), 1)
    assert source.refresh() is False
    assert source.current is good
    assert source.last_error is not None
    assert "wall.yaml:24:27: screens[0].tiles[2].type: unknown tile type 'clok'" in str(
        source.last_error
    )
    write(path, text, 2)  # fixed again: the error clears
    assert source.refresh() is True and source.last_error is None
