"""The catalogue's tables: sources, publishers, solutions, adoptions and harvest runs.

Conventions that hold for every table:
- Times are timezone-aware UTC (``UTCDateTime``); naive datetimes are refused on write so a
  local time can never slip in, and values read back are always aware, on SQLite too.
- JSON columns hold plain lists and dicts. Assign a new value to change one; in-place
  mutation of a loaded list is not tracked by SQLAlchemy.
- Status-like columns are short strings checked by the database, so a typo cannot persist.
- Constraint and index names follow ``NAMING_CONVENTION`` so Alembic can alter them on SQLite.

The schema itself is created by the Alembic migrations (``migrations/``), never by
``create_all``; tests/registry/test_migrations.py fails when the two disagree.
"""

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, Relationship, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

SOLUTION_STATUSES = ("valid", "invalid", "unlisted", "removed")
"""valid: the current publiccode.yml validates. invalid: it does not (the last valid version,
if any, is still kept). unlisted: the repository has no publiccode.yml any more. removed: the
repository disappeared from its source's listing."""
RUN_STATUSES = ("running", "ok", "partial", "failed")
ADOPTION_ORIGINS = ("publiccode", "declared")
RUN_COUNTS = ("seen", "new", "updated", "unchanged", "unlisted", "invalid", "failed", "removed")


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, as every export and API shows times."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """``TIMESTAMP WITH TIME ZONE`` that always round-trips as an aware UTC datetime.

    PostgreSQL stores the instant; SQLite has no time zones, so the UTC wall time is stored
    and UTC re-attached on reading.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store aware UTC times, "
                             "e.g. datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json(default: Any) -> Any:
    """A NOT NULL JSON column with a fresh default per row."""
    factory = list if isinstance(default, list) else dict
    return Field(default_factory=factory, sa_type=sa.JSON, nullable=False)


def _time(*, index: bool = False, nullable: bool = True) -> Any:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)


def _one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)


class Source(SQLModel, table=True):
    """A configured place solutions are harvested from (``[[sources]]`` in config.toml)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    type: str
    url: str | None = None
    created_at: datetime = _time(nullable=False)


class Publisher(SQLModel, table=True):
    """An organisation that publishes solutions, identified by the slug of its name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    slug: str = Field(unique=True)
    website: str | None = None
    forge_namespace: str | None = None
    region: str | None = Field(default=None, index=True)
    """Bundesland or region where known; filled by operators or later enrichment."""
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    created_at: datetime = _time(nullable=False)

    source: Source | None = Relationship()


class Solution(SQLModel, table=True):
    """One repository with a publiccode.yml — the catalogue's unit.

    Two versions live in one row: ``raw_text``/``findings`` are always the latest harvest;
    ``valid_text`` and the normalised fields are the last version that validated, so a broken
    commit does not take a solution off the site. (A solution that has never validated keeps
    best-effort fields from its invalid file; ``last_valid_at`` is then ``None``.)
    """

    __table_args__ = (_one_of("status", SOLUTION_STATUSES, "status"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True)
    """Normalised repository URL (registry.normalise.normalise_repository_url)."""
    source_id: int = Field(foreign_key="source.id", index=True)
    publisher_id: int | None = Field(default=None, foreign_key="publisher.id", index=True)
    status: str = Field(index=True)
    status_reason: str | None = Field(default=None, sa_type=sa.Text)

    # The latest harvest
    raw_text: str | None = Field(default=None, sa_type=sa.Text)
    content_hash: str | None = None
    findings: list[dict[str, Any]] = _json([])
    # The last valid version
    valid_text: str | None = Field(default=None, sa_type=sa.Text)
    publiccode_version: str | None = None
    name: str | None = Field(default=None, index=True)
    descriptions: dict[str, Any] = _json({})
    development_status: str | None = Field(default=None, index=True)
    software_type: str | None = Field(default=None, index=True)
    license: str | None = Field(default=None, index=True)
    categories: list[str] = _json([])
    platforms: list[str] = _json([])
    maintenance_type: str | None = Field(default=None, index=True)
    release_date: date | None = None
    software_version: str | None = None
    available_languages: list[str] = _json([])
    intended_audience: dict[str, Any] = _json({})
    landing_url: str | None = None
    logo: str | None = None
    # From the forge and the harvester
    forge: dict[str, Any] = _json({})
    """default_branch, last_activity_at, archived, stars, forks, topics, forge_license,
    forge_id, namespace — whatever the forge told us."""
    signals: dict[str, Any] = _json({})
    """Activity and maintenance signals computed by the harvester."""
    forge_id: str | None = Field(default=None, index=True)
    """The forge's own id of the project: a renamed or moved project keeps its entry."""
    change_marker: str | None = None
    """What the forge said about the repository when it was last harvested successfully
    (activity timestamp, head commit): the same marker next time means nothing to fetch."""
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    """Why the last harvest attempt failed; cleared by the next success. The stored data stays."""
    last_error_at: datetime | None = _time()

    first_seen_at: datetime = _time(nullable=False)
    last_harvested_at: datetime = _time(nullable=False)
    last_changed_at: datetime = _time(nullable=False, index=True)
    last_valid_at: datetime | None = _time()
    missing_count: int = Field(default=0, nullable=False)
    """Consecutive listings of its source in which the repository was missing."""

    source: Source = Relationship()
    publisher: Publisher | None = Relationship()
    adoptions: list["Adoption"] = Relationship(back_populates="solution")


class Adoption(SQLModel, table=True):
    """An organisation that uses a solution: from usedBy or declared by the organisation."""

    __table_args__ = (
        _one_of("origin", ADOPTION_ORIGINS, "origin"),
        sa.Index("ix_adoption_solution_id_origin", "solution_id", "origin"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solution.id", ondelete="CASCADE")
    organisation: str
    publisher_id: int | None = Field(default=None, foreign_key="publisher.id", index=True)
    origin: str
    use_case: str | None = Field(default=None, sa_type=sa.Text)
    since: date | None = None
    instance_url: str | None = None
    contact_ok: bool | None = None
    created_at: datetime = _time(nullable=False)

    solution: Solution = Relationship(back_populates="adoptions")


class HarvestRun(SQLModel, table=True):
    """One harvest of one source: when, how it went, and what it found."""

    __table_args__ = (
        _one_of("status", RUN_STATUSES, "status"),
        sa.Index("ix_harvestrun_source_id_started_at", "source_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id")
    started_at: datetime = _time(nullable=False)
    finished_at: datetime | None = _time()
    status: str = Field(default="running")
    seen: int = Field(default=0, nullable=False)
    new: int = Field(default=0, nullable=False)
    updated: int = Field(default=0, nullable=False)
    unchanged: int = Field(default=0, nullable=False)
    unlisted: int = Field(default=0, nullable=False)
    invalid: int = Field(default=0, nullable=False)
    failed: int = Field(default=0, nullable=False)
    removed: int = Field(default=0, nullable=False)
    errors: list[dict[str, str]] = _json([])
    """``{"url": ..., "message": ...}`` per repository that failed."""


def shown_in_catalogue() -> sa.ColumnElement[bool]:
    """The one rule for what the catalogue shows (site, API, exports, search index): valid
    solutions, and invalid ones that still have a last valid version to show."""
    return sa.or_(Solution.status == "valid",
                  sa.and_(Solution.status == "invalid", Solution.last_valid_at.is_not(None)))
