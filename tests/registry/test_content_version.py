"""``Solution.content_version`` counts every change the search index reads, and only those.

The versions are what lets the index find out that it fell behind the catalogue (a harvest
killed between its two commits): a change that is not counted is a change the index may never
learn of, and a count for a change the index does not read costs a rewrite every night.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from registry import adoptions, catalogue, harvest_state
from registry.accounts import accounts, organisations
from registry.config import SourceConfig
from registry.db import session_scope
from registry.models import Publisher, Solution
from registry.publiccode import validate_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
RATSINFO = (REPO_ROOT / "examples" / "ratsinfo-light" / "publiccode.yml").read_bytes()
URL = "https://git.example/allmende-demo/ratsinfo-light"
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def record(engine, data: bytes = RATSINFO, *, forge: dict | None = None) -> None:
    result = validate_bytes(data)
    assert result.valid
    with session_scope(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(name="test", type="files",
                                                               path=REPO_ROOT))
        catalogue.record_solution(session, source=source, repository_url=URL, result=result,
                                  forge_facts=forge, now=T0)


def version(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(Solution.content_version).where(Solution.url == URL)).one()


def test_an_unchanged_harvest_counts_nothing_a_renamed_solution_counts_once(engine):
    record(engine)
    first = version(engine)
    record(engine)
    assert version(engine) == first
    record(engine, RATSINFO.replace(b"name: Ratsinfo Light", b"name: Ratsinfo Leicht", 1))
    assert version(engine) == first + 1


def test_harvest_bookkeeping_counts_nothing(engine):
    record(engine)
    base = version(engine)
    with session_scope(engine) as session:
        harvest_state.remember_success(session, URL, change_marker="abc", forge_id="42")
        harvest_state.record_failure(session, URL, "timed out", now=T0)
        harvest_state.mark_unchanged(session, URL, now=T0)
    assert version(engine) == base


def test_only_the_maintenance_level_of_the_signals_counts(engine):
    record(engine)
    base = version(engine)
    with session_scope(engine) as session:
        harvest_state.record_signals(session, URL, {"computed_at": "2026-01-05", "level": 2})
    assert version(engine) == base + 1
    with session_scope(engine) as session:  # measured again a night later, same level
        harvest_state.record_signals(session, URL, {"computed_at": "2026-01-06", "level": 2,
                                                    "activity": {"commits_90d": 7}})
    assert version(engine) == base + 1
    with session_scope(engine) as session:
        harvest_state.record_signals(session, URL, {"computed_at": "2026-01-07", "level": 1})
    assert version(engine) == base + 2


def test_only_the_topics_of_the_forge_facts_count(engine):
    record(engine, forge={"stars": 3, "topics": ["ratsinfo"]})
    base = version(engine)
    with session_scope(engine) as session:
        harvest_state.mark_unchanged(session, URL, now=T0,
                                     forge_facts={"stars": 4, "topics": ["ratsinfo"]})
    assert version(engine) == base
    with session_scope(engine) as session:
        harvest_state.mark_unchanged(session, URL, now=T0,
                                     forge_facts={"stars": 4, "topics": ["ratsinfo", "oparl"]})
    assert version(engine) == base + 1


def test_declaring_hiding_and_withdrawing_an_adoption_each_count(engine):
    record(engine)
    base = version(engine)
    with session_scope(engine) as session:
        admin = accounts.create_account(session, email="admin@allmende.example",
                                        password="correct horse battery staple", name="A",
                                        verified=True, admin=True)
        town = organisations.create_organisation(
            session, actor_id=admin.id, name="Stadt Musterstadt", kind="municipality",
            state="Bayern", official_key="09162000", email_domain="musterstadt.de")
        member = accounts.create_account(session, email="it@musterstadt.de",
                                         password="correct horse battery staple", name="M",
                                         verified=True)
        organisations.join(session, member, town)
        solution = session.exec(select(Solution).where(Solution.url == URL)).one()
        declared = adoptions.declare(session, member, town, solution, use_case="Ratsarbeit",
                                     since=None, instance_url=None, contact_ok=False)
        session.commit()
        assert version(engine) == base + 1
        adoptions.set_hidden(session, admin, declared, hidden=True, reason="Werbung")
        session.commit()
        assert version(engine) == base + 2
        adoptions.withdraw(session, admin, declared)
        session.commit()
    assert version(engine) == base + 3


def test_a_renamed_publisher_counts_for_each_of_its_solutions(engine):
    record(engine)
    base = version(engine)
    with session_scope(engine) as session:
        solution = session.exec(select(Solution).where(Solution.url == URL)).one()
        publisher = session.get(Publisher, solution.publisher_id)
        publisher.website = "https://beispielheim.example"  # not indexed: counts nothing
        session.commit()
        assert version(engine) == base
        publisher.name = "Gemeinde Beispielheim (Kreis Muster)"
        session.commit()
    assert version(engine) == base + 1


BYPASS = re.compile(r"\b(?:sa\.)?(?:update|delete|insert)\(\s*(?:Solution|Adoption|Publisher)\b")


def test_no_code_writes_indexed_tables_around_the_orm():
    """Bulk statements skip the counting listener (registry.models.versions); the one place
    that inserts (``catalogue._insert_ignore``: new rows start at version 1) is the exception."""
    offenders = []
    for package in ("registry", "harvesters", "web", "search"):
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path.name == "versions.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if BYPASS.search(line):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert offenders == []
