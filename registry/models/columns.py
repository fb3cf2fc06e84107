"""Column types and helpers shared by every table (catalogue and accounts).

- Times are timezone-aware UTC (``UTCDateTime``); naive datetimes are refused on write so a
  local time can never slip in, and values read back are always aware, on SQLite too.
- JSON columns hold plain lists and dicts (``json_column``). Assign a new value to change one;
  in-place mutation of a loaded list is not tracked by SQLAlchemy.
- Status-like columns are short strings checked by the database (``one_of``), so a typo
  cannot persist.
- Constraint and index names follow ``NAMING_CONVENTION`` so Alembic can alter them on SQLite.
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

NEVER_REUSE_IDS = {"sqlite_autoincrement": True}
"""For tables whose rows get deleted: SQLite would otherwise hand a deleted row's id to the
next insert, and the audit log (which names rows by id) would tell one thing's history as
another's. PostgreSQL sequences never reuse ids anyway."""


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


def json_column(default: Any) -> Any:
    """A NOT NULL JSON column with a fresh default per row."""
    factory = list if isinstance(default, list) else dict
    return Field(default_factory=factory, sa_type=sa.JSON, nullable=False)


def time_column(*, index: bool = False, nullable: bool = True) -> Any:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)
