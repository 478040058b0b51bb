"""Server-side sessions, typed device-token kinds, counts of refused sign-ins (issue 17).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sid_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("last_seen_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(255), nullable=False),
    )
    op.create_table(
        "audit_counts",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column(
            "audit_id", sa.Integer, sa.ForeignKey("audit_events.id"), nullable=False, unique=True
        ),
        sa.Column("count", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("device_tokens") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="screen"))
    # Tokens made before kinds were typed carried the kind in their scope string.
    tokens = sa.table("device_tokens", sa.column("kind"), sa.column("screen"))
    for kind, where in (
        ("producer", tokens.c.screen.like("push:%")),
        ("agency", tokens.c.screen.like("agency:%")),
        ("metrics", tokens.c.screen == "metrics"),
    ):
        op.execute(tokens.update().where(where).values(kind=kind))


def downgrade() -> None:
    with op.batch_alter_table("device_tokens") as batch:
        batch.drop_column("kind")
    op.drop_table("audit_counts")
    op.drop_table("web_sessions")
