"""The Alembic migrations create exactly the schema the models describe, on both databases."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import registry.models  # noqa: F401  (registers the tables)
from registry import db


def _differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_migrations_match_the_models(engine):
    assert _differences(engine) == []


def test_the_comparison_does_notice_a_difference(engine):
    """Guards the test above against comparing nothing with nothing."""
    with engine.begin() as connection:
        connection.execute(sa.text("DROP INDEX ix_solution_license"))
    differences = _differences(engine)
    assert [diff[0] for diff in differences] == ["add_index"]
    assert differences[0][1].name == "ix_solution_license"


def test_downgrade_to_base_and_upgrade_again(database_url):
    db.upgrade(database_url)
    engine = db.create_engine(database_url)
    try:
        with engine.begin() as connection:
            config = db.alembic_config(database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        db.upgrade(database_url)
        assert _differences(engine) == []
    finally:
        engine.dispose()
