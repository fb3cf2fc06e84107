"""Initial catalogue: sources, publishers, solutions, adoptions, harvest runs.

Written from ``alembic revision --autogenerate`` and reviewed by hand: plain SQLAlchemy types
(so the revision does not depend on the models' Python types) and every constraint and index
named as ``registry.models.NAMING_CONVENTION`` names it.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str) -> sa.Column:
    return sa.Column(name, sa.JSON(), nullable=False)


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "source",
        _id(),
        _text("name", nullable=False),
        _text("type", nullable=False),
        _text("url"),
        _time("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source"),
        sa.UniqueConstraint("name", name="uq_source_name"),
    )

    op.create_table(
        "harvestrun",
        _id(),
        sa.Column("source_id", sa.Integer(), nullable=False),
        _time("started_at", nullable=False),
        _time("finished_at"),
        _text("status", nullable=False),
        *(_count(name) for name in ("seen", "new", "updated", "unchanged", "unlisted",
                                    "invalid", "failed", "removed")),
        _json("errors"),
        sa.CheckConstraint("status IN ('running', 'ok', 'partial', 'failed')",
                           name="ck_harvestrun_status"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name="fk_harvestrun_source_id_source"),
        sa.PrimaryKeyConstraint("id", name="pk_harvestrun"),
    )
    op.create_index("ix_harvestrun_source_id_started_at", "harvestrun",
                    ["source_id", "started_at"])

    op.create_table(
        "publisher",
        _id(),
        _text("name", nullable=False),
        _text("slug", nullable=False),
        _text("website"),
        _text("forge_namespace"),
        _text("region"),
        sa.Column("source_id", sa.Integer(), nullable=True),
        _time("created_at", nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name="fk_publisher_source_id_source"),
        sa.PrimaryKeyConstraint("id", name="pk_publisher"),
        sa.UniqueConstraint("slug", name="uq_publisher_slug"),
    )
    _indexes("publisher", "name", "region", "source_id")

    op.create_table(
        "solution",
        _id(),
        _text("url", nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        _text("status", nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        # the latest harvest
        sa.Column("raw_text", sa.Text(), nullable=True),
        _text("content_hash"),
        _json("findings"),
        # the last valid version
        sa.Column("valid_text", sa.Text(), nullable=True),
        _text("publiccode_version"),
        _text("name"),
        _json("descriptions"),
        _text("development_status"),
        _text("software_type"),
        _text("license"),
        _json("categories"),
        _json("platforms"),
        _text("maintenance_type"),
        sa.Column("release_date", sa.Date(), nullable=True),
        _text("software_version"),
        _json("available_languages"),
        _json("intended_audience"),
        _text("landing_url"),
        _text("logo"),
        # forge and harvester
        _json("forge"),
        _json("signals"),
        _time("first_seen_at", nullable=False),
        _time("last_harvested_at", nullable=False),
        _time("last_changed_at", nullable=False),
        _time("last_valid_at"),
        _count("missing_count"),
        sa.CheckConstraint("status IN ('valid', 'invalid', 'unlisted', 'removed')",
                           name="ck_solution_status"),
        sa.ForeignKeyConstraint(["publisher_id"], ["publisher.id"],
                                name="fk_solution_publisher_id_publisher"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name="fk_solution_source_id_source"),
        sa.PrimaryKeyConstraint("id", name="pk_solution"),
        sa.UniqueConstraint("url", name="uq_solution_url"),
    )
    _indexes("solution", "source_id", "publisher_id", "status", "name", "development_status",
             "software_type", "license", "maintenance_type", "last_changed_at")

    op.create_table(
        "adoption",
        _id(),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        _text("organisation", nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        _text("origin", nullable=False),
        sa.Column("use_case", sa.Text(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        _text("instance_url"),
        sa.Column("contact_ok", sa.Boolean(), nullable=True),
        _time("created_at", nullable=False),
        sa.CheckConstraint("origin IN ('publiccode', 'declared')", name="ck_adoption_origin"),
        sa.ForeignKeyConstraint(["publisher_id"], ["publisher.id"],
                                name="fk_adoption_publisher_id_publisher"),
        sa.ForeignKeyConstraint(["solution_id"], ["solution.id"], ondelete="CASCADE",
                                name="fk_adoption_solution_id_solution"),
        sa.PrimaryKeyConstraint("id", name="pk_adoption"),
    )
    op.create_index("ix_adoption_solution_id_origin", "adoption", ["solution_id", "origin"])
    _indexes("adoption", "publisher_id")


def downgrade() -> None:
    for table in ("adoption", "solution", "publisher", "harvestrun", "source"):
        op.drop_table(table)
