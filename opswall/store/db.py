"""`Database(url)`: the engine, schema upgrades (Alembic), sessions, and the append-only guard."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from opswall.errors import OpswallError
from opswall.store.schema import APPEND_ONLY, NO_UPDATE, Base

log = logging.getLogger("opswall.store")

MIGRATIONS = Path(__file__).parent / "migrations"
PG_MIGRATION_LOCK = 7_020_275  # pg_advisory_lock key: one part migrates at a time


class AppendOnlyError(OpswallError):
    """An attempt to change or remove a row of an append-only table."""


def _guard_append_only(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", "")
        if table in APPEND_ONLY and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyError(f"{table} is append-only: rows are never updated or deleted")
        if table in NO_UPDATE and obj not in session.deleted and session.is_modified(obj):
            raise AppendOnlyError(f"{table} rows are never updated")


class Database:
    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (None, ":memory:"):
            Path(self.url.database or "").parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url, pool_pre_ping=True)
        if self.url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _guard_append_only)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest migration; safe when several parts start at once."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._migration_lock(), self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.url.get_backend_name() != "sqlite" or not self.url.database:
            yield
            return
        lock_path = Path(f"{self.url.database}.migrate-lock")
        with lock_path.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=5000")  # web, gateway and CLI share one file
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


__all__ = ["AppendOnlyError", "Base", "Database"]
