"""registry.db: engines, sessions, migrations to head, and the "run allmende db upgrade" error."""

import pytest
import sqlalchemy as sa

from registry import db

TABLES = {"source", "publisher", "solution", "adoption", "harvestrun", "alembic_version",
          "account", "organisation", "membership", "apitoken", "registration",
          "harvestrequest", "notification", "auditentry", "need", "needmatch", "relaymessage"}


def test_upgrade_creates_the_schema(database_url):
    db.upgrade(database_url)
    engine = db.create_engine(database_url)
    try:
        assert set(sa.inspect(engine).get_table_names()) == TABLES
        assert db.current_revision(engine) == db.head_revision()
        db.check_schema(engine)
        db.upgrade(database_url)  # a second upgrade is a no-op
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()


def test_connect_refuses_a_database_without_schema(database_url):
    with pytest.raises(db.SchemaError, match=r"no tables yet; run `allmende db upgrade`"):
        db.connect(database_url)


def test_connect_refuses_an_outdated_schema(database_url):
    db.upgrade(database_url)
    engine = db.create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
        with pytest.raises(db.SchemaError, match=r"revision older, .* needs .*allmende db upgrade"):
            db.check_schema(engine)
    finally:
        engine.dispose()


def test_sqlite_engine_creates_the_directory_and_sets_pragmas(tmp_path):
    path = tmp_path / "deep" / "er" / "allmende.db"
    engine = db.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("foreign_keys") == 1
            assert pragma("journal_mode") == "wal"
            assert pragma("busy_timeout") == db.SQLITE_BUSY_TIMEOUT_MS
        assert path.is_file()
    finally:
        engine.dispose()


def test_sqlite_in_memory_works():
    engine = db.create_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize("url", ["postgresql://u:p@h:5432/d", "postgres://u:p@h/d",
                                 "postgresql+psycopg://u:p@h/d"])
def test_postgresql_urls_mean_psycopg_3(url):
    assert db.database_url(url).drivername == "postgresql+psycopg"


def test_an_unreachable_database_is_a_clear_error_without_the_password(tmp_path):
    with pytest.raises(db.DatabaseError) as caught:
        db.connect("postgresql://allmende:s3cret@127.0.0.1:9/none",
                   connect_args={"connect_timeout": 2})
    message = str(caught.value)
    assert message.startswith("cannot open the catalogue database postgresql+psycopg://allmende:")
    assert "ALLMENDE_DATABASE_URL" in message and "s3cret" not in message


def test_session_scope_rolls_back_on_error(engine):
    from registry.models import Source

    with pytest.raises(RuntimeError), db.session_scope(engine) as session:
        session.add(Source(name="lost", type="git"))
        session.flush()
        raise RuntimeError("boom")
    with db.session_scope(engine) as session:
        assert session.exec(sa.select(Source)).all() == []
