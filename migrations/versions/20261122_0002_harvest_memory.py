"""Harvest memory: forge id, change marker and the last harvest error per solution.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forge_id", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("change_marker", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_error_at", sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f("ix_solution_forge_id"), ["forge_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solution_forge_id"))
        batch_op.drop_column("last_error_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("change_marker")
        batch_op.drop_column("forge_id")
