"""The index records which catalogue state it reflects: ``solution.content_version``.

Counted by registry.models.versions on every change to what search indexes of a solution;
each index document stores the version it was built from (search.sync catches up what
differs). Existing rows start at 1; the index's schema version changes with this, so the first
harvest or ``allmende index rebuild`` after the upgrade builds the index afresh.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_version", sa.Integer(), nullable=False,
                                      server_default="1"))
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.alter_column("content_version", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_column("content_version")
