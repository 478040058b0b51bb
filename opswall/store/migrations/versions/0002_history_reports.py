"""Feed history (recorded entries) and indicator reports with revisions.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opswall.store.append_only import (
    create_guards,
    create_update_guards,
    drop_guards,
    drop_update_guards,
)

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "history_points",
        sa.Column("feed", sa.String(64), primary_key=True),
        sa.Column("entry_ms", sa.BigInteger, primary_key=True),
        sa.Column("entry_seq", sa.BigInteger, primary_key=True),
        sa.Column("asof_ms", sa.BigInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("fields", sa.Text, nullable=False),
    )
    op.create_index("ix_history_feed_asof", "history_points", ["feed", "asof_ms"])
    op.create_table(
        "indicator_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("area", sa.String(40), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.UniqueConstraint("code", "area", "period", "revision", name="uq_report_revision"),
    )
    op.create_index("ix_reports_code_area", "indicator_reports", ["code", "area", "period"])
    create_guards(op.get_bind(), ("indicator_reports",))
    create_update_guards(op.get_bind(), ("history_points",))


def downgrade() -> None:
    drop_update_guards(op.get_bind(), ("history_points",))
    drop_guards(op.get_bind(), ("indicator_reports",))
    op.drop_table("indicator_reports")
    op.drop_table("history_points")
