"""Solutions keep ``isBasedOn``: ``solution.based_on``, for showing a solution's variants.

Existing rows start empty; the reader version changes with this (2), so the next harvest —
or ``allmende reread`` at once, offline, from the stored texts — reads every solution again
and fills it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("based_on", sa.JSON(), nullable=False,
                                      server_default="[]"))
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.alter_column("based_on", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_column("based_on")
