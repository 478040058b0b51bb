"""Config revisions (issue 20, part 5): every config that takes effect is stored once,
append-only, with who and a diff; `opswall config history|show|diff|rollback`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from opswall.auth import audit
from opswall.cli import main
from opswall.config.live import ConfigSource
from opswall.store.db import AppendOnlyError, Database
from opswall.store.schema import ConfigRevision
from opswall.studio import revisions
from opswall.studio.revisions import FILE_EDIT, Revisions
from opswall.tiles import default_registry
from tests.conftest import FIXTURES

MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
MOVED = MINIMAL.replace("{col: 10, row: 1, w: 3, h: 2}}", "{col: 10, row: 4, w: 3, h: 2}}")


def write(path: Path, body: str, bump: int) -> None:
    """Write the file with an mtime `bump` seconds later, so the reload sees a change."""
    path.write_text(body, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))


def test_revisions_are_append_only(db: Database) -> None:
    """An UPDATE or DELETE of a revision is refused by the ORM guard and by the database."""
    assert revisions.record(db, MINIMAL, "ada") is not None
    with pytest.raises(AppendOnlyError), db.session() as s:
        s.scalars(select(ConfigRevision)).one().by = "mallory"
    for statement in ("UPDATE config_revisions SET by = 'x'", "DELETE FROM config_revisions"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert [r.by for r in revisions.history(db)] == ["ada"]


def test_a_revision_is_stored_once_with_its_diff(db: Database) -> None:
    """The same text twice in a row is one revision; the next holds a diff of one changed line."""
    first = revisions.record(db, MINIMAL, FILE_EDIT)
    assert first is not None and revisions.record(db, MINIMAL, "ada") is None
    second = revisions.record(db, MOVED, "ada")
    assert second is not None and second.text == MOVED and len(second.sha256) == 64
    changed = [line for line in second.diff.splitlines() if line[:1] in "+-"]
    assert changed[2:] == [
        f"-{line}" for line in MINIMAL.splitlines() if "col: 10, row: 1, w: 3" in line
    ] + [f"+{line}" for line in MOVED.splitlines() if "col: 10, row: 4, w: 3" in line]
    assert [r.id for r in revisions.history(db)] == [second.id, first.id]


def test_the_web_process_stores_what_takes_effect_and_who(tmp_path: Path, db: Database) -> None:
    """Start stores the config in force; a hand edit is a "file edit"; a claimed text is the
    claimant's; an invalid edit stores nothing."""
    path = tmp_path / "wall_config.yaml"
    write(path, MINIMAL, 0)
    source, recorder = ConfigSource(path, default_registry()), Revisions(db)
    source.listen(recorder.took_effect)
    write(path, MOVED, 1)
    assert source.refresh()
    recorder.claim(MINIMAL, "ada")
    write(path, MINIMAL, 2)
    assert source.refresh()
    write(path, MINIMAL + "bogus: 1\n", 3)
    assert not source.refresh()
    assert [(r.by, r.text) for r in reversed(revisions.history(db))] == [
        (FILE_EDIT, MINIMAL),
        (FILE_EDIT, MOVED),
        ("ada", MINIMAL),
    ]


def test_config_commands_list_show_diff_and_roll_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """history lists, show prints the text, diff the change; rollback writes the file, is a
    new revision in the shell user's name, and is audited."""
    db_url = f"sqlite:///{tmp_path / 'record' / 'opswall.db'}"
    monkeypatch.setenv("OPSWALL_DATABASE_URL", db_url)
    monkeypatch.setenv("OPSWALL_REDIS_URL", "redis://127.0.0.1:1/0")  # never joins a demo
    path = tmp_path / "wall_config.yaml"
    path.write_text(MOVED, encoding="utf-8")
    db = Database(db_url)
    db.upgrade()
    revisions.record(db, MINIMAL, FILE_EDIT)
    revisions.record(db, MOVED, "ada")
    config = ["--config", str(path)]
    assert main(["config", *config, "history"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed[1:]] == ["2", "1"] and "ada" in listed[1]
    assert main(["config", *config, "show", "1"]) == 0
    assert capsys.readouterr().out == MINIMAL
    assert main(["config", *config, "diff", "2"]) == 0
    shown = capsys.readouterr().out
    assert "-      - {id: clock, type: clock, at: {col: 10, row: 1" in shown
    assert "+      - {id: clock, type: clock, at: {col: 10, row: 4" in shown
    assert main(["config", *config, "rollback", "1"]) == 0
    assert "now revision 3" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == MINIMAL
    newest = revisions.history(db)[0]
    assert (newest.id, newest.text, newest.by.startswith("cli:")) == (3, MINIMAL, True)
    rolled = audit.recent(db, action="config.rollback")
    assert [(r.actor, r.detail["to_revision"]) for r in rolled] == [(newest.by, 1)]
    assert main(["config", *config, "show", "9"]) == 1
    assert "no config revision 9" in capsys.readouterr().err


def test_a_revision_that_no_longer_loads_is_not_rolled_back_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stored text the loader now refuses (a tile type gone, say): located errors, exit 1,
    the file and the revisions unchanged."""
    db_url = f"sqlite:///{tmp_path / 'record' / 'opswall.db'}"
    monkeypatch.setenv("OPSWALL_DATABASE_URL", db_url)
    monkeypatch.setenv("OPSWALL_REDIS_URL", "redis://127.0.0.1:1/0")
    path = tmp_path / "wall_config.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    db = Database(db_url)
    db.upgrade()
    gone = revisions.record(db, MINIMAL.replace("type: clock", "type: sundial"), FILE_EDIT)
    revisions.record(db, MINIMAL, FILE_EDIT)
    assert gone is not None
    assert main(["config", "--config", str(path), "rollback", str(gone.id)]) == 1
    assert "unknown tile type 'sundial'" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == MINIMAL and len(revisions.history(db)) == 2
