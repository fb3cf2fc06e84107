"""GitHubHarvester specifics: API root, listing query and facts, forks, GitHub's rate limits.

What every forge harvester shares (files, incremental runs, failures, renames, tokens,
activity) is tested for GitHub in test_forge_harvesters.py.
"""

from __future__ import annotations

import time

import pytest

from harvesters.github import GITHUB_API, GitHubHarvester, github_api_url

from .conftest import days_ago
from .forge_harness import ORG, VALID, Forge, running_forge, solution, solutions


@pytest.fixture
def github(tmp_path, make_origin, git_http_server, monkeypatch):
    with running_forge("github", tmp_path=tmp_path, make_origin=make_origin,
                       git_http_server=git_http_server, monkeypatch=monkeypatch) as running:
        yield running


@pytest.mark.parametrize(("configured", "api"), [
    (None, GITHUB_API),
    ("https://github.com", GITHUB_API),
    ("https://github.example.org/", "https://github.example.org/api/v3"),
])
def test_api_root_is_github_com_or_the_enterprise_servers(configured, api):
    assert github_api_url(configured) == api


def test_listing_asks_for_public_repositories_and_keeps_githubs_facts(github: Forge):
    project = github.add("portal", {"publiccode.yml": VALID}, topics=["egov"], star_count=7,
                         forks_count=2, archived=True, license="EUPL-1.2",
                         pushed_at=days_ago(3), updated_at=days_ago(2))

    refs = list(github.harvester().list_repositories())

    [listing] = github.server.requests_to(github.listing_glob)
    assert listing.query == {"type": ["public"], "per_page": ["100"]}
    [ref] = refs
    assert ref.url == f"{github.server.url}/{ORG}/portal"
    assert ref.forge_id == str(project.id) and ref.clone_url == github.clone_url
    assert ref.marker == "2026-05-29T12:00:00Z|main"
    assert ref.facts == {
        "default_branch": "main", "last_activity_at": "2026-05-29T12:00:00Z",
        "updated_at": "2026-05-30T12:00:00Z", "archived": True, "fork": False, "stars": 7,
        "forks": 2, "topics": ["egov"], "forge_license": "EUPL-1.2", "namespace": ORG,
        "forge_id": str(project.id)}


def test_unidentified_license_is_no_license(github: Forge):
    project = github.add("other-license", license="Other")
    github.server.repo_overrides[project.id]["license"] = {"key": "other", "spdx_id": "NOASSERTION"}

    [ref] = github.harvester().list_repositories()

    assert ref.facts["forge_license"] is None


def test_forks_and_private_repositories_stay_out(github: Forge, engine):
    upstream = github.add("upstream", {"publiccode.yml": VALID})
    fork = github.add("fork", {"publiccode.yml": VALID})
    github.server.repo_overrides[fork.id]["fork"] = True
    github.add("hidden", {"publiccode.yml": VALID}, visibility="private")

    report = github.run(engine)

    assert report.counts["seen"] == 1
    assert set(solutions(engine)) == {github.url_of(upstream)}


def test_size_zero_is_not_taken_for_empty(github: Forge, engine):
    tiny = github.add("tiny", {"publiccode.yml": VALID})
    [listed] = github.harvester().client.get_json(f"orgs/{ORG}/repos").data
    assert listed["size"] == 0  # GitHub counts KiB, and late

    github.run(engine)

    assert solution(engine, github.url_of(tiny)).status == "valid"


def test_used_up_quota_waits_for_its_reset(github: Forge, engine):
    github.add("portal", {"publiccode.yml": VALID})
    github.server.faults.rate_limit(github.listing_glob, retry_after=None, reset_in=30)

    report = github.run(engine)

    assert report.status == "ok"
    [wait] = github.sleep.waits
    assert 28 <= wait <= 30


def test_secondary_limit_with_retry_after_waits_as_told(github: Forge, engine):
    project = github.add("portal", {"publiccode.yml": VALID})
    github.server.secondary_rate_limit(github.file_glob(project), retry_after=5)

    report = github.run(engine)

    assert report.status == "ok" and github.sleep.waits == [5.0]


def test_secondary_limit_without_retry_after_waits_a_minute(github: Forge, engine):
    project = github.add("portal", {"publiccode.yml": VALID})
    github.server.secondary_rate_limit(github.file_glob(project))

    report = github.run(engine)

    assert report.status == "ok" and github.sleep.waits == [60.0]
    assert solution(engine, github.url_of(project)).status == "valid"


def test_a_persistent_secondary_limit_gives_up_instead_of_hammering(github: Forge, engine):
    project = github.add("portal", {"publiccode.yml": VALID})
    github.server.secondary_rate_limit(github.file_glob(project), times=None)

    report = github.run(engine)

    assert report.status == "partial" and report.counts["failed"] == 1
    assert github.sleep.waits == [60.0]  # then 120 s would exceed max_wait: stop
    assert "secondary rate limit" in report.errors[0]["message"]
    assert len(github.server.requests_to(github.file_glob(project))) == 2


def test_a_quota_used_up_for_an_hour_stops_the_run_without_waiting(github: Forge, engine):
    github.add("portal", {"publiccode.yml": VALID})
    github.server.quota_limit = 0

    report = github.run(engine)

    assert report.status == "failed" and github.sleep.waits == []
    assert "rate limit" in report.errors[0]["message"]
    assert len(github.server.log) == 1


def test_an_organisation_that_fails_does_not_hide_the_others(github: Forge, engine):
    github.add("portal", {"publiccode.yml": VALID})
    source = github.source
    harvester = GitHubHarvester(
        type(source)(name=source.name, type="github", orgs=("gibt-es-nicht", ORG),
                     token_env=source.token_env),
        github.settings, client=github.harvester().client)

    report = github.run(engine, harvester)

    assert report.status == "partial" and report.counts["new"] == 1
    assert "gibt-es-nicht" in report.errors[0]["message"]


def test_a_secondary_limit_quiets_every_request_of_the_client(github: Forge):
    github.add("portal", {"publiccode.yml": VALID})
    github.server.secondary_rate_limit(github.listing_glob)
    client = github.harvester(clock=time.time).client  # the real clock: sleeping moves nothing

    client.get_json(f"orgs/{ORG}/repos")  # refused once, waited, answered
    client.get_json(f"repos/{ORG}/portal")  # another request during the pause waits too

    first, second = github.sleep.waits
    assert first == 60.0 and 59 < second <= 60
