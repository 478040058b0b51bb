"""The record on SQLite and (where this machine has it) PostgreSQL: migrations, accounts and
append-only tables, through the same code with only the URL changed."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from opswall.auth import audit
from opswall.auth.accounts import AccountError, Accounts
from opswall.auth.principals import Principal
from opswall.control.warnings import history, record_step
from opswall.store.db import AppendOnlyError, Database
from opswall.store.schema import AuditEvent


def test_migrations_create_the_schema_and_are_idempotent(db: Database) -> None:
    db.upgrade()  # a second part starting: nothing to do, nothing broken
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "users",
        "device_tokens",
        "audit_events",
        "warning_events",
        "settings",
        "history_points",
        "indicator_reports",
        "web_sessions",
        "audit_counts",
        "config_revisions",
        "wall_states",
        "prune_floors",
    } <= tables
    with db.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
        )


def test_accounts_hash_passwords_and_tokens(db: Database) -> None:
    accounts = Accounts(db)
    accounts.create_user("lena", "a long enough secret", "leader", clearance=False)
    with pytest.raises(AccountError, match="exists"):
        accounts.create_user("lena", "another long secret", "leader", clearance=False)
    with pytest.raises(AccountError, match="role must be one of"):
        accounts.create_user("root", "a long enough secret", "god", clearance=True)
    assert accounts.authenticate("lena", "a long enough secret") == Principal("lena", "leader")
    assert accounts.authenticate("lena", "wrong") is None
    token_id, token = accounts.create_token("PC 1", "main", True, "ada")
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM device_tokens")).scalar()
        hashes = connection.execute(text("SELECT password_hash FROM users")).scalar()
    assert stored != token and len(str(stored)) == 64  # only the digest is kept
    assert str(hashes).startswith("scrypt$") and "a long enough secret" not in str(hashes)
    assert accounts.device(token) == Principal(f"device:{token_id}", "viewer", True, "main")
    assert accounts.revoke_token(token_id, "ada") and not accounts.revoke_token(token_id, "ada")
    assert accounts.device(token) is None


def test_audit_and_warning_rows_are_append_only(db: Database) -> None:
    audit.record(db, Principal("lena", "leader"), "control.scene", "disaster", {"scene": "x"})
    with pytest.raises(AppendOnlyError), db.session() as s:
        row = s.scalars(select(AuditEvent)).one()
        row.target = "economy"  # the ORM guard refuses before SQL is sent
    with pytest.raises(AppendOnlyError), db.session() as s:
        s.delete(s.scalars(select(AuditEvent)).one())
    # Raw SQL, bypassing the ORM: the database's own triggers refuse.
    for statement in ("UPDATE audit_events SET target = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert [r.target for r in audit.recent(db)] == ["disaster"]
    assert record_step(db, "storm:1-0", "raised", "system", "storm", "critical", "Storm")
    assert not record_step(db, "storm:1-0", "raised", "system", "storm", "critical", "Storm")
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("UPDATE warning_events SET step = 'cleared'"))
    assert [(w.warning_id, w.step) for w in history(db)] == [("storm:1-0", "raised")]
