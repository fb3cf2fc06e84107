"""The relay between towns: writing, throttling, sending without addresses, answering with
reply-to, reporting. Real services, a real SMTP server on 127.0.0.1, SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from registry import relay
from registry.accounts import AccountError, accounts, organisations
from registry.db import session_scope
from registry.mail import Mailer, MailError
from registry.models import Account, AuditEntry, Need, Organisation, RelayMessage
from registry.needs import service
from tests.smtp import mail_settings

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = "Wir planen dasselbe und würden gern von Ihren Erfahrungen hören."
LINK = re.compile(r"https://allmende\.example/nachricht/([A-Za-z0-9_-]{43})/antworten")


def make_towns(engine) -> dict[str, int]:
    """Musterstadt (two members), Beispielheim (two active members, one suspended), a site
    admin, an account without organisation, an unverified one; needs of Beispielheim with and
    without contact wanted."""
    with session_scope(engine) as session:
        def account(email, name, *, verified=True, admin=False):
            return accounts.create_account(session, email=email, password=PASSWORD, name=name,
                                           verified=verified, admin=admin)

        def town(name, key, domain):
            return organisations.create_organisation(
                session, actor_id=admin.id, name=name, kind="municipality", state="Bayern",
                official_key=key, email_domain=domain)

        admin = account("admin@allmende.example", "Admin", admin=True)
        muster = town("Stadt Musterstadt", "09162000", "musterstadt.de")
        beispiel = town("Gemeinde Beispielheim", "09162001", "beispielheim.de")
        ids = {"admin": admin.id, "muster": muster.id, "beispiel": beispiel.id}
        for key, email, name, org in (
                ("sender", "ina.tessin@musterstadt.de", "Ina Tessin", muster),
                ("colleague", "kasse@musterstadt.de", "Kai Kasse", muster),
                ("recipient", "bo@beispielheim.de", "Bo Büro", beispiel),
                ("second", "eva@beispielheim.de", "Eva Amt", beispiel),
                ("blocked", "gesperrt@beispielheim.de", "Gesperrt", beispiel)):
            person = account(email, name)
            organisations.join(session, person, org)
            ids[key] = person.id
        accounts.suspend(session, session.get(Account, ids["blocked"]), actor_id=admin.id,
                         reason="test")
        ids["outsider"] = account("jo@example.org", "Jo").id
        ids["unverified"] = account("neu@musterstadt.de", "Neu", verified=False).id
        for key, contact_ok in (("need", True), ("closed_need", False)):
            need = service.post_need(
                session, session.get(Account, ids["second"]), beispiel,
                title=f"Digitale Terminvergabe {key}", field_of_action="administration",
                description="Wir suchen ein Werkzeug für die Online-Terminvergabe im Bürgerbüro.",
                contact_ok=contact_ok, now=T0)
            ids[key] = need.id
        session.commit()
        return ids


@pytest.fixture
def towns(engine):
    return make_towns(engine)


@pytest.fixture
def settings(smtp_server, tmp_path):
    return mail_settings(smtp_server, tmp_path)


def write(engine, ids, *, sender="sender", org="muster", to="beispiel", need=None,
          subject="Erfahrungen mit der Terminvergabe", body=BODY, now=T0) -> int:
    with session_scope(engine) as session:
        message = relay.write(
            session, session.get(Account, ids[sender]), session.get(Organisation, ids[org]),
            session.get(Organisation, ids[to]), subject=subject, body=body,
            need=session.get(Need, ids[need]) if need else None, now=now)
        session.commit()
        return message.id


def refused(engine, ids, code, **kwargs) -> None:
    with pytest.raises(AccountError) as raised:
        write(engine, ids, **kwargs)
    assert raised.value.code == code


def messages(engine) -> list[RelayMessage]:
    with Session(engine) as session:
        return list(session.exec(select(RelayMessage).order_by(RelayMessage.id)))


def token_of(mail) -> str:
    return LINK.search(mail.message.get_content()).group(1)


def test_a_message_reaches_the_members_without_the_senders_address(engine, towns, settings,
                                                                   smtp_server):
    message_id = write(engine, towns, need="need")
    assert relay.deliver(engine, settings, Mailer.from_settings(settings), message_id) == 2
    mails = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in mails) == ["bo@beispielheim.de", "eva@beispielheim.de"]
    for mail in mails:
        raw = mail.message.as_string()
        assert "ina.tessin" not in raw and "musterstadt.de" not in raw  # no address at all
        assert mail.message["Reply-To"] is None
        assert mail.message["From"] == "Allmende Test <noreply@allmende.example>"
        assert "Stadt Musterstadt" in mail.message["Subject"]
        text = mail.message.get_content()
        assert "Ina Tessin (Stadt Musterstadt)" in text and BODY in text
        assert "https://allmende.example/bedarfe/" in text
        assert "/melden" in text
    token = token_of(mails[0])
    assert token == token_of(mails[1])  # one answer per organisation
    stored = messages(engine)[0]
    assert stored.answer_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.answer_token_hash or "")
    assert stored.sent_at is not None and stored.status == "sent"
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).where(
            AuditEntry.action.in_(("relay.write", "relay.deliver")))).all()
        assert {e.action for e in entries} == {"relay.write", "relay.deliver"}
        for entry in entries:
            assert BODY not in str(entry.detail) and "Terminvergabe" not in str(entry.detail)
    assert relay.send_pending(engine, settings, Mailer.from_settings(settings)) == 0


def test_the_answer_goes_to_the_sender_with_reply_to_and_tells_the_answerer(
        engine, towns, settings, smtp_server):
    mailer = Mailer.from_settings(settings)
    relay.deliver(engine, settings, mailer, write(engine, towns))
    token = token_of(smtp_server.wait_for(2)[0])
    with session_scope(engine) as session:
        message = relay.by_token(session, token, lock=True)
        outsider = session.get(Account, towns["outsider"])
        with pytest.raises(AccountError, match="only members"):
            relay.answer(session, mailer, outsider, message, "Hallo")
        told = relay.answer(session, mailer, session.get(Account, towns["recipient"]), message,
                            "Gern, rufen Sie an.", now=T0 + timedelta(hours=2))
        session.commit()
    assert told.sender_email == "ina.tessin@musterstadt.de" and told.contact_mail_sent
    to_sender, to_answerer = smtp_server.wait_for(4)[2:]
    assert to_sender.rcpt_tos == ["ina.tessin@musterstadt.de"]
    assert to_sender.message["Reply-To"].addresses[0].addr_spec == "bo@beispielheim.de"
    assert "Gern, rufen Sie an." in to_sender.message.get_content()
    assert to_answerer.rcpt_tos == ["bo@beispielheim.de"]
    assert to_answerer.message["Reply-To"].addresses[0].addr_spec == "ina.tessin@musterstadt.de"
    assert "ina.tessin@musterstadt.de" in to_answerer.message.get_content()
    stored = messages(engine)[0]
    assert stored.status == "answered" and stored.answered_at == T0 + timedelta(hours=2)
    with session_scope(engine) as session:  # once: then they talk directly
        with pytest.raises(AccountError) as raised:
            relay.answer(session, mailer, session.get(Account, towns["second"]),
                         relay.by_token(session, token), "Auch ich")
        assert raised.value.code == "already_answered"


def test_a_failed_answer_changes_nothing(engine, towns, settings, smtp_server):
    mailer = Mailer.from_settings(settings)
    relay.deliver(engine, settings, mailer, write(engine, towns))
    token = token_of(smtp_server.wait_for(2)[0])
    smtp_server.fail_with = "451 4.3.0 try again later"
    with session_scope(engine) as session, pytest.raises(MailError, match="451"):
        relay.answer(session, mailer, session.get(Account, towns["recipient"]),
                     relay.by_token(session, token), "Gern.")
    assert messages(engine)[0].status == "sent"


@pytest.mark.parametrize("guess", ["", "abc", "A" * 43, "A" * 42 + "=", "../" * 15])
def test_guessed_tokens_find_nothing(engine, towns, settings, guess):
    relay.deliver(engine, settings, Mailer.from_settings(settings), write(engine, towns))
    with Session(engine) as session:
        assert relay.by_token(session, guess) is None


def test_throttling_counts_the_table_and_stores_nothing_beyond(engine, towns):
    for minute in range(relay.PER_HOUR):
        write(engine, towns, now=T0 + timedelta(minutes=minute))
    with pytest.raises(relay.Throttled) as raised:
        write(engine, towns, now=T0 + timedelta(minutes=30))
    assert raised.value.code == "throttled_hour"
    assert len(messages(engine)) == relay.PER_HOUR
    hour = 1
    while len(messages(engine)) < relay.PER_DAY:  # an hour later the hourly window is free
        for _ in range(min(relay.PER_HOUR, relay.PER_DAY - len(messages(engine)))):
            write(engine, towns, now=T0 + timedelta(hours=hour, minutes=len(messages(engine))))
        hour += 1
    with pytest.raises(relay.Throttled) as raised:
        write(engine, towns, now=T0 + timedelta(hours=hour))
    assert raised.value.code == "throttled_day"
    with Session(engine) as session:
        assert len(session.exec(select(AuditEntry).where(
            AuditEntry.action == "relay.write")).all()) == relay.PER_DAY
    write(engine, towns, sender="colleague")  # the limit is per sender
    write(engine, towns, now=T0 + timedelta(days=1, minutes=1))  # and per window


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"sender": "outsider", "org": "muster"}, "not_member"),
    ({"sender": "unverified"}, "email_unverified"),
    ({"to": "muster"}, "same_organisation"),
    ({"need": "closed_need"}, "contact_not_wanted"),
    ({"need": "need", "to": "admin_org"}, "need_unavailable"),
    ({"subject": "Hallo\r\nBcc: alle@example.org"}, "subject_line"),
    ({"subject": "Hallo\nBcc: alle@example.org"}, "subject_line"),
    ({"subject": "ab"}, "subject_missing"),
    ({"subject": "x" * 151}, "subject_too_long"),
    ({"body": "kurz"}, "body_too_short"),
    ({"body": "x" * 5001}, "body_too_long"),
    ({"body": BODY + "\x00"}, "control_character"),
    ({"body": BODY + "\x1b[31m"}, "control_character"),
])
def test_refusals_store_nothing(engine, towns, kwargs, code):
    if kwargs.get("to") == "admin_org":  # a need written about to the wrong organisation
        kwargs = {**kwargs, "to": "beispiel", "org": "muster"}
        with session_scope(engine) as session:
            session.get(Need, towns["need"]).organisation_id = towns["muster"]
            session.commit()
    refused(engine, towns, code, **kwargs)
    assert messages(engine) == []


def test_a_suspended_sender_is_refused_and_its_pending_messages_are_held(engine, towns,
                                                                         settings, smtp_server):
    message_id = write(engine, towns)
    with session_scope(engine) as session:
        accounts.suspend(session, session.get(Account, towns["sender"]),
                         actor_id=towns["admin"], reason="spam")
        session.commit()
    refused(engine, towns, "suspended")
    assert relay.send_pending(engine, settings, Mailer.from_settings(settings)) == 0
    assert relay.deliver(engine, settings, Mailer.from_settings(settings), message_id) == 0
    assert smtp_server.messages == [] and messages(engine)[0].sent_at is None


def test_a_hidden_need_cannot_be_written_about(engine, towns):
    with session_scope(engine) as session:
        service.set_hidden(session, session.get(Account, towns["admin"]),
                           session.get(Need, towns["need"]), hidden=True, reason="Spam")
        session.commit()
    refused(engine, towns, "need_unavailable", need="need")


def test_a_failed_delivery_stays_pending_and_the_next_run_sends_a_fresh_link(
        engine, towns, settings, smtp_server):
    message_id = write(engine, towns)
    smtp_server.fail_with = "451 4.3.0 try again later"
    assert relay.deliver(engine, settings, Mailer.from_settings(settings), message_id) == 0
    stored = messages(engine)[0]
    assert stored.sent_at is None and stored.answer_token_hash is None
    smtp_server.fail_with = None
    assert relay.send_pending(engine, settings, Mailer.from_settings(settings)) == 2
    token = token_of(smtp_server.wait_for(2)[0])
    with Session(engine) as session:
        assert relay.by_token(session, token).id == message_id


def test_reports_stop_the_sender(engine, towns, settings, smtp_server):
    mailer = Mailer.from_settings(settings)
    relay.deliver(engine, settings, mailer, write(engine, towns))
    token = token_of(smtp_server.wait_for(2)[0])
    with session_scope(engine) as session:
        message = relay.by_token(session, token)
        relay.report(session, message, "Werbung\r\nfür etwas", now=T0 + timedelta(hours=1))
        session.commit()
        relay.report(session, message, "again")  # idempotent
        session.commit()
    stored = messages(engine)[0]
    assert stored.status == "reported" and stored.report_reason == "Werbung für etwas"
    with session_scope(engine) as session:
        with pytest.raises(AccountError) as raised:
            relay.answer(session, mailer, session.get(Account, towns["recipient"]),
                         relay.by_token(session, token), "Hallo")
        assert raised.value.code == "message_reported"
        rows = relay.reported_messages(session)
        assert [(m.id, s.email, so.name, r.name) for m, s, so, r in rows] == [
            (stored.id, "ina.tessin@musterstadt.de", "Stadt Musterstadt",
             "Gemeinde Beispielheim")]
    later = T0 + timedelta(days=2)
    refused(engine, towns, "reported_by_recipient", now=later)
    with session_scope(engine) as session:  # a third town, reported there too
        third = organisations.create_organisation(
            session, actor_id=towns["admin"], name="Markt Drittort", kind="municipality",
            state="Bayern", official_key="09162002", email_domain="drittort.de")
        person = accounts.create_account(session, email="amt@drittort.de", password=PASSWORD,
                                         name="Amt", verified=True)
        organisations.join(session, person, third)
        session.commit()
        towns = {**towns, "third": third.id}
    second = write(engine, towns, to="third", now=later)
    with session_scope(engine) as session:
        relay.report(session, session.get(RelayMessage, second), "", now=later)
        session.commit()
    refused(engine, towns, "sender_reported", to="third", now=later + timedelta(days=1))
    # reports fall away after the window
    write(engine, towns, to="third", now=later + relay.REPORT_WINDOW + timedelta(days=1))


def test_an_organisation_without_members_cannot_be_written_to(engine, towns):
    with session_scope(engine) as session:
        empty = organisations.create_organisation(
            session, actor_id=towns["admin"], name="Leerdorf", kind="municipality",
            state="Bayern", official_key="09162003")
        session.commit()
    refused(engine, {**towns, "empty": empty.id}, "no_recipients", to="empty")
