"""Wall state versions and prune floors, for the time machine (issue 24).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opswall.store.append_only import (
    PG_FUNCTION,
    create_floor_guards,
    create_guards,
    drop_guards,
    drop_update_guards,
)

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "wall_states",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_index("ix_wall_states_at_ms", "wall_states", ["at_ms"])
    op.create_table(
        "prune_floors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tbl", sa.String(64), nullable=False),
        sa.Column("before_ms", sa.BigInteger, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(PG_FUNCTION)  # the TRUNCATE guard's function
    create_guards(bind, ("prune_floors",))
    create_floor_guards(bind, "wall_states")


def downgrade() -> None:
    bind = op.get_bind()
    for name in ("wall_states_floor", "prune_floors_not_ahead", "wall_states_no_truncate"):
        table = "prune_floors" if name.startswith("prune") else "wall_states"
        suffix = f" ON {table}" if bind.dialect.name == "postgresql" else ""
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{suffix}")
    drop_update_guards(bind, ("wall_states",))
    drop_guards(bind, ("prune_floors",))
    op.drop_table("prune_floors")
    op.drop_index("ix_wall_states_at_ms", "wall_states")
    op.drop_table("wall_states")
