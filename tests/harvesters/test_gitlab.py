"""The GitLab harvester end to end: ``run_source`` against FakeGitLab and a migrated database.

Nothing is mocked: the fake speaks GitLab's REST API over real HTTP, git activity comes from a
real repository over smart HTTP, and outcomes are read back from the catalogue. Waits go
through an injected ``sleep`` that records them (the clock is replaced, not our code), and
``server.log`` shows exactly which requests a run cost.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from harvesters.gitlab import GitLabHarvester
from harvesters.http import ForgeClient
from harvesters.run import RunReport, run_source
from registry.config import Settings, SourceConfig
from registry.models import HarvestRun, Solution
from registry.normalise import normalise_repository_url
from registry.publiccode.loader import MAX_BYTES
from tests.harvesters.clock import RecordingSleep

from .conftest import ALICE, BOB, Origin
from .forges import FakeGitLab, Project

TOKEN = "glpat-allmende-s3cr3t-t0ken"
TOKEN_ENV = "ALLMENDE_TEST_GITLAB_TOKEN"
LISTING = "/api/v4/projects"
SETTLED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
"""A last_activity_at long past: GitLab will not move it silently any more."""


def publiccode(name: str) -> bytes:
    """A publiccode.yml that validates without findings."""
    return f"""\
publiccodeYmlVersion: "0"
name: {name}
url: https://gitlab.example.org/kommune/{name.lower()}
platforms:
  - web
developmentStatus: stable
softwareType: standalone/web
description:
  de:
    shortDescription: Ein Dienst der Kommune
    longDescription: >
      {"Diese Lösung bündelt Online-Dienste einer Kommune an einem Ort und ist anpassbar. " * 3}
    features:
      - Anträge online stellen
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Erika Mustermann
localisation:
  localisationReady: true
  availableLanguages:
    - de
""".encode()



@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def gitlab_server(gitlab_server: FakeGitLab, make_origin, git_http_server) -> FakeGitLab:
    """The fake GitLab with every project clonable, as on GitLab: one small real repository
    (served by ``git_http_server``) stands in for all that get no repository of their own."""
    stand_in: Origin = make_origin("stand-in")
    stand_in.commit(datetime.now(UTC) - timedelta(days=3), ALICE)
    stand_in.push()
    gitlab_server.default_clone_url = git_http_server.url("stand-in.git")
    return gitlab_server


@pytest.fixture
def harvest(gitlab_server: FakeGitLab, engine, tmp_path, sleep, monkeypatch):
    """``harvest(groups=(), full=False, timeout=10)``: one complete run, as the CLI makes it."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    settings = Settings(data_dir=tmp_path / "data",
                        database_url=engine.url.render_as_string(hide_password=False))

    def run(*, groups: tuple[str, ...] = (), full: bool = False,
            timeout: float = 10) -> RunReport:
        source = SourceConfig(name="opencode", type="gitlab", url=gitlab_server.url,
                              groups=groups, token_env=TOKEN_ENV)
        client = ForgeClient(f"{source.url}/api/v4", token=source.token(),
                             token_header="PRIVATE-TOKEN", token_prefix="", sleep=sleep,
                             clock=sleep.time,
                             timeout=timeout)
        harvester = GitLabHarvester(source, settings, client=client)
        return run_source(harvester, engine, full=full, workers=2)

    return run


def url_of(server: FakeGitLab, project: Project) -> str:
    return normalise_repository_url(f"{server.url}/{project.path}")


def solution(engine, url: str) -> Solution | None:
    with Session(engine) as session:
        return session.exec(select(Solution).where(Solution.url == url)).first()


def all_solutions(engine) -> list[Solution]:
    with Session(engine) as session:
        return list(session.exec(select(Solution)))


def file_requests(server: FakeGitLab, project: Project, since: int = 0) -> list[str]:
    """``METHOD path`` of every request for the project's files after log entry ``since``."""
    prefix = f"/api/v4/projects/{project.id}/repository/files/"
    return [f"{seen.method} {seen.path}" for seen in server.log[since:]
            if seen.path.startswith(prefix)]


def listing_cursors(server: FakeGitLab, path: str, key: str) -> list[str | None]:
    return [(seen.query.get(key) or [None])[0] for seen in server.log if seen.path == path]


# --- listing ------------------------------------------------------------------------------


def test_all_public_projects_are_listed_with_keyset_pages(gitlab_server, harvest, engine):
    gitlab_server.max_per_page = 2
    app = gitlab_server.model.add("kommune/app", files={"publiccode.yml": publiccode("App")},
                                  star_count=7, forks_count=2, topics=["verwaltung"],
                                  updated_at=SETTLED)
    gitlab_server.model.add_many("land", 4)
    gitlab_server.model.add("kommune/geheim", visibility="private")  # visible to our token
    gitlab_server.model.add("kommune/intern", visibility="internal")

    report = harvest()

    assert report.status == "ok" and report.counts["seen"] == 5
    first = gitlab_server.requests_to(LISTING)[0].query
    assert {k: v[0] for k, v in first.items()} == {
        "visibility": "public", "pagination": "keyset", "order_by": "id", "sort": "asc",
        "per_page": "100"}
    assert listing_cursors(gitlab_server, LISTING, "id_after") == [None, "2", "4"]
    assert solution(engine, f"{gitlab_server.url}/kommune/geheim") is None
    stored = solution(engine, url_of(gitlab_server, app))
    assert stored is not None and stored.status == "valid" and stored.forge_id == str(app.id)
    assert stored.forge == {
        "default_branch": "main", "last_activity_at": "2025-03-01T09:30:00.000Z",
        "archived": False, "stars": 7, "forks": 2, "topics": ["verwaltung"],
        "namespace": "kommune", "visibility": "public", "forge_id": str(app.id)}


def test_groups_are_listed_with_subgroups_across_offset_pages(gitlab_server, harvest, engine):
    gitlab_server.max_per_page = 2
    model = gitlab_server.model
    top = model.add_many("kommune", 3)
    nested = model.add("kommune/sub/tiefer/app")
    model.add_many("fremd", 2)
    land = model.add("land/portal")

    report = harvest(groups=("kommune", "kommune/sub", str(model.group("land").id)))

    assert report.status == "ok"
    assert report.counts["seen"] == 5  # kommune/sub/tiefer/app was listed twice, seen once
    listed = {s.url for s in all_solutions(engine)}
    assert listed == {url_of(gitlab_server, p) for p in [*top, nested, land]}
    group_path = "/api/v4/groups/kommune/projects"
    assert listing_cursors(gitlab_server, group_path, "page") == [None, "2"]
    query = gitlab_server.requests_to(group_path)[0].query
    assert {k: v[0] for k, v in query.items()} == {
        "visibility": "public", "include_subgroups": "true", "with_shared": "false",
        "order_by": "id", "sort": "asc", "per_page": "100"}
    assert gitlab_server.requests_to("/api/v4/groups/kommune%2Fsub/projects")  # one segment


def test_an_unknown_group_stops_the_listing_with_advice_and_removes_nobody(
        gitlab_server, harvest, engine):
    gitlab_server.model.add("kommune/app", files={"publiccode.yml": publiccode("App")})
    assert harvest(groups=("kommune",)).status == "ok"

    report = harvest(groups=("kommune", "kommnue"))

    assert report.status == "partial" and not report.listing_complete
    assert 'group "kommnue" was not found' in report.errors[0]["message"]
    assert report.counts["removed"] == 0


# --- what a repository holds ----------------------------------------------------------------


def test_each_kind_of_repository_gets_its_outcome(gitlab_server, harvest, engine):
    model = gitlab_server.model
    valid = model.add("kommune/valid", files={"publiccode.yml": publiccode("Termine")})
    invalid = model.add("kommune/invalid", files={"publiccode.yml": b"name: [never closed\n"})
    missing = model.add("kommune/missing", files={"README.md": b"# Kein publiccode.yml\n"})
    yaml = model.add("kommune/yaml", files={"publiccode.yaml": publiccode("Ratsinfo")})
    size = MAX_BYTES + 4096
    huge = model.add("kommune/huge", files={"publiccode.yml": b"#" * size})
    empty = model.add("kommune/empty")
    raw_of_huge = f"/api/v4/projects/{huge.id}/repository/files/publiccode.yml/raw"
    # The body of the oversized file never comes: the run can only finish (within the short
    # timeout) if the harvester decided from the headers without reading it.
    gitlab_server.faults.withhold_body(raw_of_huge)

    report = harvest(timeout=3)

    assert report.status == "ok"
    assert {k: report.counts[k] for k in ("seen", "new", "invalid", "unlisted", "failed")} == {
        "seen": 6, "new": 2, "invalid": 2, "unlisted": 2, "failed": 0}
    stored = {p.path: solution(engine, url_of(gitlab_server, p))
              for p in (valid, invalid, missing, yaml, huge, empty)}
    assert {path: s.status for path, s in stored.items()} == {
        "kommune/valid": "valid", "kommune/invalid": "invalid", "kommune/missing": "unlisted",
        "kommune/yaml": "valid", "kommune/huge": "invalid", "kommune/empty": "unlisted"}
    assert stored["kommune/yaml"].name == "Ratsinfo"
    assert stored["kommune/huge"].raw_text is None
    assert f"{size:,} bytes" in stored["kommune/huge"].findings[0]["message"]

    files = "/api/v4/projects/{}/repository/files/"
    assert file_requests(gitlab_server, missing) == [
        f"GET {files.format(missing.id)}publiccode.yml/raw",
        f"GET {files.format(missing.id)}publiccode.yaml/raw"]
    # the announced length is the size: no second request for metadata
    assert file_requests(gitlab_server, huge) == [f"GET {raw_of_huge}"]
    assert file_requests(gitlab_server, empty) == []  # nothing to ask an empty repository
    raw = gitlab_server.requests_to(f"{files.format(valid.id)}publiccode.yml/raw")
    assert [seen.query for seen in raw] == [{"ref": ["main"]}]


# --- incremental runs ---------------------------------------------------------------------


def test_an_unchanged_run_costs_only_the_listing_and_a_change_costs_one_fetch(
        gitlab_server, harvest, engine, git_http_server):
    gitlab_server.max_per_page = 2
    model = gitlab_server.model
    projects = [model.add(f"kommune/app-{n}", files={"publiccode.yml": publiccode(f"App{n}")})
                for n in range(3)]
    projects.append(model.add("kommune/ohne", files={"README.md": b"hi\n"}))
    projects.append(model.add("kommune/leer"))
    first = harvest()
    assert first.counts["new"] == 3 and first.counts["unlisted"] == 2
    listing_pages = len(gitlab_server.requests_to(LISTING))

    before, git_before = len(gitlab_server.log), len(git_http_server.requests)
    second = harvest()
    assert second.status == "ok"
    assert second.counts["unchanged"] == second.counts["seen"] == 5
    assert [seen.path for seen in gitlab_server.log[before:]] == [LISTING] * listing_pages
    assert len(git_http_server.requests) == git_before  # no git fetch either

    changed = projects[1]
    changed.pushed_at = SETTLED
    changed.files["publiccode.yml"] = publiccode("Neu")
    before = len(gitlab_server.log)
    third = harvest()
    assert (third.counts["updated"], third.counts["unchanged"]) == (1, 4)
    fetched = {seen.path.split("/")[4] for seen in gitlab_server.log[before:]
               if seen.path != LISTING}
    assert fetched == {str(changed.id)}
    assert solution(engine, url_of(gitlab_server, changed)).name == "Neu"

    before = len(gitlab_server.log)
    full = harvest(full=True)  # fetched again; the same content is still "unchanged"
    assert (full.counts["unchanged"], full.counts["unlisted"]) == (3, 2)
    fetched = {seen.path.split("/")[4] for seen in gitlab_server.log[before:]
               if seen.path != LISTING}
    assert fetched == {str(p.id) for p in projects[:4]}  # the empty one needs no request


def test_recent_activity_is_fetched_every_run_until_it_settles(gitlab_server, harvest):
    """GitLab moves last_activity_at at most once an hour, so a young one proves nothing."""
    app = gitlab_server.model.add("kommune/app", files={"publiccode.yml": publiccode("App")},
                                  pushed_at=datetime.now(UTC) - timedelta(minutes=20))
    harvest()
    harvest()
    assert len(file_requests(gitlab_server, app)) == 2

    app.pushed_at = datetime.now(UTC) - timedelta(hours=3)
    harvest()
    harvest()
    assert len(file_requests(gitlab_server, app)) == 3


# --- failures -----------------------------------------------------------------------------


def test_a_rate_limit_during_the_listing_is_waited_out(gitlab_server, harvest, sleep):
    gitlab_server.max_per_page = 2
    gitlab_server.model.add_many("kommune", 5)
    gitlab_server.faults.rate_limit(LISTING, query={"id_after": "2"}, retry_after=7)

    report = harvest()

    assert report.status == "ok" and report.counts["seen"] == 5
    assert sleep.waits == [7.0]
    assert listing_cursors(gitlab_server, LISTING, "id_after") == [None, "2", "2", "4"]


def test_a_failing_file_keeps_the_stored_solution_and_is_retried_next_run(
        gitlab_server, harvest, engine, sleep):
    app = gitlab_server.model.add("kommune/app", files={"publiccode.yml": publiccode("Alt")})
    other = gitlab_server.model.add("kommune/other", files={"publiccode.yml": publiccode("B")})
    harvest()
    url = url_of(gitlab_server, app)
    good = solution(engine, url)

    app.files["publiccode.yml"] = publiccode("Neu")
    app.pushed_at = SETTLED
    other.pushed_at = SETTLED
    gitlab_server.faults.fail(f"/api/v4/projects/{app.id}/repository/files/*", times=None)
    report = harvest()

    assert report.status == "partial"
    assert (report.counts["failed"], report.counts["updated"]) == (1, 0)
    assert report.counts["unchanged"] == 1  # the other one was fetched, same content
    assert len(sleep.waits) == 5  # retried with backoff, then given up
    kept = solution(engine, url)
    assert (kept.id, kept.status, kept.name, kept.raw_text, kept.last_valid_at) == (
        good.id, "valid", "Alt", good.raw_text, good.last_valid_at)
    assert "500" in kept.last_error and kept.change_marker is None
    assert [e["url"] for e in report.errors] == [url]

    gitlab_server.faults.rules.clear()
    healed = harvest()  # last_activity_at did not move again: the cleared marker makes it retry
    assert healed.status == "ok" and healed.counts["updated"] == 1
    fixed = solution(engine, url)
    assert (fixed.name, fixed.last_error) == ("Neu", None)


def test_a_listing_that_breaks_off_counts_nobody_missing(gitlab_server, harvest, engine):
    gitlab_server.max_per_page = 2
    projects = gitlab_server.model.add_many("kommune", 5, files={"README.md": b"hi\n"})
    harvest()
    gitlab_server.faults.fail(LISTING, query={"id_after": "2"}, times=None)

    for _ in range(3):
        report = harvest()
        assert report.status == "partial" and not report.listing_complete
        assert report.counts["seen"] == 2 and report.counts["removed"] == 0
    assert "listing stopped" in report.errors[0]["message"]
    for project in projects:
        stored = solution(engine, url_of(gitlab_server, project))
        assert (stored.status, stored.missing_count) == ("unlisted", 0)


def test_a_project_gone_from_three_complete_listings_is_removed(gitlab_server, harvest, engine):
    gitlab_server.model.add("kommune/bleibt", files={"publiccode.yml": publiccode("Bleibt")})
    gone = gitlab_server.model.add("kommune/weg", files={"publiccode.yml": publiccode("Weg")})
    harvest()
    url = url_of(gitlab_server, gone)
    gitlab_server.model.delete(gone.path)

    for missed in (1, 2):
        report = harvest()
        assert report.counts["removed"] == 0
        stored = solution(engine, url)
        assert (stored.status, stored.missing_count) == ("valid", missed)
    report = harvest()
    assert report.counts["removed"] == 1 and report.changed_urls == [url]
    assert solution(engine, url).status == "removed"


def test_a_moved_project_keeps_its_entry(gitlab_server, harvest, engine):
    app = gitlab_server.model.add("kommune/app", files={"publiccode.yml": publiccode("App")})
    harvest()
    before = solution(engine, url_of(gitlab_server, app))

    gitlab_server.model.rename("kommune/app", "landkreis/fachverfahren")
    report = harvest()

    assert report.status == "ok" and report.counts["seen"] == 1
    assert report.counts["removed"] == 0
    assert solution(engine, f"{gitlab_server.url}/kommune/app") is None
    moved = solution(engine, f"{gitlab_server.url}/landkreis/fachverfahren")
    assert (moved.id, moved.first_seen_at, moved.valid_text, moved.status) == (
        before.id, before.first_seen_at, before.valid_text, "valid")
    assert moved.forge["namespace"] == "landkreis" and moved.missing_count == 0


# --- activity -------------------------------------------------------------------------------


def test_activity_signals_come_from_the_clone_url_and_an_unchanged_run_leaves_git_alone(
        gitlab_server, harvest, engine, make_origin, git_http_server):
    now = datetime.now(UTC)
    origin: Origin = make_origin("fachverfahren")
    origin.commit(now - timedelta(days=300), ALICE, files={"publiccode.yml": "name: X\n"})
    origin.commit(now - timedelta(days=40), BOB)
    origin.tag("v1.0", now - timedelta(days=30), annotated=True)
    origin.commit(now - timedelta(days=10), ALICE)
    origin.push()
    app = gitlab_server.model.add("kommune/fachverfahren",
                                  files={"publiccode.yml": publiccode("Fachverfahren")})
    gitlab_server.clone_urls[app.id] = git_http_server.url("fachverfahren.git")

    harvest()

    signals = solution(engine, url_of(gitlab_server, app)).signals
    assert signals["activity"]["total_commits"] == 3
    assert (signals["activity"]["commits_60d"], signals["activity"]["authors_60d"]) == (2, 2)
    assert signals["activity"]["latest_tag"] == "v1.0"
    assert isinstance(signals["level"], int)
    assert signals["signals"] and all(s["derivation"] for s in signals["signals"])
    git_requests = len(git_http_server.requests)
    assert git_requests > 0

    assert harvest().counts["unchanged"] == 1
    assert len(git_http_server.requests) == git_requests
    assert solution(engine, url_of(gitlab_server, app)).signals == signals


# --- the token ------------------------------------------------------------------------------


def test_the_token_goes_as_private_token_and_nowhere_else(gitlab_server, engine, tmp_path,
                                                          monkeypatch, caplog):
    """The harvester's own client (not an injected one) authenticates the GitLab way."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    gitlab_server.tokens = {TOKEN}
    app = gitlab_server.model.add("kommune/app", files={"publiccode.yml": publiccode("App")})
    gitlab_server.model.add("kommune/ok", files={"publiccode.yml": publiccode("Ok")})
    gitlab_server.faults.fail(f"/api/v4/projects/{app.id}/repository/files/*", status=403,
                              times=None)  # not retried: no real waiting in this test
    source = SourceConfig(name="opencode", type="gitlab", url=gitlab_server.url,
                          token_env=TOKEN_ENV)
    settings = Settings(data_dir=tmp_path / "data",
                        database_url=engine.url.render_as_string(hide_password=False))

    with caplog.at_level(logging.DEBUG):
        report = run_source(GitLabHarvester(source, settings), engine)

    assert report.counts["failed"] == 1 and report.counts["new"] == 1
    assert {(s.credential, s.credential_header) for s in gitlab_server.log} == {
        (TOKEN, "PRIVATE-TOKEN")}
    with Session(engine) as session:
        runs = session.exec(select(HarvestRun)).all()
        errors = [s.last_error for s in session.exec(select(Solution)) if s.last_error]
    stored = repr([run.errors for run in runs]) + repr(errors) + repr(report.errors)
    assert "403" in stored and TOKEN not in stored
    assert TOKEN not in caplog.text
