"""The catalogue's tables: sources, publishers, solutions, adoptions and harvest runs.

Column conventions (UTC times, JSON columns, checked status strings) are in ``columns``. The
schema itself is created by the Alembic migrations (``migrations/``), never by
``create_all``; tests/registry/test_migrations.py fails when the two disagree.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from .columns import NEVER_REUSE_IDS, json_column, one_of, time_column

SOLUTION_STATUSES = ("valid", "invalid", "unlisted", "removed")
"""valid: the current publiccode.yml validates. invalid: it does not (the last valid version,
if any, is still kept). unlisted: the repository has no publiccode.yml any more. removed: the
repository disappeared from its source's listing."""
RUN_STATUSES = ("running", "ok", "partial", "failed")
ADOPTION_ORIGINS = ("publiccode", "declared")
RUN_COUNTS = ("seen", "new", "updated", "unchanged", "unlisted", "invalid", "failed", "removed")


class Source(SQLModel, table=True):
    """A configured place solutions are harvested from (``[[sources]]`` in config.toml)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    type: str
    url: str | None = None
    created_at: datetime = time_column(nullable=False)


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
    created_at: datetime = time_column(nullable=False)

    source: Source | None = Relationship()


class Solution(SQLModel, table=True):
    """One repository with a publiccode.yml — the catalogue's unit.

    Two versions live in one row: ``raw_text``/``findings`` are always the latest harvest;
    ``valid_text`` and the normalised fields are the last version that validated, so a broken
    commit does not take a solution off the site. A solution that has never validated shows
    the best-effort reading of its latest readable file (``last_valid_at`` is then ``None``).
    """

    __table_args__ = (one_of("status", SOLUTION_STATUSES, "status"),)

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
    findings: list[dict[str, Any]] = json_column([])
    quality: str | None = Field(default=None, index=True)
    """The metadata-quality grade of what is shown (registry.quality): complete, valid,
    readable, or unreadable (never shown)."""
    quality_reasons: list[dict[str, Any]] = json_column([])
    """Why that grade: ``{"code", "args"}`` entries (registry.quality.REASON_CODES)."""
    read_with: int | None = None
    """The reader version (registry.publiccode.reading.READER_VERSION) that read the shown
    fields: an older one makes the next harvest read the file again even if it is unchanged."""
    # The last valid version, else the best-effort reading of a readable file
    valid_text: str | None = Field(default=None, sa_type=sa.Text)
    publiccode_version: str | None = None
    name: str | None = Field(default=None, index=True)
    descriptions: dict[str, Any] = json_column({})
    development_status: str | None = Field(default=None, index=True)
    software_type: str | None = Field(default=None, index=True)
    license: str | None = Field(default=None, index=True)
    categories: list[str] = json_column([])
    based_on: list[str] = json_column([])
    """``isBasedOn``: the repositories this is a variant of, as catalogue keys
    (``normalise_repository_url``); read back to show a solution's variants."""
    platforms: list[str] = json_column([])
    maintenance_type: str | None = Field(default=None, index=True)
    release_date: date | None = None
    software_version: str | None = None
    available_languages: list[str] = json_column([])
    intended_audience: dict[str, Any] = json_column({})
    landing_url: str | None = None
    logo: str | None = None
    # From the forge and the harvester
    forge: dict[str, Any] = json_column({})
    """default_branch, last_activity_at, archived, stars, forks, topics, forge_license,
    forge_id, namespace — whatever the forge told us."""
    signals: dict[str, Any] = json_column({})
    """Activity and maintenance signals computed by the harvester."""
    forge_id: str | None = Field(default=None, index=True)
    """The forge's own id of the project: a renamed or moved project keeps its entry."""
    change_marker: str | None = None
    """What the forge said about the repository when it was last harvested successfully
    (activity timestamp, head commit): the same marker next time means nothing to fetch."""
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    """Why the last harvest attempt failed; cleared by the next success. The stored data stays."""
    last_error_at: datetime | None = time_column()

    first_seen_at: datetime = time_column(nullable=False)
    last_harvested_at: datetime = time_column(nullable=False)
    last_changed_at: datetime = time_column(nullable=False, index=True)
    last_valid_at: datetime | None = time_column()
    missing_count: int = Field(default=0, nullable=False)
    """Consecutive listings of its source in which the repository was missing."""
    content_version: int = Field(default=1, nullable=False)
    """Counts the changes to what the search index holds of this solution; every index document
    records the version it was built from, so an index left behind by a crash is found and
    caught up (search.sync). Counted by registry.models.versions, never set by hand."""

    source: Source = Relationship()
    publisher: Publisher | None = Relationship()
    adoptions: list["Adoption"] = Relationship(back_populates="solution")


class Adoption(SQLModel, table=True):
    """An organisation that uses a solution: from usedBy or declared by the organisation."""

    __table_args__ = (
        one_of("origin", ADOPTION_ORIGINS, "origin"),
        sa.Index("ix_adoption_solution_id_origin", "solution_id", "origin"),
        NEVER_REUSE_IDS,
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
    created_at: datetime = time_column(nullable=False)
    # Declared adoptions only: which organisation, who declared it, and moderation
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id",
                                        ondelete="CASCADE", index=True)
    declared_by_id: int | None = Field(default=None, foreign_key="account.id",
                                       ondelete="SET NULL")
    updated_at: datetime | None = time_column()
    hidden_at: datetime | None = time_column()
    """Hidden by an admin: kept for the record, shown nowhere."""
    hidden_reason: str | None = None

    solution: Solution = Relationship(back_populates="adoptions")


class HarvestRun(SQLModel, table=True):
    """One harvest of one source: when, how it went, and what it found."""

    __table_args__ = (
        one_of("status", RUN_STATUSES, "status"),
        sa.Index("ix_harvestrun_source_id_started_at", "source_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id")
    started_at: datetime = time_column(nullable=False)
    finished_at: datetime | None = time_column()
    status: str = Field(default="running")
    seen: int = Field(default=0, nullable=False)
    new: int = Field(default=0, nullable=False)
    updated: int = Field(default=0, nullable=False)
    unchanged: int = Field(default=0, nullable=False)
    unlisted: int = Field(default=0, nullable=False)
    invalid: int = Field(default=0, nullable=False)
    failed: int = Field(default=0, nullable=False)
    removed: int = Field(default=0, nullable=False)
    errors: list[dict[str, str]] = json_column([])
    """``{"url": ..., "message": ...}`` per repository that failed."""


def adoption_shown() -> sa.ColumnElement[bool]:
    """The one rule for which adoptions count (pages, API, search index): all but those an
    admin hid."""
    return Adoption.hidden_at.is_(None)


SHOWN_STATUSES = ("valid", "invalid")
SHOWN_QUALITIES = ("complete", "valid", "readable")
"""registry.quality.GRADES, repeated here because models are the ground floor; a test keeps
the two equal."""


def shown_in_catalogue() -> sa.ColumnElement[bool]:
    """The one rule for what the catalogue shows (site, API, exports, search index): what is
    *readable*, not only what is valid — a repository whose publiccode.yml (or an earlier
    version of it) yielded a name and a description, whatever the validator says of it."""
    return sa.and_(Solution.status.in_(SHOWN_STATUSES),
                   Solution.quality.in_(SHOWN_QUALITIES))


def is_shown_in_catalogue(solution: Solution) -> bool:
    """:func:`shown_in_catalogue` for one loaded row (a test keeps the two equal)."""
    return solution.status in SHOWN_STATUSES and solution.quality in SHOWN_QUALITIES
