"""Alembic environment, configured in code by ``registry.db.alembic_config``.

The database comes from ``config.attributes``: an open ``connection`` (``registry.db.upgrade``
and the tests pass one) or a ``database_url``. Developers running the ``alembic`` command with
the repository's alembic.ini get the URL from ``ALLMENDE_DATABASE_URL`` or config.toml.
"""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import registry.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from registry import db

config = context.config
target_metadata = SQLModel.metadata
if config.config_file_name is not None:  # the developer's alembic command, not `allmende`
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _database_url():
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from registry.config import load_settings

    return load_settings().database_url


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = db.create_engine(_database_url())
    try:
        with engine.begin() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=str(db.database_url(_database_url())), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
