"""The record: users, device tokens, the audit trail and warnings, through SQLAlchemy.

SQLite by default, PostgreSQL (or any SQLAlchemy URL) by changing `OPSWALL_DATABASE_URL`.
The schema is owned by Alembic migrations (`migrations/`), applied at start by every part.
"""
