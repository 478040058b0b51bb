"""Users, device tokens, the audit trail, warnings, shared settings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opswall.store.append_only import create_guards, drop_guards

revision = "0001"
down_revision = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("clearance", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "device_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(128), nullable=False),
        sa.Column("screen", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("clearance", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, index=True),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("device", sa.String(255), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_table(
        "warning_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("warning_id", sa.String(160), nullable=False, index=True),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.UniqueConstraint("warning_id", "step", name="uq_warning_step"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    create_guards(op.get_bind(), ("audit_events", "warning_events"))


def downgrade() -> None:
    drop_guards(op.get_bind(), ("audit_events", "warning_events"))
    for table in ("settings", "warning_events", "audit_events", "device_tokens", "users"):
        op.drop_table(table)
