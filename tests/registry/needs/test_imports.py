"""Needs from a file: checked whole before anything is written, idempotent, and the demo's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from registry.db import session_scope
from registry.directory import import_file
from registry.models import AuditEntry, Need
from registry.needs.imports import NeedsFileError, import_needs

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "marketplace"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def directory(engine):
    with session_scope(engine) as session:
        import_file(session, EXAMPLES / "gv100ad_demo.txt", now=T0, link=False)
        session.commit()


def test_the_demo_needs_import_once(engine, directory):
    with session_scope(engine) as session:
        report = import_needs(session, EXAMPLES / "needs.toml", now=T0)
        session.commit()
        assert report.created == 5 and report.unchanged == 0
        again = import_needs(session, EXAMPLES / "needs.toml", now=T0)
        session.commit()
        assert again.created == 0 and again.unchanged == 5
        needs = session.exec(select(Need)).all()
        assert {need.status for need in needs} == {"open"}
        assert all(need.author_id is None for need in needs)
        assert len(session.exec(select(AuditEntry).where(
            AuditEntry.action == "need.import")).all()) == 5


@pytest.mark.parametrize(("text", "message"), [
    ('[[needs]]\norganisation = "99999999"\n', "not found"),
    ('[[needs]]\norganisation = "03198000"\ntitle = "T"\ndescription = "kurz"\n'
     'field_of_action = "administration"\n', "at least 20 characters"),
    ('[[needs]]\norganisation = "03198000"\nfarbe = "blau"\n', "unknown key 'farbe'"),
    ('needs = "x"\n', "expected [[needs]] tables"),
    ('[[needs]\n', "not a UTF-8 TOML file"),
    ('[[needs]]\norganisation = "03198000"\ntitle = "Ein Titel"\ndeadline = "morgen"\n'
     'description = "Eine Beschreibung mit genug Worten."\nfield_of_action = "energy"\n',
     "deadline must be a date"),
])
def test_a_bad_file_imports_nothing_and_says_where(engine, directory, tmp_path, text, message):
    good = (EXAMPLES / "needs.toml").read_text(encoding="utf-8")
    path = tmp_path / "needs.toml"
    path.write_text(good + "\n" + text if text.startswith("[[") else text, encoding="utf-8")
    with session_scope(engine) as session:
        with pytest.raises(NeedsFileError, match=message.replace("[", r"\[")):
            import_needs(session, path, now=T0)
        session.rollback()
        assert session.exec(select(Need)).all() == []
