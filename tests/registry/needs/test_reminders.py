"""Reminders for silent needs: once per silence, the configured time, retry-safe, and the
``[needs]`` setting; then ``allmende mail send`` running notifications, relay, digests and
reminders in one go."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session

from registry.cli import main
from registry.config import ConfigError, NeedsConfig, load_settings
from registry.db import session_scope
from registry.mail import Mailer
from registry.models import Account, Need
from registry.needs import reminders, service
from registry.needs.service import NeedFields
from tests.registry.test_relay import T0, make_towns
from tests.smtp import mail_settings

DAYS = 90
DUE = T0 + timedelta(days=DAYS)
DOCS = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


@pytest.fixture
def towns(engine):
    return make_towns(engine)


@pytest.fixture
def settings(smtp_server, tmp_path):
    return mail_settings(smtp_server, tmp_path, needs=NeedsConfig(remind_after_days=DAYS))


def run(engine, settings, now) -> int:
    return reminders.send_reminders(engine, settings, Mailer.from_settings(settings), now=now)


def reminded(engine, key_id) -> object:
    with Session(engine) as session:
        return session.get(Need, key_id).reminded_at


def test_a_silent_need_is_reminded_once(engine, towns, settings, smtp_server):
    assert run(engine, settings, DUE - timedelta(seconds=1)) == 0
    assert run(engine, settings, DUE) == 4  # two needs, two members each
    mails = smtp_server.wait_for(4)
    assert [m.rcpt_tos[0] for m in mails[:2]] == ["eva@beispielheim.de", "bo@beispielheim.de"]
    text = mails[0].message.get_content()
    assert f"https://allmende.example/bedarfe/{towns['need']}" in text
    assert "seit 90 Tagen" in text and "still open?" in text
    assert reminded(engine, towns["need"]) == DUE
    assert run(engine, settings, DUE + timedelta(days=400)) == 0  # once per silence
    assert len(smtp_server.messages) == 4


def test_a_change_starts_a_new_silence(engine, towns, settings, smtp_server):
    run(engine, settings, DUE)
    smtp_server.wait_for(4)
    edited = DUE + timedelta(days=1)
    with session_scope(engine) as session:
        need = session.get(Need, towns["need"])
        service.edit_need(session, session.get(Account, towns["second"]), need,
                          NeedFields(need.title + " (neu)", need.description,
                                     need.field_of_action, contact_ok=True), now=edited)
        session.commit()
    assert run(engine, settings, edited + timedelta(days=DAYS - 1)) == 0
    assert run(engine, settings, edited + timedelta(days=DAYS)) == 2


def test_closed_and_hidden_needs_are_not_reminded_and_failures_stay_pending(
        engine, towns, settings, smtp_server):
    with session_scope(engine) as session:
        service.set_status(session, session.get(Account, towns["second"]),
                           session.get(Need, towns["closed_need"]), "withdrawn", now=T0)
        service.set_hidden(session, session.get(Account, towns["admin"]),
                           session.get(Need, towns["need"]), hidden=True)
        session.commit()
    assert run(engine, settings, DUE) == 0
    with session_scope(engine) as session:
        service.set_hidden(session, session.get(Account, towns["admin"]),
                           session.get(Need, towns["need"]), hidden=False)
        session.commit()
    smtp_server.fail_with = "451 4.3.0 try again later"
    assert run(engine, settings, DUE) == 0 and reminded(engine, towns["need"]) is None
    smtp_server.fail_with = None
    assert run(engine, settings, DUE) == 2 and reminded(engine, towns["need"]) == DUE


def test_zero_days_switches_reminders_off(engine, towns, settings, smtp_server):
    off = replace(settings, needs=NeedsConfig(remind_after_days=0))
    assert run(engine, off, DUE + timedelta(days=1000)) == 0
    assert smtp_server.messages == []


def test_the_setting_is_read_checked_and_documented(tmp_path):
    config = tmp_path / "allmende.toml"
    config.write_text("[needs]\nremind_after_days = 30\n", encoding="utf-8")
    assert load_settings(config, environ={}).needs.remind_after_days == 30
    config.write_text("", encoding="utf-8")
    assert load_settings(config, environ={}).needs.remind_after_days == 90
    for bad in ("-1", "true", '"90"', "4000"):
        config.write_text(f"[needs]\nremind_after_days = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="remind_after_days"):
            load_settings(config, environ={})
    config.write_text("[needs]\nremind_after = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key"):
        load_settings(config, environ={})
    assert "`remind_after_days`" in DOCS.read_text(encoding="utf-8")


def test_mail_send_runs_every_outbox(engine, towns, smtp_server, tmp_path, database_url):
    """The cron command: one line per outbox. A digest is due whatever today is (its need
    was never told); reminders are off, since the command's clock is the real one."""
    from tests.registry.needs.test_digest import found

    found(engine, towns["need"], "organisation", towns["muster"], T0)
    config = tmp_path / "allmende.toml"
    config.write_text(f'database_url = "{database_url}"\ndata_dir = "data"\n'
                      "[site]\nbase_url = \"https://allmende.example\"\n"
                      f"[mail]\nhost = \"{smtp_server.host}\"\nport = {smtp_server.port}\n"
                      "security = \"none\"\n[needs]\nremind_after_days = 0\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "mail", "send"])
    assert result.exit_code == 0, result.output
    for line in ("notifications: 0 sent", "relayed messages: 0 sent", "need digests: 2 sent",
                 "need reminders: 0 sent"):
        assert line in result.stdout
    assert "Stadt Musterstadt" in smtp_server.wait_for(2)[0].message.get_content()
