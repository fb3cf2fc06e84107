"""Plain Git and demo sources, harvested through real repositories over file:// and smart HTTP."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from harvesters.demo import DemoHarvester
from harvesters.plain_git import PlainGitHarvester
from harvesters.run import run_source
from registry.config import Settings, SourceConfig
from registry.models import HarvestRun, Solution
from registry.normalise import normalise_repository_url

from .conftest import ALICE, BOB, days_ago

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
VALID = (EXAMPLES / "terminbuchung" / "publiccode.yml").read_bytes()


def harvester(tmp_path: Path, engine, urls: list[str]) -> PlainGitHarvester:
    source = SourceConfig(name="git", type="git", repositories=tuple(urls))
    settings = Settings(data_dir=tmp_path / "data", database_url=str(engine.url),
                        sources=(source,))
    return PlainGitHarvester(source, settings)


def solution(engine, url: str) -> Solution:
    with Session(engine) as session:
        return session.exec(select(Solution).where(
            Solution.url == normalise_repository_url(url))).one()


def test_valid_invalid_and_missing_publiccode(tmp_path, engine, make_origin):
    good, broken, plain = make_origin("good"), make_origin("broken"), make_origin("plain")
    good.commit(days_ago(3), files={"publiccode.yml": VALID})
    broken.commit(days_ago(3), files={"publiccode.yml": "name: [unclosed\n"})
    plain.commit(days_ago(3), files={"README.md": "no publiccode here"})
    for origin in (good, broken, plain):
        origin.push()
    report = run_source(harvester(tmp_path, engine, [good.file_url, broken.file_url,
                                                     plain.file_url]), engine)
    assert report.status == "ok", report.errors
    assert (report.counts["new"], report.counts["invalid"], report.counts["unlisted"]) == (1, 1, 1)
    assert solution(engine, good.file_url).name == "Terminbuchung Bürgeramt"
    findings = solution(engine, broken.file_url).findings
    assert findings[0]["message"].startswith("YAML syntax error")
    assert solution(engine, plain.file_url).status == "unlisted"


def test_unchanged_head_is_not_fetched_and_a_push_is(tmp_path, engine, origin):
    origin.commit(days_ago(10), files={"publiccode.yml": VALID})
    origin.push()
    git_harvester = harvester(tmp_path, engine, [origin.file_url])
    assert run_source(git_harvester, engine).counts["new"] == 1
    clone = git_harvester.git_cache().path_for(origin.file_url)
    fetched_at = (clone / "FETCH_HEAD").stat().st_mtime_ns if (clone / "FETCH_HEAD").exists() \
        else None

    again = run_source(git_harvester, engine)
    assert again.counts["unchanged"] == 1
    now_fetched = (clone / "FETCH_HEAD").stat().st_mtime_ns if (clone / "FETCH_HEAD").exists() \
        else None
    assert now_fetched == fetched_at  # no git fetch for an unchanged head

    origin.commit(days_ago(1), files={"publiccode.yml": VALID.replace(b"3.1.0", b"3.2.0")})
    origin.push()
    changed = run_source(git_harvester, engine)
    assert changed.counts["updated"] == 1
    assert solution(engine, origin.file_url).software_version == "3.2.0"


def test_activity_signals_are_stored_with_their_derivation(tmp_path, engine, origin):
    now = datetime.now(UTC)  # the harvest measures against the real clock
    for day in (100, 80, 60, 40, 20):
        origin.commit(now - timedelta(days=day), author=ALICE if day % 40 else BOB,
                      files={"publiccode.yml": VALID, f"f{day}": "x"})
    origin.push()
    run_source(harvester(tmp_path, engine, [origin.file_url]), engine)
    signals = solution(engine, origin.file_url).signals
    active = next(s for s in signals["signals"] if s["id"] == "active")
    assert active["met"] is True
    assert active["derivation"] == "5 commits in the last 180 days (threshold 5)"
    assert signals["activity"]["authors_180d"] == 2
    assert signals["level"] == 1


def test_oversized_publiccode_is_a_finding(tmp_path, engine, origin):
    origin.commit(days_ago(2), files={"publiccode.yml": b"# x\n" * (300 * 1024)})
    origin.push()
    report = run_source(harvester(tmp_path, engine, [origin.file_url]), engine)
    assert report.counts["invalid"] == 1
    [finding] = solution(engine, origin.file_url).findings
    assert "larger than the 1,048,576 byte limit" in finding["message"]


def test_unreachable_repository_fails_alone_and_keeps_stored_data(tmp_path, engine,
                                                                  make_origin):
    good, flaky = make_origin("good"), make_origin("flaky")
    for origin in (good, flaky):
        origin.commit(days_ago(2), files={"publiccode.yml": VALID.replace(
            b"terminbuchung", origin.bare.stem.encode())})
        origin.push()
    git_harvester = harvester(tmp_path, engine, [good.file_url, flaky.file_url])
    run_source(git_harvester, engine)
    before = solution(engine, flaky.file_url)

    moved_away = flaky.bare.with_name("elsewhere.git")
    flaky.bare.rename(moved_away)
    report = run_source(git_harvester, engine)
    assert report.status == "partial"
    assert (report.counts["unchanged"], report.counts["failed"]) == (1, 1)
    after = solution(engine, flaky.file_url)
    assert (after.status, after.name, after.valid_text) == (before.status, before.name,
                                                            before.valid_text)
    assert after.last_error and "not found" in after.last_error.lower()

    moved_away.rename(flaky.bare)
    recovered = run_source(git_harvester, engine)
    assert recovered.status == "ok"
    assert solution(engine, flaky.file_url).last_error is None


def test_smart_http_transport(tmp_path, engine, origin, git_http_server):
    origin.commit(days_ago(5), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    report = run_source(harvester(tmp_path, engine, [url]), engine)
    assert report.counts["new"] == 1, report.errors
    assert any("git-upload-pack" in request for request in git_http_server.requests)


def test_removed_only_after_three_complete_listings(tmp_path, engine, make_origin):
    keep, gone = make_origin("keep"), make_origin("gone")
    for origin in (keep, gone):
        origin.commit(days_ago(2), files={"publiccode.yml": VALID.replace(
            b"terminbuchung", origin.bare.stem.encode())})
        origin.push()
    run_source(harvester(tmp_path, engine, [keep.file_url, gone.file_url]), engine)
    only_keep = harvester(tmp_path, engine, [keep.file_url])
    statuses = []
    for _ in range(3):
        report = run_source(only_keep, engine)
        statuses.append(solution(engine, gone.file_url).status)
    assert statuses == ["valid", "valid", "removed"]
    assert report.counts["removed"] == 1


def test_a_killed_run_is_closed_as_failed_by_the_next(tmp_path, engine, origin):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    git_harvester = harvester(tmp_path, engine, [origin.file_url])
    from registry import catalogue
    from registry.db import session_scope
    with session_scope(engine) as session:  # what a SIGKILL leaves behind: a "running" run
        source = catalogue.ensure_source(session, git_harvester.source)
        stale = catalogue.start_run(session, source).id
    run_source(git_harvester, engine)
    with Session(engine) as session:
        runs = {run.id: run.status for run in session.exec(select(HarvestRun))}
    assert runs[stale] == "failed"
    assert sorted(runs.values()) == ["failed", "ok"]


# --- the demo source --------------------------------------------------------------------------

@pytest.fixture
def demo(tmp_path, engine):
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    source = SourceConfig(name="demo", type="demo", path=examples)
    settings = Settings(data_dir=tmp_path / "data", database_url=str(engine.url),
                        sources=(source,))
    return DemoHarvester(source, settings), examples


def test_demo_builds_repositories_with_telling_histories(demo, engine):
    harvester_, _ = demo
    report = run_source(harvester_, engine)
    assert (report.status, report.counts["new"]) == ("ok", 5)
    with Session(engine) as session:
        levels = {s.name: s.signals["level"] for s in session.exec(select(Solution))}
    assert levels["Terminbuchung Bürgeramt"] == 3  # stable: active, released, a team
    assert levels["Parkraum-App"] == 2  # development: active and released
    assert levels["Abfallkalender"] == 0  # obsolete: nothing for years


def test_demo_notices_an_edited_example(demo, engine):
    harvester_, examples = demo
    run_source(harvester_, engine)
    path = examples / "ratsinfo-light" / "publiccode.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.2.0", "1.3.0"),
                    encoding="utf-8")
    report = run_source(harvester_, engine)
    assert (report.counts["updated"], report.counts["unchanged"]) == (1, 4)
