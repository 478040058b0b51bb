"""Sessions, token kinds and rolled-up sign-in refusals in the record, on SQLite and (where
this machine has it) PostgreSQL, through the same code with only the URL changed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect, text

from opswall.auth import audit
from opswall.auth.accounts import AccountError, Accounts
from opswall.auth.principals import Principal
from opswall.auth.scopes import TokenKind, TokenScope
from opswall.auth.sessions import Client, Sessions
from opswall.store.db import MIGRATIONS, Database


def test_a_session_lives_until_it_is_ended_or_its_person_changes(db: Database) -> None:
    """A session id names its person until signed out; a password or role change ends all
    of that person's sessions and nobody else's."""
    accounts, sessions = Accounts(db), Sessions(db)
    for name in ("lena", "minh"):
        accounts.create_user(name, "a long enough secret", "leader", clearance=False)
    first, second = (sessions.open("lena", Client("10.0.0.1", "kiosk")) for _ in range(2))
    other = sessions.open("minh", Client())
    assert first and second and other and sessions.open("nobody", Client()) is None
    assert sessions.person(first) == Principal("lena", "leader")
    sessions.end(first)
    assert sessions.person(first) is None and sessions.person(second) is not None
    accounts.set_role("lena", "operator")
    assert sessions.person(second) is None and sessions.person(other) is not None
    third = sessions.open("lena", Client())
    assert third and sessions.person(third) == Principal("lena", "operator")
    accounts.set_password("lena", "another long secret")
    assert sessions.person(third) is None
    assert [s.username for s in sessions.live()] == ["minh"]
    assert sessions.person("x" * 101) is None and sessions.person("") is None


def test_checking_a_session_is_one_indexed_query(db: Database) -> None:
    """A request's session check is one SELECT by the unique session digest (joined to its
    person); `last_seen_at` is written at most once a minute, not per request."""
    Accounts(db).create_user("lena", "a long enough secret", "leader", clearance=False)
    sessions = Sessions(db)
    sid = sessions.open("lena", Client())
    assert sid
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for _ in range(5):
            assert sessions.person(sid) is not None
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(statements) == 5 and all(s.lstrip().startswith("SELECT") for s in statements)
    assert all("web_sessions.sid_hash =" in s for s in statements)
    indexes = inspect(db.engine).get_indexes("web_sessions")
    unique = [c["column_names"] for c in inspect(db.engine).get_unique_constraints("web_sessions")]
    assert ["sid_hash"] in unique + [i["column_names"] for i in indexes if i["unique"]]


def test_the_last_admin_keeps_the_role_and_passwords_are_bounded(db: Database) -> None:
    """Nobody can demote the only admin (the wall would have nobody to manage people), and a
    password is 10 to 1024 characters."""
    accounts = Accounts(db)
    accounts.create_user("ada", "a long enough secret", "admin", clearance=True)
    with pytest.raises(AccountError, match="'ada' is the last admin"):
        accounts.set_role("ada", "operator")
    with pytest.raises(AccountError, match="at most 1024 characters"):
        accounts.set_password("ada", "x" * 1025)
    accounts.create_user("bao", "a long enough secret", "admin", clearance=True)
    accounts.set_role("ada", "operator")
    assert [p.role for p in accounts.users()] == ["operator", "admin"]


def test_refused_sign_ins_roll_up_into_one_audit_row_a_minute(db: Database) -> None:
    """Many refusals of one name from one address in one minute are one row with a count,
    even when they arrive at the same moment; another minute or address is another row."""
    who, origin = Principal("admin", "viewer"), audit.Origin("bot", "203.0.113.9")
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda _: audit.record_refusal(db, who, "login.blocked", "admin", origin, "m1"),
                range(40),
            )
        )
    audit.record_refusal(db, who, "login.blocked", "admin", origin, "m2")
    audit.record_refusal(db, who, "login.blocked", "admin", audit.Origin("", "10.1.1.1"), "m2")
    rows = audit.recent(db, action="login.blocked")
    assert sorted((r.address, r.detail["minute"], r.count) for r in rows) == [
        ("10.1.1.1", "m2", 1),
        ("203.0.113.9", "m1", 40),
        ("203.0.113.9", "m2", 1),
    ]


def test_migration_0003_types_the_tokens_made_before_it(db: Database) -> None:
    """Tokens stored as plain scope strings get their kind from the string's prefix."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        for n, scope in enumerate(("main", "*", "push:pushed", "agency:MOIT", "metrics")):
            connection.execute(
                text(
                    "INSERT INTO device_tokens (label, screen, token_hash, clearance, created_at,"
                    " created_by) VALUES (:label, :scope, :hash, false, CURRENT_TIMESTAMP, 'x')"
                ),
                {"label": scope, "scope": scope, "hash": f"{n:064d}"},
            )
    db.upgrade()
    kinds = [t.scope.kind for t in Accounts(db).tokens()]
    assert kinds == [
        TokenKind.SCREEN,
        TokenKind.SCREEN,
        TokenKind.PRODUCER,
        TokenKind.AGENCY,
        TokenKind.METRICS,
    ]
    assert [t.screen for t in Accounts(db).tokens()][2:] == [
        "push:pushed",
        "agency:MOIT",
        "metrics",
    ]
    _, token = Accounts(db).create_token("PC", TokenScope(TokenKind.SCREEN, "main"), False, "a")
    device = Accounts(db).device(token)
    assert device is not None and device.may_show("main") and not device.may_show("left")
