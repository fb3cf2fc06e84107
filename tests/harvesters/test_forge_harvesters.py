"""What the GitHub and the Gitea harvester must both do, run for real through ``run_source``.

Each test runs once per forge (fake API on 127.0.0.1, token required) and per catalogue
database (SQLite; PostgreSQL when ``ALLMENDE_TEST_POSTGRES_URL`` is set). Forge-specific
behaviour (rate-limit formats, forks, empty repositories, facts) lives in test_github.py and
test_gitea.py.
"""

from __future__ import annotations

import json

import pytest

from .conftest import days_ago
from .forge_harness import (
    INVALID,
    OVERSIZED,
    TOKEN,
    VALID,
    VALID_CHANGED,
    Forge,
    last_run,
    running_forge,
    solution,
    solutions,
)


@pytest.fixture(params=["github", "gitea"])
def forge(request, tmp_path, make_origin, git_http_server, monkeypatch):
    with running_forge(request.param, tmp_path=tmp_path, make_origin=make_origin,
                       git_http_server=git_http_server, monkeypatch=monkeypatch) as running:
        yield running


def test_listing_follows_every_page(forge: Forge, engine, monkeypatch):
    for n in range(5):
        forge.add(f"project-{n}", {"README.md": b"nothing to see"})
    harvester = forge.harvester()
    monkeypatch.setattr(type(harvester), "page_size", 2)

    report = forge.run(engine, harvester)

    assert report.status == "ok" and report.counts["seen"] == 5
    pages = forge.server.requests_to(forge.listing_glob)
    assert [seen.query.get("page") for seen in pages] == [None, ["2"], ["3"]]
    assert len(solutions(engine)) == 5


def test_valid_invalid_missing_yaml_and_oversized_files(forge: Forge, engine):
    valid = forge.add("valid", {"publiccode.yml": VALID})
    invalid = forge.add("invalid", {"publiccode.yml": INVALID})
    missing = forge.add("missing", {"README.md": b"no publiccode here"})
    yaml = forge.add("yaml", {"publiccode.yaml": VALID})
    big = forge.add("big", {"publiccode.yml": OVERSIZED})
    # The body is never sent: a harvester that tried to read it would hang, not pass.
    forge.server.faults.withhold_body(forge.file_glob(big))

    report = forge.run(engine)

    assert report.status == "ok", report.errors
    assert {k: report.counts[k] for k in ("new", "invalid", "unlisted", "failed")} == {
        "new": 2, "invalid": 2, "unlisted": 1, "failed": 0}
    stored = solutions(engine)
    assert stored[forge.url_of(valid)].status == "valid"
    assert stored[forge.url_of(yaml)].status == "valid"
    assert stored[forge.url_of(invalid)].status == "invalid"
    assert stored[forge.url_of(missing)].status == "unlisted"
    oversized = stored[forge.url_of(big)]
    assert oversized.status == "invalid" and oversized.raw_text is None
    assert f"{len(OVERSIZED):,} bytes" in oversized.findings[0]["message"]
    assert len(forge.server.requests_to(forge.file_glob(big))) == 1  # refused unread
    assert len(forge.server.requests_to(forge.file_glob(valid))) == 1
    assert len(forge.server.requests_to(forge.file_glob(missing))) == 2  # .yml, then .yaml


def test_oversized_file_without_content_length_is_sized_from_metadata(forge: Forge, engine):
    big = forge.add("big", {"publiccode.yml": OVERSIZED})
    forge.server.faults.no_content_length(forge.file_glob(big))

    forge.run(engine)

    stored = solution(engine, forge.url_of(big))
    assert stored.status == "invalid"
    assert f"{len(OVERSIZED):,} bytes" in stored.findings[0]["message"]
    assert len(forge.server.requests_to(forge.file_glob(big))) == 2  # capped read, then size


def test_second_run_asks_for_listing_pages_only(forge: Forge, engine, git_http_server):
    forge.add("valid", {"publiccode.yml": VALID})
    forge.add("invalid", {"publiccode.yml": INVALID})
    forge.add("missing", {"README.md": b"no publiccode here"})
    first = forge.run(engine)
    before = solutions(engine)
    mark, git_mark = len(forge.server.log), len(git_http_server.requests)

    second = forge.run(engine)

    assert forge.beyond_listing(mark) == []
    assert git_http_server.requests[git_mark:] == []  # signals are fresh: no fetch either
    assert second.status == "ok" and second.counts["unchanged"] == second.counts["seen"] == 3
    after = solutions(engine)
    assert {u: (s.status, s.raw_text) for u, s in after.items()} == {
        u: (s.status, s.raw_text) for u, s in before.items()}
    assert first.counts["seen"] == 3


def test_a_changed_repository_is_fetched_again(forge: Forge, engine):
    changing = forge.add("changing", {"publiccode.yml": VALID})
    forge.add("steady", {"publiccode.yml": VALID})
    forge.run(engine)
    mark = len(forge.server.log)

    changing.files = {"publiccode.yml": VALID_CHANGED}
    changing.pushed_at = days_ago(1)
    report = forge.run(engine)

    assert {k: report.counts[k] for k in ("updated", "unchanged")} == {
        "updated": 1, "unchanged": 1}
    assert forge.beyond_listing(mark) == [forge.download_path(changing)]
    assert solution(engine, forge.url_of(changing)).name == "Abfallkalender Plus"


def test_a_persistent_error_fails_one_repository_keeps_its_data_and_recovers(
        forge: Forge, engine):
    broken = forge.add("broken", {"publiccode.yml": VALID})
    forge.add("fine", {"publiccode.yml": VALID})
    forge.run(engine)

    broken.files = {"publiccode.yml": VALID_CHANGED}
    broken.pushed_at = days_ago(1)
    rule = forge.server.faults.fail(forge.file_glob(broken), status=500, times=None)
    report = forge.run(engine)

    assert report.status == "partial"
    assert (report.counts["failed"], report.counts["unchanged"]) == (1, 1)
    kept = solution(engine, forge.url_of(broken))
    assert (kept.status, kept.name, kept.valid_text) == ("valid", "Abfallkalender",
                                                         VALID.decode())
    assert "500" in kept.last_error and TOKEN not in kept.last_error
    run = last_run(engine)
    assert run.status == "partial" and run.failed == 1
    assert [e["url"] for e in run.errors] == [forge.url_of(broken)]
    assert TOKEN not in json.dumps(run.errors)
    assert forge.sleep.waits  # the 500s were retried with backoff before giving up

    rule.times = 0  # the forge recovers
    report = forge.run(engine)

    assert report.status == "ok" and report.counts["updated"] == 1
    recovered = solution(engine, forge.url_of(broken))
    assert (recovered.name, recovered.last_error) == ("Abfallkalender Plus", None)


def test_a_renamed_repository_keeps_its_entry(forge: Forge, engine):
    project = forge.add("alter-name", {"publiccode.yml": VALID})
    forge.run(engine)
    old_url = forge.url_of(project)
    entry_id = solution(engine, old_url).id

    forge.server.model.rename(project.path, f"{project.namespace}/neuer-name")
    report = forge.run(engine)

    stored = solutions(engine)
    assert old_url not in stored
    moved = stored[forge.url_of(project)]
    assert (moved.id, moved.status, moved.forge_id) == (entry_id, "valid", str(project.id))
    assert report.counts["unchanged"] == 1 and report.counts["new"] == 0


def test_token_goes_in_the_forge_header_and_nowhere_else(forge: Forge, engine):
    project = forge.add("geheim", {"publiccode.yml": VALID})
    forge.server.faults.fail(forge.file_glob(project), status=502, times=None)

    report = forge.run(engine)

    assert forge.server.log and all(seen.credential == TOKEN for seen in forge.server.log)
    assert forge.server.auth_schemes == ({"Bearer"} if forge.kind == "github" else {"token"})
    stored = solution(engine, forge.url_of(project))
    assert stored is None or TOKEN not in (stored.last_error or "")
    assert TOKEN not in json.dumps(report.errors)
    assert TOKEN not in json.dumps(last_run(engine).errors)


def test_activity_signals_come_from_a_real_clone(forge: Forge, engine, git_http_server):
    project = forge.add("aktiv", {"publiccode.yml": VALID})

    forge.run(engine)

    signals = solution(engine, forge.url_of(project)).signals
    activity = signals["activity"]
    assert activity["total_commits"] == 2 and activity["default_branch"] == "main"
    assert activity["last_commit_at"] == days_ago(10).isoformat()
    assert isinstance(signals["level"], int) and signals["signals"]
    assert any("git-upload-pack" in line for line in git_http_server.requests)
