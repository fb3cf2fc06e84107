"""What a town may see is what is readable: the metadata-quality grade per solution.

Adds ``quality``, ``quality_reasons`` and ``read_with``. Existing rows keep exactly what they
showed before (``valid`` for valid solutions, ``readable`` for invalid ones with a last valid
version, ``unreadable`` for the rest), and their change markers are forgotten, so the next
harvest — incremental, no ``--full`` needed — fetches every file once more and grades it with
the new reader (``read_with`` is empty until then). ``allmende reread`` does the same at once
from the stored files, without the network.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quality", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("quality_reasons", sa.JSON(), nullable=False,
                                      server_default="[]"))
        batch_op.add_column(sa.Column("read_with", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_solution_quality"), ["quality"], unique=False)
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.alter_column("quality_reasons", server_default=None)
    op.execute("UPDATE solution SET quality = CASE"
               " WHEN status = 'valid' THEN 'valid'"
               " WHEN status = 'invalid' AND last_valid_at IS NOT NULL THEN 'readable'"
               " ELSE 'unreadable' END, change_marker = NULL")


def downgrade() -> None:
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solution_quality"))
        batch_op.drop_column("read_with")
        batch_op.drop_column("quality_reasons")
        batch_op.drop_column("quality")
