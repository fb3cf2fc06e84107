"""Maintainer notifications: written by the harvest's services, sent by ``send_pending``.

The catalogue state comes from the real services (``record_solution`` with validated example
files and a broken copy, ``record_failure``); mails go to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from registry import catalogue, harvest_state, notifications
from registry.cli import main
from registry.config import SourceConfig
from registry.mail import Mailer
from registry.models import Account, Notification, Registration
from registry.publiccode import validate_bytes
from tests.smtp import mail_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "terminbuchung"
URL = "https://git.example/allmende-demo/terminbuchung"
T0 = datetime(2026, 1, 5, 2, 30, tzinfo=UTC)
BROKEN = ("developmentStatus: stable", "developmentStatus: finished")


def example(broken: bool = False, also: str = ""):
    text = (EXAMPLE / "publiccode.yml").read_text(encoding="utf-8")
    if broken:
        text = text.replace(*BROKEN) + also
    return validate_bytes(text.encode("utf-8"), base_dir=EXAMPLE)


def harvest(session: Session, result, night: int = 0) -> catalogue.RecordOutcome:
    source = catalogue.ensure_source(session, SourceConfig(name="demo", type="git",
                                                           repositories=(URL,)))
    return catalogue.record_solution(session, source=source, repository_url=URL, result=result,
                                     now=T0 + timedelta(days=night))


def add_account(session: Session, email: str, *, registration: str | None = "verified",
                email_verified: bool = True, suspended: bool = False, url: str = URL) -> None:
    account = Account(email=email, password_hash="argon2-not-used", name=email.split("@")[0],
                      email_verified_at=T0 if email_verified else None,
                      suspended_at=T0 if suspended else None, created_at=T0)
    session.add(account)
    session.flush()
    if registration:
        session.add(Registration(account_id=account.id, url=url, forge_type="git",
                                 status=registration, verify_token="t", webhook_salt="s",
                                 verified_at=T0 if registration == "verified" else None,
                                 created_at=T0))
    session.commit()


def all_notifications(session: Session) -> list[Notification]:
    return list(session.exec(select(Notification).order_by(Notification.id)
                             .execution_options(populate_existing=True)))


@pytest.fixture
def maintainers(engine):
    with Session(engine) as session:
        add_account(session, "pflege@stadt.example")
        add_account(session, "zweite@stadt.example", registration="pending")
        add_account(session, "gesperrt@stadt.example", suspended=True)
        add_account(session, "unbestaetigt@stadt.example", email_verified=False)
        add_account(session, "anderes@stadt.example", url="https://git.example/other/repo")


def test_valid_then_invalid_notifies_the_verified_maintainer_once(engine, maintainers,
                                                                  smtp_server, tmp_path):
    settings = mail_settings(smtp_server, tmp_path)
    with Session(engine) as session:
        assert harvest(session, example()).kind == "new"
        outcome = harvest(session, example(broken=True), night=1)
        assert outcome.kind == "invalid"
        harvest(session, example(broken=True, also="\n# still broken\n"), night=2)
        (notification,) = all_notifications(session)
    assert (notification.kind, notification.solution_id) == ("became_invalid", outcome.solution_id)
    assert notification.created_at == T0 + timedelta(days=1)
    assert "developmentStatus" in notification.detail

    assert notifications.send_pending(engine, settings, Mailer.from_settings(settings)) == 1
    (received,) = smtp_server.wait_for(1)
    assert received.rcpt_tos == ["pflege@stadt.example"]
    message = received.message
    assert "Terminbuchung Bürgeramt" in message["Subject"] and "ungültig" in message["Subject"]
    body = message.get_content()
    assert "publiccode.yml:13:1: error: developmentStatus: developmentStatus must be" in body
    assert f"https://allmende.example/loesungen/{outcome.solution_id}" in body

    with Session(engine) as session:
        (notification,) = all_notifications(session)
        assert notification.sent_at is not None
        assert notification.recipients == ["pflege@stadt.example"]
        assert notifications.pending(session) == []
    assert notifications.send_pending(engine, settings, Mailer.from_settings(settings)) == 0
    assert len(smtp_server.messages) == 1


def test_invalid_again_after_valid_again_notifies_again(engine):
    with Session(engine) as session:
        harvest(session, example())
        harvest(session, example(broken=True), night=1)
        harvest(session, example(), night=2)
        harvest(session, example(broken=True), night=3)
        assert [n.kind for n in all_notifications(session)] == ["became_invalid"] * 2


def test_a_solution_never_valid_gives_no_notification(engine):
    with Session(engine) as session:
        harvest(session, example(broken=True))
        harvest(session, example(broken=True, also="\n# other\n"), night=1)
        harvest_state.record_failure(session, URL, "HTTP 500", now=T0 + timedelta(days=2))
        assert all_notifications(session) == []


def test_first_failure_after_a_success_is_unreachable(engine, maintainers, smtp_server,
                                                      tmp_path):
    settings = mail_settings(smtp_server, tmp_path)
    with Session(engine) as session:
        harvest(session, example())
        harvest_state.record_failure(session, URL, "HTTP 404: project not found",
                                     now=T0 + timedelta(days=1))
        harvest_state.record_failure(session, URL, "HTTP 404 again", now=T0 + timedelta(days=2))
        (notification,) = all_notifications(session)
        assert (notification.kind, notification.detail) == ("unreachable",
                                                            "HTTP 404: project not found")
        harvest_state.remember_success(session, URL, change_marker=None, forge_id=None)
        harvest_state.record_failure(session, URL, "timed out", now=T0 + timedelta(days=3))
        assert [n.kind for n in all_notifications(session)] == ["unreachable"] * 2

    assert notifications.send_pending(engine, settings, Mailer.from_settings(settings)) == 2
    first, second = smtp_server.wait_for(2)
    assert "nicht erreichbar" in first.message["Subject"]
    assert "HTTP 404: project not found" in first.message.get_content()
    assert "timed out" in second.message.get_content()


def test_a_failed_delivery_stays_pending_until_it_succeeds(engine, maintainers, smtp_server,
                                                           tmp_path, caplog):
    settings = mail_settings(smtp_server, tmp_path)
    with Session(engine) as session:
        harvest(session, example())
        harvest(session, example(broken=True), night=1)
    smtp_server.fail_with = "451 4.3.0 try again later"
    assert notifications.send_pending(engine, settings, Mailer.from_settings(settings)) == 0
    assert "stays pending" in caplog.text and "451" in caplog.text
    with Session(engine) as session:
        (notification,) = notifications.pending(session)
        assert notification.recipients == []

    smtp_server.fail_with = None
    assert notifications.send_pending(engine, settings, Mailer.from_settings(settings)) == 1
    assert smtp_server.wait_for(1)[0].rcpt_tos == ["pflege@stadt.example"]
    with Session(engine) as session:
        assert notifications.pending(session) == []


def test_a_notification_without_recipients_is_marked_sent(engine, smtp_server, tmp_path):
    settings = mail_settings(smtp_server, tmp_path)
    with Session(engine) as session:
        harvest(session, example())
        harvest(session, example(broken=True), night=1)
    assert notifications.send_pending(engine, settings, Mailer.from_settings(settings)) == 0
    with Session(engine) as session:
        (notification,) = all_notifications(session)
        assert notification.sent_at is not None and notification.recipients == []
    assert smtp_server.messages == []


def test_harvest_command_sends_notifications_and_keeps_its_exit_code(engine, smtp_server,
                                                                     tmp_path, monkeypatch):
    folder = tmp_path / "inbox" / "terminbuchung"
    shutil.copytree(EXAMPLE, folder)
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n'
                      f'[[sources]]\nname = "inbox"\ntype = "files"\npath = "{folder.parent}"\n'
                      f'[mail]\nhost = "127.0.0.1"\nport = {smtp_server.port}\n'
                      'security = "none"\n', encoding="utf-8")
    for variable in ("ALLMENDE_CONFIG", "ALLMENDE_DATA_DIR"):
        monkeypatch.delenv(variable, raising=False)
    env = {"ALLMENDE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}

    def run_harvest():
        return CliRunner().invoke(main, ["--config", str(config), "harvest"], env=env)

    first = run_harvest()
    assert first.exit_code == 0, first.output
    assert "notifications: 0 sent" in first.stdout
    with Session(engine) as session:
        add_account(session, "pflege@stadt.example")
    path = folder / "publiccode.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(*BROKEN), encoding="utf-8")

    smtp_server.fail_with = "421 4.3.2 service not available"
    second = run_harvest()
    assert second.exit_code == 0, second.output
    assert "notifications: 0 sent" in second.stdout
    smtp_server.fail_with = None
    sent = CliRunner().invoke(main, ["--config", str(config), "mail", "send"], env=env)
    assert sent.exit_code == 0, sent.output
    assert "notifications: 1 sent" in sent.stdout
    assert smtp_server.wait_for(1)[0].rcpt_tos == ["pflege@stadt.example"]
