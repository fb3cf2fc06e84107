"""The relay's pages: writing about a need or in general, answering with the link from the real
mail, reporting, the admins' list, the 429 page, and every refusal (nothing stored, nothing
sent). Mails go to the real SMTP server of ``app_settings``."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from registry import relay
from registry.models import Account, RelayMessage
from tests.registry.test_relay import BODY, make_towns

from ..people import log_in
from .conftest import html, post

LINK = re.compile(r"http://localhost/nachricht/([A-Za-z0-9_-]{43})/antworten")
SUBJECT = "Erfahrungen mit der Terminvergabe"
SENDER_ADDRESS = "ina.tessin@musterstadt.de"


@pytest.fixture
def towns(engine):
    return make_towns(engine)


def account(engine, ids, key) -> Account:
    with Session(engine) as session:
        return session.get(Account, ids[key])


def as_(app, engine, ids, key):
    return log_in(app.test_client(), account(engine, ids, key))


def stored(engine) -> list[RelayMessage]:
    with Session(engine) as session:
        return list(session.exec(select(RelayMessage).order_by(RelayMessage.id)))


def write(client, path, subject=SUBJECT, body=BODY):
    return post(client, path, {"subject": subject, "body": body}, form_page=path)


def sent_token(app, engine, towns, smtp_server) -> str:
    sender = as_(app, engine, towns, "sender")
    assert write(sender, f"/bedarfe/{towns['need']}/kontakt").status_code == 302
    return LINK.search(smtp_server.wait_for(2)[0].message.get_content()).group(1)


def test_writing_about_a_need_sends_without_the_address(app, engine, towns, smtp_server):
    sender = as_(app, engine, towns, "sender")
    path = f"/bedarfe/{towns['need']}/kontakt"
    form = html(sender.get(path))
    assert "Nachricht an Gemeinde Beispielheim" in form and 'name="subject"' in form
    answer = write(sender, path)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/bedarfe/{towns['need']}")
    assert "Ihre Nachricht an Gemeinde Beispielheim ist verschickt." in html(
        sender.get(answer.headers["Location"]))
    mails = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in mails) == ["bo@beispielheim.de", "eva@beispielheim.de"]
    for mail in mails:
        assert SENDER_ADDRESS not in mail.message.as_string()
        assert mail.message["Reply-To"] is None
        assert "Ina Tessin (Stadt Musterstadt)" in mail.message.get_content()
    assert [m.status for m in stored(engine)] == ["sent"]


def test_general_contact_through_the_organisation_page(app, engine, towns, smtp_server):
    sender = as_(app, engine, towns, "sender")
    assert write(sender, "/organisationen/gemeinde-beispielheim/kontakt").status_code == 302
    assert len(smtp_server.wait_for(2)) == 2
    assert stored(engine)[0].need_id is None
    assert sender.get("/organisationen/gibt-es-nicht/kontakt").status_code == 404


def test_answering_discloses_addresses_only_then(app, engine, towns, smtp_server):
    token = sent_token(app, engine, towns, smtp_server)
    path = f"/nachricht/{token}/antworten"
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]
    assert as_(app, engine, towns, "outsider").get(path).status_code == 403
    assert as_(app, engine, towns, "colleague").get(path).status_code == 403  # sender's side
    recipient = as_(app, engine, towns, "recipient")
    page = html(recipient.get(path))
    assert SUBJECT in page and "Ina Tessin (Stadt Musterstadt)" in page
    assert SENDER_ADDRESS not in page
    done = post(recipient, path, {"body": "Gern, rufen Sie an."}, form_page=path)
    assert done.status_code == 200 and SENDER_ADDRESS in html(done)
    to_sender, to_answerer = smtp_server.wait_for(4)[2:]
    assert to_sender.rcpt_tos == [SENDER_ADDRESS]
    assert to_sender.message["Reply-To"].addresses[0].addr_spec == "bo@beispielheim.de"
    assert to_answerer.message["Reply-To"].addresses[0].addr_spec == SENDER_ADDRESS
    assert stored(engine)[0].status == "answered"
    again = html(recipient.get(path))
    assert "wurde am" in again and 'name="body"' not in again


@pytest.mark.parametrize("path", ["/nachricht/{guess}/antworten", "/nachricht/{guess}/melden",
                                  "/nachricht/kurz/antworten", "/nachricht/%00/melden"])
def test_guessed_tokens_are_404(app, engine, towns, smtp_server, path):
    sent_token(app, engine, towns, smtp_server)
    guess = "A" * 43
    for client in (app.test_client(), as_(app, engine, towns, "recipient")):
        assert client.get(path.format(guess=guess)).status_code == 404


def test_the_sending_limit_answers_429_and_stores_nothing(app, engine, towns, smtp_server):
    sender = as_(app, engine, towns, "sender")
    path = "/organisationen/gemeinde-beispielheim/kontakt"
    for _ in range(relay.PER_HOUR):
        assert write(sender, path).status_code == 302
    refused = write(sender, path)
    assert refused.status_code == 429
    assert "Zu viele Nachrichten" in html(refused)
    assert f"höchstens {relay.PER_HOUR} Nachrichten in einer Stunde" in html(refused)
    assert len(stored(engine)) == relay.PER_HOUR
    assert len(smtp_server.wait_for(2 * relay.PER_HOUR)) == 2 * relay.PER_HOUR


def test_who_may_not_write(app, engine, towns, smtp_server):
    path = f"/bedarfe/{towns['need']}/kontakt"
    assert app.test_client().get(path).status_code == 302  # to the login
    assert as_(app, engine, towns, "unverified").get(path).status_code == 403
    assert as_(app, engine, towns, "outsider").get(path).status_code == 403  # no organisation
    assert as_(app, engine, towns, "second").get(path).status_code == 403  # its own town
    closed = f"/bedarfe/{towns['closed_need']}/kontakt"
    sender = as_(app, engine, towns, "sender")
    assert sender.get(closed).status_code == 403
    assert sender.get("/bedarfe/999999/kontakt").status_code == 404
    assert stored(engine) == [] and smtp_server.messages == []


def test_a_closed_need_refuses_a_forged_post(app, engine, towns, smtp_server):
    sender = as_(app, engine, towns, "sender")
    token_page = "/organisationen/gemeinde-beispielheim/kontakt"
    answer = post(sender, f"/bedarfe/{towns['closed_need']}/kontakt",
                  {"subject": SUBJECT, "body": BODY}, form_page=token_page)
    assert answer.status_code == 403
    assert stored(engine) == [] and smtp_server.messages == []


@pytest.mark.parametrize(("subject", "body", "says"), [
    ("Hallo\r\nBcc: alle@example.org", BODY, "Der Betreff muss eine einzige Zeile sein."),
    (SUBJECT, "zu kurz", "Die Nachricht muss 20 bis 5000 Zeichen haben."),
    (SUBJECT, BODY + "\x00", "Steuerzeichen"),
    ("", BODY, "Bitte füllen Sie dieses Feld aus."),
])
def test_bad_input_is_shown_at_the_field_and_nothing_is_sent(app, engine, towns, smtp_server,
                                                             subject, body, says):
    sender = as_(app, engine, towns, "sender")
    answer = write(sender, "/organisationen/gemeinde-beispielheim/kontakt", subject, body)
    assert answer.status_code == 422
    page = html(answer)
    assert "Bitte prüfen Sie Ihre Angaben" in page and says in page
    assert stored(engine) == [] and smtp_server.messages == []


def test_a_reported_message_is_seen_by_admins_only(app, engine, towns, smtp_server):
    token = sent_token(app, engine, towns, smtp_server)
    path = f"/nachricht/{token}/melden"
    reporter = app.test_client()  # the token is enough
    assert SUBJECT in html(reporter.get(path))
    done = post(reporter, path, {"reason": "Werbung"}, form_page=path)
    assert done.status_code == 200 and "Die Nachricht ist gemeldet." in html(done)
    assert stored(engine)[0].status == "reported"
    admin_page = "/verwaltung/nachrichten"
    page = html(as_(app, engine, towns, "admin").get(admin_page))
    assert SUBJECT in page and "Werbung" in page and SENDER_ADDRESS in page
    assert BODY in page
    assert as_(app, engine, towns, "recipient").get(admin_page).status_code == 403
    assert app.test_client().get(admin_page).status_code == 302
    answer_page = html(as_(app, engine, towns, "recipient").get(f"/nachricht/{token}/antworten"))
    assert "gemeldet" in answer_page and 'name="body"' not in answer_page
    again = write(as_(app, engine, towns, "sender"),
                  "/organisationen/gemeinde-beispielheim/kontakt")
    assert again.status_code == 422 and "gemeldet" in html(again)
