"""The built-in ``registered`` source: verified registrations harvested over real smart HTTP."""

from __future__ import annotations

import dataclasses

from harvesters import harvester_for
from harvesters.registered import (
    REGISTERED_SOURCE,
    RegisteredHarvester,
    registered_source,
    with_registered_source,
)
from harvesters.run import run_source
from registry.config import SourceConfig

from .conftest import NOW, days_ago
from .registrations import VALID, register, settings_for, solution


def harvest(tmp_path, engine, *, allow_private: bool = True):
    settings = settings_for(tmp_path, engine, allow_private=allow_private)
    harvester = RegisteredHarvester(REGISTERED_SOURCE, settings, engine=engine, clock=lambda: NOW)
    return run_source(harvester, engine)


def test_a_verified_registration_is_harvested_into_the_catalogue(tmp_path, engine, origin,
                                                                  git_http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url)
    register(engine, git_http_server.url("pending"), status="pending")
    report = harvest(tmp_path, engine)
    assert report.status == "ok", report.errors
    assert (report.counts["seen"], report.counts["new"]) == (1, 1)
    stored, source = solution(engine, url)
    assert (stored.name, stored.status, source) == ("Terminbuchung Bürgeramt", "valid",
                                                     "registered")
    assert stored.signals["activity"]["commits_180d"] >= 1
    assert harvest(tmp_path, engine).counts["unchanged"] == 1  # the git marker works


def test_no_registrations_is_a_quick_no_op(tmp_path, engine):
    settings = settings_for(tmp_path, engine)
    harvester = harvester_for(REGISTERED_SOURCE, settings)  # opens its own engine
    report = run_source(harvester, engine)
    assert (report.status, report.counts["seen"]) == ("ok", 0)


def test_a_refused_url_fails_the_repository_and_keeps_its_data(tmp_path, engine, origin,
                                                               git_http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url)
    assert harvest(tmp_path, engine).counts["new"] == 1
    served = len(git_http_server.requests)

    report = harvest(tmp_path, engine, allow_private=False)  # the real policy: loopback refused
    assert report.counts["failed"] == 1 and report.status == "partial"
    assert "a loopback address" in report.errors[0]["message"]
    stored, _ = solution(engine, url)
    assert stored.status == "valid" and stored.name == "Terminbuchung Bürgeramt"
    assert "only public internet addresses" in stored.last_error
    assert len(git_http_server.requests) == served  # git never reached the server


def test_git_follows_no_redirect(tmp_path, engine, origin, git_http_server, http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    target = git_http_server.url("project.git/info/refs?service=git-upload-pack")
    http_server.redirect("/moved/info/refs", target)
    url = http_server.url("/moved")
    register(engine, url)
    report = harvest(tmp_path, engine)
    assert report.counts["failed"] == 1, report
    assert solution(engine, url) is None
    assert git_http_server.requests == []


def test_a_repository_of_another_source_stays_there(tmp_path, engine, origin, git_http_server):
    from harvesters.plain_git import PlainGitHarvester

    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    settings = settings_for(tmp_path, engine)
    operator = SourceConfig(name="town", type="git", repositories=(url,))
    run_source(PlainGitHarvester(operator, dataclasses.replace(settings, sources=(operator,))),
               engine)
    register(engine, url)
    assert harvest(tmp_path, engine).counts["seen"] == 0
    assert solution(engine, url)[1] == "town"


def test_the_built_in_source_joins_the_configured_ones(tmp_path, engine):
    settings = settings_for(tmp_path, engine)
    assert registered_source(settings) == REGISTERED_SOURCE
    assert [s.name for s in with_registered_source(settings).sources] == ["registered"]
    own = SourceConfig(name="maintainers", type="registered", enabled=False)
    configured = dataclasses.replace(settings, sources=(own,))
    assert with_registered_source(configured) is configured
    assert registered_source(configured) == own


def test_git_connects_to_the_address_the_check_accepted(tmp_path, engine, origin,
                                                        git_http_server):
    """The name below exists only in the fetcher's resolver: git can reach the repository
    only through the pinned address, never by a lookup of its own (DNS rebinding)."""
    from registry.fetch import SafeFetcher

    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = f"http://repo.allmende-pin.test:{git_http_server.port}/project.git"
    register(engine, url)
    resolver_calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolver_calls.append(host)
        return ["127.0.0.1"]

    settings = settings_for(tmp_path, engine)
    harvester = RegisteredHarvester(REGISTERED_SOURCE, settings, engine=engine,
                                    fetcher=SafeFetcher(allow_private=True, resolver=resolver))
    report = run_source(harvester, engine)
    assert report.status == "ok", report.errors
    assert solution(engine, url)[0].status == "valid"
    assert "repo.allmende-pin.test" in resolver_calls

    strict = RegisteredHarvester(REGISTERED_SOURCE, settings, engine=engine,
                                 fetcher=SafeFetcher(allow_private=False, resolver=resolver))
    refused = run_source(strict, engine, full=True)
    assert refused.counts["failed"] == 1  # 127.0.0.1 behind a public-looking name: refused
    assert solution(engine, url)[0].status == "valid"  # and the stored data stays


def test_a_suspended_maintainers_repository_leaves_the_source(tmp_path, engine, origin,
                                                               git_http_server):
    from sqlmodel import Session

    from registry.models import Account, utcnow

    url = git_http_server.url("project.git")
    registration = register(engine, url)
    harvester = RegisteredHarvester(REGISTERED_SOURCE, settings_for(tmp_path, engine),
                                    engine=engine)
    assert harvester.clone_urls() == (registration.url,)
    with Session(engine) as session:
        account = session.get(Account, registration.account_id)
        account.suspended_at = utcnow()
        session.add(account)
        session.commit()
    assert harvester.clone_urls() == ()


def test_the_checks_second_file_is_read_through_the_same_pinned_address(tmp_path, origin,
                                                                        git_http_server):
    """A registration check reads publiccode.yml, then .allmende-verify, from one partial
    clone; the second blob is fetched lazily and must go to the checked address too, not to
    whatever the name resolves to by then (the name exists only in the fetcher's resolver)."""
    from registry.fetch import SafeFetcher
    from registry.registrations import parse_repository_url
    from registry.registrations.repository_files import RepositoryFiles

    origin.commit(days_ago(2), files={"publiccode.yml": VALID, ".allmende-verify": b"token\n"})
    origin.push()
    repository = parse_repository_url(
        f"http://repo.allmende-pin.test:{git_http_server.port}/project.git", "git",
        allow_private=True)
    fetcher = SafeFetcher(allow_private=True, resolver=lambda host, port: ["127.0.0.1"])
    files = RepositoryFiles(fetcher=fetcher, git_cache_dir=tmp_path / "git")
    assert files.read(repository, ["publiccode.yml"], 1024 * 1024).data == VALID
    assert files.read(repository, [".allmende-verify"], 4096).data == b"token\n"
