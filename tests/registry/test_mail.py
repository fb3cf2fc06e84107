"""registry.mail against a real SMTP server on 127.0.0.1, and its file fallback."""

from __future__ import annotations

import socket
import stat
from dataclasses import replace
from email import message_from_bytes, policy

import pytest
from click.testing import CliRunner

from registry.cli import main
from registry.mail import Mailer, MailError, UnsafeHeader
from registry.mail_texts import (
    became_invalid_mail,
    password_reset_mail,
    unreachable_mail,
    verification_mail,
)
from tests.smtp import mail_settings


def test_mail_arrives_with_headers_and_utf8_body(smtp_server, tmp_path):
    settings = mail_settings(smtp_server, tmp_path)
    subject, body = verification_mail("Jürgen Weiß", "https://allmende.example/konto/bestaetigen/abc")
    Mailer.from_settings(settings).send("juergen@stadt.example", subject, body)

    (received,) = smtp_server.wait_for(1)
    message = received.message
    assert received.mail_from == "noreply@allmende.example"
    assert received.rcpt_tos == ["juergen@stadt.example"]
    assert message["From"] == "Allmende Test <noreply@allmende.example>"
    assert message["To"] == "juergen@stadt.example"
    assert message["Subject"] == subject == (
        "Allmende: E-Mail-Adresse bestätigen / Confirm your e-mail address")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@allmende.example>")
    assert message["Date"]
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content()
    assert "Hallo Jürgen Weiß" in text and "https://allmende.example/konto/bestaetigen/abc" in text
    assert text.index("bestätigen Sie") < text.index("-" * 60) < text.index("please confirm")


def test_without_host_mail_is_written_to_a_private_file(tmp_path, caplog):
    settings = mail_settings_without_server(tmp_path)
    subject, body = password_reset_mail("Ana", "https://allmende.example/passwort/xyz")
    with caplog.at_level("INFO", logger="registry.mail"):
        Mailer.from_settings(settings).send("ana@example.org", subject, body)

    (path,) = settings.mail_dir.glob("*.eml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.mail_dir.stat().st_mode) == 0o700
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "ana@example.org"
    assert "https://allmende.example/passwort/xyz" in message.get_content()
    assert f"mail to ana@example.org written to {path}" in caplog.text


def test_unreachable_smtp_server_raises_a_clear_mail_error(tmp_path, smtp_server):
    with socket.socket() as probe:  # a port nobody listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        settings = mail_settings(smtp_server, tmp_path)
        settings = replace(settings, mail=replace(settings.mail, port=port))
        with pytest.raises(MailError) as raised:
            Mailer.from_settings(settings).send("ana@example.org", "Betreff", "Text")
    message = str(raised.value)
    assert f"127.0.0.1:{port}" in message and "ana@example.org" in message
    assert "check [mail] host, port and security" in message


def test_smtp_error_reply_is_a_mail_error(smtp_server, tmp_path):
    smtp_server.fail_with = "451 4.3.0 Bitte später erneut versuchen"
    with pytest.raises(MailError, match="451"):
        Mailer.from_settings(mail_settings(smtp_server, tmp_path)).send(
            "ana@example.org", "Betreff", "Text")


@pytest.mark.parametrize(("to", "subject"), [
    ("ana@example.org", "Hallo\r\nBcc: victim@example.org"),
    ("ana@example.org", "Hallo\nBcc: victim@example.org"),
    ("ana@example.org\r\nBcc: victim@example.org", "Hallo"),
    ("ana@example.org, victim@example.org", "Hallo"),
])
def test_line_breaks_and_several_recipients_are_refused(smtp_server, tmp_path, to, subject):
    mailer = Mailer.from_settings(mail_settings(smtp_server, tmp_path))
    with pytest.raises(UnsafeHeader, match="refusing|one e-mail address"):
        mailer.send(to, subject, "Text")
    assert smtp_server.messages == []


@pytest.mark.parametrize("reply_to", ["ana@example.org\r\nBcc: victim@example.org",
                                      "ana@example.org, victim@example.org", "kein Postfach"])
def test_a_reply_address_is_checked_like_the_recipient(smtp_server, tmp_path, reply_to):
    mailer = Mailer.from_settings(mail_settings(smtp_server, tmp_path))
    with pytest.raises(UnsafeHeader, match="reply address"):
        mailer.send("ana@example.org", "Hallo", "Text", reply_to=reply_to)
    assert smtp_server.messages == []


def test_a_reply_address_is_sent_as_reply_to(smtp_server, tmp_path):
    mailer = Mailer.from_settings(mail_settings(smtp_server, tmp_path))
    mailer.send("ana@example.org", "Hallo", "Text", reply_to="Jürgen Weiß <jw@stadt.example>")
    (received,) = smtp_server.wait_for(1)
    assert received.message["Reply-To"] == "Jürgen Weiß <jw@stadt.example>"
    assert received.rcpt_tos == ["ana@example.org"]  # an answer address, not a recipient


def test_solution_names_are_single_line_in_subjects():
    findings = [{"key": "legal", "line": 0, "column": 0, "message": "legal is required",
                 "severity": "error"}] * 25
    subject, body = became_invalid_mail("Böse\r\nBcc: x@example.org", "https://a.example/loesungen/1",
                                        "https://git.example/a", findings)
    assert "\n" not in subject and "\r" not in subject
    assert body.count("publiccode.yml:0:0: error: legal: legal is required") == 40
    assert "… und 5 weitere." in body and "... and 5 more." in body
    subject, _ = unreachable_mail("x" * 200, "https://a.example/loesungen/1",
                                  "https://git.example/a", "HTTP 404")
    assert len(subject) < 140


def test_cli_mail_test_sends_through_the_configured_server(smtp_server, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {smtp_server.port}\n'
                      'security = "none"\n', encoding="utf-8")
    monkeypatch.delenv("ALLMENDE_DATA_DIR", raising=False)
    result = CliRunner().invoke(main, ["--config", str(config), "mail", "test", "a@example.org"])
    assert result.exit_code == 0, result.output
    assert f"sent via 127.0.0.1:{smtp_server.port}" in result.stdout
    (received,) = smtp_server.wait_for(1)
    assert received.message["Subject"] == "Allmende: Test-E-Mail / test e-mail"

    smtp_server.fail_with = "550 5.7.1 nein"
    result = CliRunner().invoke(main, ["--config", str(config), "mail", "test", "a@example.org"])
    assert result.exit_code == 1 and "550" in result.stderr
    result = CliRunner().invoke(main, ["--config", str(config), "mail", "test", "a\nb@x.org"])
    assert result.exit_code == 2


def mail_settings_without_server(tmp_path):
    from registry.config import MailConfig, Settings

    return Settings(data_dir=tmp_path / "data", database_url="sqlite://", mail=MailConfig())
