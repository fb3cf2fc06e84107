"""GiteaHarvester specifics (Gitea and Forgejo, e.g. Codeberg): listing query and facts,
forks, mirrors, private and empty repositories, a proxy's 429.

What every forge harvester shares (files, incremental runs, failures, renames, tokens,
activity) is tested for Gitea in test_forge_harvesters.py.
"""

from __future__ import annotations

import pytest

from harvesters.base import HarvestError
from harvesters.gitea import GiteaHarvester
from registry.config import SourceConfig

from .conftest import days_ago
from .forge_harness import ORG, VALID, Forge, running_forge, solution, solutions


@pytest.fixture
def gitea(tmp_path, make_origin, git_http_server, monkeypatch):
    with running_forge("gitea", tmp_path=tmp_path, make_origin=make_origin,
                       git_http_server=git_http_server, monkeypatch=monkeypatch) as running:
        yield running


def test_listing_uses_the_largest_page_and_keeps_giteas_facts(gitea: Forge):
    project = gitea.add("portal", {"publiccode.yml": VALID}, topics=["egov"], star_count=7,
                        forks_count=2, archived=True, license="EUPL-1.2",
                        pushed_at=days_ago(3), updated_at=days_ago(5))

    [ref] = gitea.harvester().list_repositories()

    [listing] = gitea.server.requests_to(gitea.listing_glob)
    assert listing.query == {"limit": ["50"]}
    assert ref.url == f"{gitea.server.url}/{ORG}/portal"
    assert ref.forge_id == str(project.id) and ref.clone_url == gitea.clone_url
    assert ref.marker == "2026-05-29T12:00:00Z|main"  # updated_at moves on every push
    assert ref.facts == {
        "default_branch": "main", "last_activity_at": "2026-05-29T12:00:00Z",
        "updated_at": "2026-05-29T12:00:00Z", "archived": True, "empty": False,
        "fork": False, "mirror": False, "stars": 7, "forks": 2, "topics": ["egov"],
        "forge_license": "EUPL-1.2", "namespace": ORG, "forge_id": str(project.id)}


def test_forks_mirrors_and_private_repositories_stay_out(gitea: Forge, engine):
    original = gitea.add("original", {"publiccode.yml": VALID})
    for name, flag in (("fork", "fork"), ("mirror", "mirror")):
        copy = gitea.add(name, {"publiccode.yml": VALID})
        gitea.server.repo_overrides[copy.id][flag] = True
    gitea.add("hidden", {"publiccode.yml": VALID}, visibility="private")  # the token sees it

    report = gitea.run(engine)

    assert report.counts["seen"] == 1
    assert set(solutions(engine)) == {gitea.url_of(original)}


def test_an_empty_repository_is_listed_but_costs_no_file_request(gitea: Forge, engine):
    empty = gitea.add("empty")

    report = gitea.run(engine)

    assert report.counts["unlisted"] == 1
    assert solution(engine, gitea.url_of(empty)).status == "unlisted"
    assert gitea.server.requests_to(gitea.file_glob(empty)) == []


def test_a_proxys_429_is_waited_out_as_told(gitea: Forge, engine):
    project = gitea.add("portal", {"publiccode.yml": VALID})
    gitea.server.faults.rate_limit(gitea.listing_glob, retry_after=7)
    gitea.server.faults.rate_limit(gitea.file_glob(project), retry_after=3)

    report = gitea.run(engine)

    assert report.status == "ok" and sorted(gitea.sleep.waits) == [3.0, 7.0]
    assert solution(engine, gitea.url_of(project)).status == "valid"


def test_a_source_without_url_is_refused_with_a_hint(gitea: Forge):
    with pytest.raises(HarvestError, match="needs the url"):
        GiteaHarvester(SourceConfig(name="codeberg", type="gitea", orgs=(ORG,)), gitea.settings)
