"""Config revisions: every wall config that takes effect, stored once, append-only (issue 20).

The web process stores the config it loads at start and every valid edit its hot reload picks
up. Who made it is "file edit" unless the studio claimed that text first (`Revisions.claim`,
called before it writes the file), so a revision names the person who applied or rolled back.
Rows are never updated or deleted (`store/append_only.py`); a rollback is a new revision.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from opswall.store.db import Database
from opswall.store.schema import ConfigRevision
from opswall.studio.diffs import sha256, unified

log = logging.getLogger("opswall.studio")

FILE_EDIT = "file edit"  # the author of a change nobody claimed: a hand edit of the file


@dataclass(frozen=True)
class Revision:
    id: int
    at: datetime
    by: str
    sha256: str
    text: str
    diff: str

    @property
    def changed(self) -> tuple[int, int]:
        """Lines added and removed against the revision before."""
        lines = [line for line in self.diff.splitlines() if line[:3] not in ("+++", "---")]
        return sum(line[:1] == "+" for line in lines), sum(line[:1] == "-" for line in lines)


def _revision(row: ConfigRevision) -> Revision:
    return Revision(row.id, row.at, row.by, row.sha256, row.text, row.diff)


def latest(db: Database) -> Revision | None:
    with db.session() as s:
        row = s.scalars(select(ConfigRevision).order_by(ConfigRevision.id.desc()).limit(1)).first()
        return _revision(row) if row else None


def get(db: Database, number: int) -> Revision | None:
    with db.session() as s:
        row = s.get(ConfigRevision, number)
        return _revision(row) if row else None


def history(db: Database, limit: int = 100) -> list[Revision]:
    """The newest revisions first."""
    query = select(ConfigRevision).order_by(ConfigRevision.id.desc()).limit(limit)
    with db.session() as s:
        return [_revision(row) for row in s.scalars(query)]


def record(db: Database, text: str, by: str) -> Revision | None:
    """Append `text` as a revision unless it is already the newest; None when it was. Two
    processes appending after the same parent: one insert wins, the other re-reads."""
    for _ in range(3):
        previous = latest(db)
        if previous is not None and previous.sha256 == sha256(text):
            return None
        row = ConfigRevision(
            parent=previous.id if previous else 0,
            by=by[:64],
            sha256=sha256(text),
            text=text,
            diff=unified(previous.text if previous else "", text, _name(previous), "this revision"),
        )
        try:
            with db.session() as s:
                s.add(row)
            return _revision(row)
        except IntegrityError:
            continue
    return None


def _name(revision: Revision | None) -> str:
    return f"revision {revision.id}" if revision else "nothing"


class Revisions:
    """The web process's recorder: what its ConfigSource takes, with who claimed it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._claims: dict[str, str] = {}
        self._lock = threading.Lock()

    def claim(self, text: str, by: str) -> None:
        """`by` is about to write `text`: the revision it becomes is theirs."""
        with self._lock:
            self._claims[sha256(text)] = by

    def took_effect(self, text: str) -> None:
        """A config took effect in this process; a failing database never stops the reload."""
        with self._lock:
            by = self._claims.pop(sha256(text), FILE_EDIT)
        try:
            record(self.db, text, by)
        except Exception:
            log.exception("config revision not stored (the config is in force all the same)")
