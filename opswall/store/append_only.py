"""Append-only tables: database triggers that refuse UPDATE and DELETE (and TRUNCATE).

The ORM guard in `db.py` gives a clear error early; these triggers make the rule hold for any
client of the database, raw SQL included.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION opswall_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE =
    TG_TABLE_NAME || ' is append-only: rows are never updated or deleted';
END $$
"""


def create_guards(connection: Connection, tables: Iterable[str]) -> None:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql(PG_FUNCTION)
    for table in tables:
        if dialect == "sqlite":
            for op in ("UPDATE", "DELETE"):
                connection.exec_driver_sql(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} BEGIN "
                    f"SELECT RAISE(ABORT, '{table} is append-only: rows are never updated "
                    f"or deleted'); END"
                )
        elif dialect == "postgresql":
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION opswall_append_only()"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION opswall_append_only()"
            )


def drop_guards(connection: Connection, tables: Iterable[str]) -> None:
    dialect = connection.dialect.name
    for table in tables:
        if dialect == "sqlite":
            for op in ("update", "delete"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        elif dialect == "postgresql":
            for name in (f"{table}_append_only", f"{table}_no_truncate"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")


PG_NO_UPDATE = """
CREATE OR REPLACE FUNCTION opswall_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows are never updated';
END $$
"""


def create_update_guards(connection: Connection, tables: Iterable[str]) -> None:
    """Rows that may be dropped (retention) but never changed."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql(PG_NO_UPDATE)
    for table in tables:
        if dialect == "sqlite":
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
                f"SELECT RAISE(ABORT, '{table} rows are never updated'); END"
            )
        elif dialect == "postgresql":
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION opswall_no_update()"
            )


def drop_update_guards(connection: Connection, tables: Iterable[str]) -> None:
    for table in tables:
        suffix = f" ON {table}" if connection.dialect.name == "postgresql" else ""
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_update{suffix}")


FLOOR = "(SELECT COALESCE(MAX(before_ms), 0) FROM prune_floors WHERE tbl = '{table}')"
PG_FLOOR = """
CREATE OR REPLACE FUNCTION opswall_{table}_floor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.at_ms >= {floor} THEN
    RAISE EXCEPTION USING MESSAGE = '{table}: only rows older than a prune floor may be deleted';
  END IF;
  RETURN OLD;
END $$
"""
PG_NO_FUTURE = """
CREATE OR REPLACE FUNCTION opswall_floor_not_ahead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.before_ms > extract(epoch from now()) * 1000 THEN
    RAISE EXCEPTION USING MESSAGE = 'prune_floors: a floor cannot be in the future';
  END IF;
  RETURN NEW;
END $$
"""
SQLITE_NOW_MS = "CAST(strftime('%s', 'now') AS INTEGER) * 1000"


def create_floor_guards(connection: Connection, table: str) -> None:
    """`table` (with an `at_ms` column) is never updated, and a row is deleted only when it is
    older than the newest `prune_floors` row for it (issue 24): the retention job declares the
    floor first, append-only, so any deletion leaves a permanent record; floors never lie
    ahead of the clock, so no one can declare the present prunable."""
    create_update_guards(connection, (table,))
    floor = FLOOR.format(table=table)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            f"CREATE TRIGGER {table}_floor BEFORE DELETE ON {table} WHEN OLD.at_ms >= {floor} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: only rows older than a prune floor may be "
            "deleted'); END"
        )
        connection.exec_driver_sql(
            "CREATE TRIGGER prune_floors_not_ahead BEFORE INSERT ON prune_floors "
            f"WHEN NEW.before_ms > {SQLITE_NOW_MS} BEGIN "
            "SELECT RAISE(ABORT, 'prune_floors: a floor cannot be in the future'); END"
        )
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(PG_FLOOR.format(table=table, floor=floor))
        connection.exec_driver_sql(
            f"CREATE TRIGGER {table}_floor BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION opswall_{table}_floor()"
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION opswall_append_only()"
        )
        connection.exec_driver_sql(PG_NO_FUTURE)
        connection.exec_driver_sql(
            "CREATE TRIGGER prune_floors_not_ahead BEFORE INSERT ON prune_floors "
            "FOR EACH ROW EXECUTE FUNCTION opswall_floor_not_ahead()"
        )
