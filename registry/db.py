"""Database access: engines for SQLite and PostgreSQL, sessions, and schema migrations.

The schema is owned by Alembic (``migrations/``). ``upgrade`` brings a database to the newest
revision; ``connect`` refuses to hand out an engine for a database whose schema is missing or
older than the code, with an error that says which command fixes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Engine, make_url
from sqlmodel import Session

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another (harvest workers write concurrently)."""
CONNECT_TIMEOUT_SECONDS = 5
"""How long opening a PostgreSQL connection may take (unless the URL says
``?connect_timeout=``): a database host that accepts nothing or answers nothing must be an
error in seconds, not a request, a health check or a harvest hanging for minutes."""


class DatabaseError(Exception):
    """The catalogue database cannot be used; the message says what to do."""


class SchemaError(DatabaseError):
    """The database schema is missing or not at the revision this code expects."""


def database_url(url: str | URL) -> URL:
    """Parse ``url``; plain ``postgresql://`` and ``postgres://`` mean psycopg 3."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the settings the catalogue relies on.

    SQLite: the parent directory is created, foreign keys are enforced, WAL lets readers and
    one writer work at once, and a busy timeout makes concurrent writers wait instead of fail.
    PostgreSQL: a pooled connection is pinged before use (a restarted server costs no request)
    and connecting gives up after ``CONNECT_TIMEOUT_SECONDS``.
    """
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite":
        if "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                      **kwargs.get("connect_args", {})}
        return sa.create_engine(parsed, pool_pre_ping=True, **kwargs)
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory:
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, **kwargs)
    sa.event.listen(engine, "connect", _sqlite_pragmas(wal=not in_memory))
    return engine


def _sqlite_pragmas(*, wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    return on_connect


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that is rolled back on error and always closed.

    Services commit their own work; anything left uncommitted at the end is rolled back.
    Objects stay readable after commit (``expire_on_commit=False``), which CLI and templates
    want; re-read them in a new session before changing them again.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | URL | None = None) -> Config:
    """Alembic's configuration, built in code: no alembic.ini needed at run time."""
    import migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    if url is not None:
        # Passed as an attribute, not an option: configparser would mangle a "%" in a password.
        config.attributes["database_url"] = database_url(url)
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` (the newest by default)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    log.info("database %s is at revision %s", _safe(url), revision)


def check_schema(engine: Engine) -> None:
    """Raise ``SchemaError`` unless the database is at the newest revision."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    where = _safe(engine.url)
    if current is None:
        problem = f"the catalogue database {where} has no tables yet"
    else:
        problem = (f"the catalogue database {where} is at schema revision {current}, "
                   f"this version of Allmende needs {head}")
    raise SchemaError(f"{problem}; run `allmende db upgrade` to create or update it")


def connect(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for a database whose schema is up to date (see ``check_schema``).

    Raises ``DatabaseError`` when the database cannot be reached, ``SchemaError`` when its
    schema is missing or outdated; both carry a message meant for the user.
    """
    engine = create_engine(url, **kwargs)
    try:
        check_schema(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the catalogue database {_safe(url)}: "
                            f"{str(exc.orig).strip()}; check database_url in config.toml or "
                            "ALLMENDE_DATABASE_URL") from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _safe(url: str | URL) -> str:
    """The URL without its password, for messages and logs."""
    return database_url(url).render_as_string(hide_password=True)
