"""Every table round-trips on both databases: JSON, unicode, dates and aware UTC times."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from registry.models import (
    SOLUTION_STATUSES,
    Adoption,
    HarvestRun,
    Publisher,
    Solution,
    Source,
    is_shown_in_catalogue,
    shown_in_catalogue,
)
from registry.quality import QUALITY_LEVELS

BERLIN_SUMMER = timezone(timedelta(hours=2))
WHEN = datetime(2026, 7, 1, 12, 30, 15, 123456, tzinfo=BERLIN_SUMMER)


def _store_everything(engine: sa.Engine) -> dict[str, int]:
    with Session(engine) as session:
        source = Source(name="opencode", type="gitlab", url="https://gitlab.opencode.de",
                        created_at=WHEN)
        session.add(source)
        session.flush()
        publisher = Publisher(name="Stadt München", slug="stadt-muenchen",
                              website="https://muenchen.de", forge_namespace="muenchen",
                              region="Bayern", source_id=source.id, created_at=WHEN)
        session.add(publisher)
        session.flush()
        solution = Solution(
            url="https://gitlab.opencode.de/muenchen/bürgerportal", source_id=source.id,
            publisher_id=publisher.id, status="invalid", status_reason="1 error(s) …",
            raw_text="name: Bürgerportal 🏛\n", content_hash="ab" * 32,
            findings=[{"key": "name", "line": 1, "column": 1, "message": "zu lang ✗",
                       "severity": "error"}],
            valid_text="name: Bürgerportal\n", publiccode_version="0.4", name="Bürgerportal",
            descriptions={"de": {"short": "Dienste für alle", "features": ["Anträge"]},
                          "zh": {"short": "市民门户"}},
            development_status="stable", software_type="standalone/web", license="EUPL-1.2",
            categories=["content-management"], platforms=["web"], maintenance_type="internal",
            release_date=date(2025, 3, 1), software_version="2.1.0",
            available_languages=["de", "en"],
            intended_audience={"countries": ["de"], "scope": ["local-authorities"]},
            landing_url="https://portal.example.org", logo="logo.svg",
            forge={"default_branch": "main", "stars": 3, "archived": False,
                   "topics": ["öffentlich"], "last_activity_at": "2026-07-01T10:30:15Z",
                   "forge_id": 42},
            signals={"commits_6m": 17, "level": None},
            first_seen_at=WHEN, last_harvested_at=WHEN, last_changed_at=WHEN,
            last_valid_at=WHEN - timedelta(days=1), missing_count=2,
        )
        session.add(solution)
        session.flush()
        session.add(Adoption(solution_id=solution.id, organisation="Gemeinde Öhringen",
                             publisher_id=publisher.id, origin="declared", use_case="Bürgerbüro",
                             since=date(2024, 1, 1), instance_url="https://portal.oehringen.de",
                             contact_ok=True, created_at=WHEN))
        run = HarvestRun(source_id=source.id, started_at=WHEN, finished_at=WHEN, status="partial",
                         seen=10, new=1, updated=2, unchanged=3, unlisted=1, invalid=1, failed=1,
                         removed=1,
                         errors=[{"url": "https://x/y", "message": "Zeitüberschreitung"}])
        session.add(run)
        session.commit()
        return {"source": source.id, "publisher": publisher.id, "solution": solution.id,
                "run": run.id}


def test_every_table_round_trips(engine):
    ids = _store_everything(engine)
    utc_when = WHEN.astimezone(UTC)
    with Session(engine) as session:  # a new session: values come from the database
        source = session.get(Source, ids["source"])
        assert (source.name, source.type, source.created_at) == ("opencode", "gitlab", utc_when)

        publisher = session.get(Publisher, ids["publisher"])
        assert (publisher.name, publisher.region, publisher.source_id) == (
            "Stadt München", "Bayern", ids["source"])

        solution = session.get(Solution, ids["solution"])
        assert solution.raw_text == "name: Bürgerportal 🏛\n"
        assert solution.descriptions["zh"] == {"short": "市民门户"}
        assert solution.findings[0]["message"] == "zu lang ✗"
        assert solution.forge["topics"] == ["öffentlich"] and solution.forge["archived"] is False
        assert solution.signals == {"commits_6m": 17, "level": None}
        assert solution.release_date == date(2025, 3, 1)
        assert solution.first_seen_at == utc_when
        assert solution.first_seen_at.tzinfo == UTC
        assert solution.last_valid_at == utc_when - timedelta(days=1)
        assert solution.publisher.slug == "stadt-muenchen"
        assert solution.source.name == "opencode"

        [adoption] = solution.adoptions
        assert (adoption.organisation, adoption.since, adoption.contact_ok) == (
            "Gemeinde Öhringen", date(2024, 1, 1), True)

        run = session.get(HarvestRun, ids["run"])
        assert (run.seen, run.new, run.removed, run.status) == (10, 1, 1, "partial")
        assert run.errors == [{"url": "https://x/y", "message": "Zeitüberschreitung"}]
        assert run.finished_at == utc_when


def test_defaults_fill_json_columns_and_times(engine):
    with Session(engine) as session:
        source = Source(name="demo", type="files")
        session.add(source)
        session.flush()
        session.add(Solution(url="https://example.org/r", source_id=source.id, status="valid"))
        session.commit()
    with Session(engine) as session:
        solution = session.exec(select(Solution)).one()
        assert solution.findings == [] and solution.descriptions == {} and solution.forge == {}
        assert solution.first_seen_at.tzinfo == UTC and solution.missing_count == 0


def test_naive_datetimes_are_refused(engine):
    with Session(engine) as session:
        session.add(Source(name="naive", type="git", created_at=datetime(2026, 1, 1)))
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            session.commit()


@pytest.mark.parametrize(("model", "values"), [
    (Solution, {"url": "https://example.org/r", "status": "broken"}),
    (HarvestRun, {"status": "done"}),
])
def test_unknown_statuses_are_refused(engine, model, values):
    with Session(engine) as session:
        source = Source(name="demo", type="files")
        session.add(source)
        session.flush()
        session.add(model(source_id=source.id, **values))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_foreign_keys_are_enforced(engine):
    with Session(engine) as session:
        session.add(Solution(url="https://example.org/r", source_id=999, status="valid"))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_ids_of_deleted_rows_are_never_reused(engine):
    """The audit log names rows by id: a new registration must not inherit a deleted one's."""
    from sqlmodel import Session

    from registry.models import Account, Registration, utcnow

    with Session(engine) as session:
        account = Account(email="a@example.org", password_hash="x", name="A", created_at=utcnow())
        session.add(account)
        session.flush()

        def registration(url: str) -> Registration:
            row = Registration(account_id=account.id, url=url, forge_type="git",
                               verify_token="t", webhook_salt="s", created_at=utcnow())
            session.add(row)
            session.flush()
            return row

        first = registration("https://git.example/a/one")
        first_id = first.id
        session.delete(first)
        session.flush()
        assert registration("https://git.example/a/two").id > first_id
        session.rollback()


def test_the_shown_rule_in_sql_and_in_python_agree(engine):
    with Session(engine) as session:
        source = Source(name="s", type="files", created_at=WHEN)
        session.add(source)
        session.flush()
        cases = [(status, quality) for status in SOLUTION_STATUSES
                 for quality in (None, *QUALITY_LEVELS)]
        for n, (status, quality) in enumerate(cases):
            session.add(Solution(url=f"https://git.example/s/{n}", source_id=source.id,
                                 status=status, quality=quality))
        session.commit()
        in_sql = set(session.exec(select(Solution.id).where(shown_in_catalogue())))
        in_python = {s.id for s in session.exec(select(Solution)) if is_shown_in_catalogue(s)}
        # valid and invalid solutions, each when complete, valid or readable
        assert in_sql == in_python and len(in_sql) == 6
