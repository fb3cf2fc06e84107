"""Harvests on request: the queue drained by ``drain``, the background worker and the CLI."""

from __future__ import annotations

import dataclasses

from click.testing import CliRunner
from sqlmodel import Session, select

import search
from harvesters.on_demand import BackgroundHarvester, drain, harvest_requested
from harvesters.plain_git import PlainGitHarvester
from harvesters.run import run_source
from registry.cli import main
from registry.config import SourceConfig
from registry.harvest_requests import pending_count, request_harvest
from registry.models import HarvestRequest

from .conftest import days_ago
from .registrations import VALID, register, settings_for, solution


def queue(engine, url: str, reason: str = "webhook") -> int:
    with Session(engine) as session:
        return request_harvest(session, url, reason).id


def outcome(engine, request_id: int) -> str | None:
    with Session(engine) as session:
        return session.get(HarvestRequest, request_id).outcome


def test_a_new_registration_is_harvested_and_indexed(tmp_path, engine, origin,
                                                     git_http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url)
    settings = settings_for(tmp_path, engine)
    first = queue(engine, url, "registration")
    assert drain(engine, settings) == 1
    assert outcome(engine, first).startswith("new: ")
    stored, source = solution(engine, url)
    assert (stored.status, source) == ("valid", "registered")
    assert search.SearchService(settings.index_dir).exists()

    origin.commit(days_ago(1), files={"publiccode.yml": VALID.replace(b"3.1.0", b"3.2.0")})
    origin.push()
    second = queue(engine, url)
    assert drain(engine, settings) == 1
    assert outcome(engine, second).startswith("updated: ")
    assert solution(engine, url)[0].software_version == "3.2.0"
    with Session(engine) as session:
        assert pending_count(session) == 0


def test_an_unknown_url_harvests_nothing(tmp_path, engine):
    settings = settings_for(tmp_path, engine)
    request_id = queue(engine, "https://git.example.org/nobody/knows")
    assert drain(engine, settings) == 1
    assert "neither in the catalogue nor a verified registration" in outcome(engine, request_id)
    assert solution(engine, "https://git.example.org/nobody/knows") is None


def test_a_refused_url_keeps_the_stored_data(tmp_path, engine, origin, git_http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url)
    queue(engine, url)
    drain(engine, settings_for(tmp_path, engine))
    request_id = queue(engine, url)
    strict = settings_for(tmp_path, engine, allow_private=False)
    assert drain(engine, strict) == 1
    assert outcome(engine, request_id).startswith("failed: ")
    assert "a loopback address" in outcome(engine, request_id)
    stored, _ = solution(engine, url)
    assert stored.status == "valid" and "only public internet addresses" in stored.last_error


def test_a_solution_of_an_operator_git_source_stays_with_it(tmp_path, engine, origin,
                                                            git_http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    operator = SourceConfig(name="town", type="git", repositories=(url,))
    settings = dataclasses.replace(settings_for(tmp_path, engine, allow_private=False),
                                   sources=(operator,))
    run_source(PlainGitHarvester(operator, settings), engine)
    origin.commit(days_ago(1), files={"publiccode.yml": VALID.replace(b"3.1.0", b"3.3.0")})
    origin.push()
    with Session(engine) as session:
        request = request_harvest(session, url, "api")
        # operator sources are trusted: no address check even with the strict policy
        assert harvest_requested(engine, settings, request).startswith("updated: ")
    stored, source = solution(engine, url)
    assert (stored.software_version, source) == ("3.3.0", "town")


def test_local_sources_are_not_harvested_on_demand(tmp_path, engine):
    from harvesters.files import FilesHarvester

    from .registrations import REPO

    local = SourceConfig(name="inbox", type="files", path=REPO / "examples")
    settings = dataclasses.replace(settings_for(tmp_path, engine), sources=(local,))
    report = run_source(FilesHarvester(local, settings), engine)
    url = report.changed_urls[0]
    with Session(engine) as session:
        request = request_harvest(session, url, "api")
        assert "only harvested as a whole" in harvest_requested(engine, settings, request)


def test_the_background_worker_drains_when_woken(tmp_path, engine, origin, git_http_server):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url)
    worker = BackgroundHarvester(engine, settings_for(tmp_path, engine)).start()
    try:
        request_id = queue(engine, url)
        worker.submit()
        assert worker.join_idle(timeout=60)
        assert outcome(engine, request_id).startswith("new: ")
        assert worker.processed == 1
        assert worker.drain_now() == 0
    finally:
        worker.stop()


def test_the_cli_drains_the_queue(tmp_path, engine, origin, git_http_server, monkeypatch):
    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url)
    request_id = queue(engine, url)
    config = tmp_path / "allmende.toml"
    config.write_text('allow_private_addresses = true\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = {"ALLMENDE_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "ALLMENDE_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(main, ["--config", str(config), "harvest", "--requested"],
                                env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "harvest requests: 1 run" in result.stdout
    assert outcome(engine, request_id).startswith("new: ")
    with Session(engine) as session:
        assert session.exec(select(HarvestRequest.finished_at)).one() is not None


def test_the_worker_mails_the_maintainer_when_a_push_breaks_the_file(
        tmp_path, engine, origin, git_http_server, smtp_server):
    from tests.smtp import mail_settings

    origin.commit(days_ago(2), files={"publiccode.yml": VALID})
    origin.push()
    url = git_http_server.url("project.git")
    register(engine, url, email="pflege@musterstadt.example")
    settings = mail_settings(smtp_server, tmp_path / "data",
                             database_url=settings_for(tmp_path, engine).database_url,
                             allow_private_addresses=True)
    worker = BackgroundHarvester(engine, settings).start()
    try:
        queue(engine, url)
        worker.submit()
        assert worker.join_idle(timeout=60)
        origin.commit(days_ago(1), files={"publiccode.yml": VALID.replace(
            b"developmentStatus: stable", b"developmentStatus: finished")})
        origin.push()
        queue(engine, url)
        worker.submit()
        assert worker.join_idle(timeout=60)
    finally:
        worker.stop()
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["pflege@musterstadt.example"]
    assert "developmentStatus" in mail.message.get_content()
