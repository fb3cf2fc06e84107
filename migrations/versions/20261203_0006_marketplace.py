"""The marketplace: needs (Bedarfe), their matches and relayed messages; organisations gain
what the official municipality directory says of them (type, district, population, area).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("field_of_action", sa.String(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("operating_models", sa.JSON(), nullable=False),
        sa.Column("budget_band", sa.String(), nullable=True),
        sa.Column("platforms", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("contact_ok", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("solved_with_id", sa.Integer(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("matches_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'in_exchange', 'solved', 'withdrawn')", name=op.f("ck_need_status")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["account.id"],
            name=op.f("fk_need_author_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_need_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solved_with_id"],
            ["solution.id"],
            name=op.f("fk_need_solved_with_id_solution"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_need_field_of_action"), ["field_of_action"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_need_last_activity_at"), ["last_activity_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_need_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_status"), ["status"], unique=False)

    op.create_table(
        "needmatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("first_found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('solution', 'organisation')", name=op.f("ck_needmatch_kind")),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_needmatch_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needmatch")),
        sa.UniqueConstraint(
            "need_id", "kind", "target_id", name="uq_needmatch_need_id_kind_target_id"
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("needmatch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_needmatch_need_id"), ["need_id"], unique=False)

    op.create_table(
        "relaymessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("sender_organisation_id", sa.Integer(), nullable=True),
        sa.Column("recipient_organisation_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("solution_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("answer_token_hash", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_reason", sa.String(), nullable=True),
        sa.CheckConstraint(
            "status IN ('sent', 'answered', 'reported')", name=op.f("ck_relaymessage_status")
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_relaymessage_need_id_need"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_relaymessage_recipient_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["account.id"],
            name=op.f("fk_relaymessage_sender_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sender_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_relaymessage_sender_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solution.id"],
            name=op.f("fk_relaymessage_solution_id_solution"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relaymessage")),
        sa.UniqueConstraint("answer_token_hash", name=op.f("uq_relaymessage_answer_token_hash")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("relaymessage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relaymessage_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_relaymessage_recipient_organisation_id"),
            ["recipient_organisation_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_relaymessage_sender_id"), ["sender_id"], unique=False)

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("official_type", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("district", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("population", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("area_km2", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("imported_at")
        batch_op.drop_column("area_km2")
        batch_op.drop_column("population")
        batch_op.drop_column("district")
        batch_op.drop_column("official_type")

    with op.batch_alter_table("relaymessage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relaymessage_sender_id"))
        batch_op.drop_index(batch_op.f("ix_relaymessage_recipient_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_relaymessage_created_at"))

    op.drop_table("relaymessage")
    with op.batch_alter_table("needmatch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_needmatch_need_id"))

    op.drop_table("needmatch")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_status"))
        batch_op.drop_index(batch_op.f("ix_need_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_need_last_activity_at"))
        batch_op.drop_index(batch_op.f("ix_need_field_of_action"))
        batch_op.drop_index(batch_op.f("ix_need_author_id"))

    op.drop_table("need")
