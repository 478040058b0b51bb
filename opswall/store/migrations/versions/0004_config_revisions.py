"""Config revisions: every wall config that took effect, append-only (issue 20, part 5).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opswall.store.append_only import create_guards, drop_guards

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "config_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent", sa.Integer, nullable=False, unique=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
    )
    create_guards(op.get_bind(), ("config_revisions",))


def downgrade() -> None:
    drop_guards(op.get_bind(), ("config_revisions",))
    op.drop_table("config_revisions")
