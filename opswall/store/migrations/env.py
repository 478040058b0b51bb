"""Alembic environment: always run programmatically by `opswall.store.db.Database.upgrade`."""

from __future__ import annotations

from alembic import context

from opswall.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
