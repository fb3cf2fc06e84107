"""A full disk is said once, as such, and loses nothing (issue 11's fault run: the harvest
used to print a traceback per repository and no line an operator could act on).

The disk fills for real: SQLite's ``max_page_count`` makes the catalogue file unable to grow,
which SQLite reports exactly as on a full disk ("database or disk is full"); ``/dev/full``
gives the operating system's ENOSPC.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import select

from harvesters import harvester_for
from harvesters.run import run_source
from registry import db
from registry.config import Settings, SourceConfig
from registry.models import Solution
from registry.storage import disk_full

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_operating_systems_and_sqlites_full_disk_are_recognised(tmp_path):
    try:
        with open("/dev/full", "w") as full:
            full.write("x")
            full.flush()
    except OSError as exc:
        assert disk_full(exc)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tiny.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
        connection.exec_driver_sql("PRAGMA max_page_count = 3")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (?)", ("y" * 100_000,))
    except sa.exc.OperationalError as exc:
        assert disk_full(exc)
    else:
        raise AssertionError("the insert should not have fitted")
    assert not disk_full(ValueError("disk is full"))  # only the storage's own errors count


def test_a_harvest_onto_a_full_disk_says_so_once_and_keeps_what_was_stored(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    db.upgrade(url)
    engine = db.connect(url)
    files = tmp_path / "examples"
    shutil.copytree(EXAMPLES, files)
    source = SourceConfig(name="examples", type="files", path=files)
    settings = Settings(data_dir=tmp_path / "data", database_url=url, sources=(source,))
    first = run_source(harvester_for(source, settings), engine)
    assert first.status == "ok" and first.counts["new"] == 5
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @sa.event.listens_for(engine, "connect")
    def _no_room(connection, _record):  # the file cannot grow by a single page any more
        connection.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    for path in files.glob("*/publiccode.yml"):  # every file changed, and far longer
        text = path.read_text(encoding="utf-8")
        longer = text.replace("longDescription: >\n", "longDescription: >\n"
                              + "      Mehr Text. " * 2000 + "\n", 1)
        assert longer != text
        path.write_text(longer, encoding="utf-8")
    with caplog.at_level(logging.INFO):
        again = run_source(harvester_for(source, settings), engine, full=True)

    assert again.disk_full and again.counts["failed"] >= 1
    summary = again.summary()
    assert "the disk is full (the catalogue)" in summary and "Free space" in summary
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert sum("is full" in r.getMessage() for r in errors) == 1  # once, not per repository
    assert not any(r.exc_info for r in errors)  # no traceback
    with db.session_scope(engine) as session:  # the first harvest's solutions are intact
        assert len(session.exec(select(Solution.id)).all()) == 5
    engine.dispose()
