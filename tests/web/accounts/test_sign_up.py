"""Sign-up, the verification mail through the real SMTP server, and its link."""

from __future__ import annotations

from registry.accounts import accounts
from registry.db import session_scope

from ..people import PASSWORD, csrf_token, log_in
from .conftest import mail_link, text

NEW = {"name": "Erika Mustermann", "email": "Erika@Musterstadt.de", "password": PASSWORD,
       "password_again": PASSWORD}


def _sign_up(client, **changes):
    data = {**NEW, **changes, "csrf_token": csrf_token(client, "/registrieren")}
    return client.post("/registrieren", data=data)


def test_sign_up_mails_a_link_that_verifies_joins_and_logs_in(app, engine, people,
                                                              smtp_server):
    client = app.test_client()
    response = _sign_up(client)
    assert response.status_code == 200
    assert "erika@musterstadt.de" in text(response)
    assert client.get("/konto").status_code == 302  # signing up does not log in

    received = smtp_server.wait_for(1)[0]
    assert received.rcpt_tos == ["erika@musterstadt.de"]
    assert "bestätigen" in received.message["Subject"]
    link = mail_link(received, "/konto/bestaetigen/")

    other_browser = app.test_client()
    form = other_browser.get(link)  # not logged in here: the password proves who clicks
    assert form.status_code == 200 and "geben Sie bitte das Passwort ein" in text(form)
    wrong = confirm(other_browser, link, "not the password at all")
    assert wrong.status_code == 422 and "Das Passwort stimmt nicht" in text(wrong)
    with session_scope(engine) as session:
        assert accounts.by_email(session, "erika@musterstadt.de").email_verified_at is None
    page = confirm(other_browser, link, PASSWORD)
    assert page.status_code == 200
    assert "ist bestätigt" in text(page) and "Stadt Musterstadt" in text(page)
    account_page = other_browser.get("/konto")
    assert account_page.status_code == 200 and "Erika Mustermann" in text(account_page)
    assert "Stadt Musterstadt" in text(account_page)
    with session_scope(engine) as session:
        account = accounts.by_email(session, "erika@musterstadt.de")
        assert account.email_verified_at is not None

    # the link logs in once: afterwards it only says the address is confirmed
    third = app.test_client()
    again = third.get(link)
    assert again.status_code == 200 and "war schon bestätigt" in text(again)
    assert third.get("/konto").status_code == 302


def confirm(client, link: str, password: str):
    return client.post(link, data={"password": password, "csrf_token": csrf_token(client, link)})


def test_logged_in_as_the_account_the_link_confirms_at_once(app, engine, people, smtp_server):
    client = app.test_client()
    _sign_up(client)
    link = mail_link(smtp_server.wait_for(1)[0], "/konto/bestaetigen/")
    with session_scope(engine) as session:
        account = accounts.by_email(session, "erika@musterstadt.de")
    log_in(client, account)
    page = client.get(link)
    assert page.status_code == 200 and "ist bestätigt" in text(page)
    log_in(client, people.member)  # logged in as somebody else: the password is asked for
    _sign_up(app.test_client(), email="zweite@musterstadt.de")
    second = mail_link(smtp_server.wait_for(2)[1], "/konto/bestaetigen/")
    assert "geben Sie bitte das Passwort ein" in text(client.get(second))


def test_an_account_made_with_someone_elses_address_is_not_theirs_to_keep(app, engine, people,
                                                                         smtp_server):
    """Pre-hijacking: the attacker signs up with the victim's address and stays logged in.
    The victim's click does not confirm it for the attacker; the victim's password reset
    confirms the address and ends the attacker's session."""
    attacker = app.test_client()
    _sign_up(attacker, email="kaemmerei@musterstadt.de")
    with session_scope(engine) as session:
        account = accounts.by_email(session, "kaemmerei@musterstadt.de")
    log_in(attacker, account)
    assert attacker.get("/konto").status_code == 200
    link = mail_link(smtp_server.wait_for(1)[0], "/konto/bestaetigen/")

    victim = app.test_client()
    assert "geben Sie bitte das Passwort ein" in text(victim.get(link))  # nothing confirmed
    with session_scope(engine) as session:
        assert accounts.by_email(session, "kaemmerei@musterstadt.de").email_verified_at is None
    victim.post("/passwort-vergessen", data={"email": "kaemmerei@musterstadt.de",
                                              "csrf_token": csrf_token(victim,
                                                                       "/passwort-vergessen")})
    reset = mail_link(smtp_server.wait_for(2)[1], "/passwort-neu/")
    new = "victim's own new passphrase"
    assert victim.post(reset, data={"password": new, "password_again": new,
                                    "csrf_token": csrf_token(victim, reset)}).status_code == 302
    with session_scope(engine) as session:
        assert accounts.by_email(session, "kaemmerei@musterstadt.de").email_verified_at
    assert attacker.get("/konto").status_code == 302  # the attacker's session is over


def test_a_broken_link_offers_a_new_one(app, client, people, smtp_server):
    page = client.get("/konto/bestaetigen/not-a-token")
    assert page.status_code == 400
    assert "Der Bestätigungslink gilt nicht" in text(page)
    assert 'action="/konto/bestaetigung-senden"' in text(page)

    token = csrf_token(client, "/konto/bestaetigung-senden")
    answer = client.post("/konto/bestaetigung-senden",
                         data={"email": people.unverified.email, "csrf_token": token})
    assert answer.status_code == 200
    received = smtp_server.wait_for(1)[0]
    assert received.rcpt_tos == [people.unverified.email]
    assert client.get(mail_link(received, "/konto/bestaetigen/")).status_code == 200

    # an address without an unconfirmed account gets the same answer and no mail
    client = app.test_client()  # the link logged the first one in
    token = csrf_token(client, "/konto/bestaetigung-senden")
    same = client.post("/konto/bestaetigung-senden",
                       data={"email": "niemand@example.org", "csrf_token": token})
    assert same.status_code == 200
    assert text(same).replace("niemand@example.org", "X") == text(answer).replace(
        people.unverified.email, "X")
    assert len(smtp_server.messages) == 1


def test_sign_up_refuses_what_is_wrong_at_the_field(client, people, smtp_server):
    mismatch = _sign_up(client, password_again="something else entirely")
    assert mismatch.status_code == 422
    html = text(mismatch)
    assert "stimmen nicht überein" in html
    assert 'aria-describedby="password_again-error"' in html and 'aria-invalid="true"' in html

    short = _sign_up(client, password="kurz", password_again="kurz")
    assert short.status_code == 422 and "12 bis 256 Zeichen" in text(short)

    taken = _sign_up(client, email=people.outsider.email)
    assert taken.status_code == 422 and "gibt es schon ein Konto" in text(taken)
    assert smtp_server.messages == []


def test_a_failed_mail_is_said_and_the_account_still_exists(client, engine, smtp_server,
                                                           caplog):
    smtp_server.fail_with = "451 4.3.0 try again later"
    response = _sign_up(client)
    assert response.status_code == 200
    assert "Die E-Mail konnte nicht gesendet werden, bitte später erneut versuchen" in text(
        response)
    assert "verification mail for account" in caplog.text
    with session_scope(engine) as session:
        assert accounts.by_email(session, NEW["email"]) is not None


def test_sign_up_page_is_accessible_markup(client):
    html = text(client.get("/registrieren"))
    assert 'autocomplete="email"' in html and 'autocomplete="new-password"' in html
    assert '<label for="password">' in html and 'name="csrf_token"' in html
    assert "style=" not in html and "<script" not in html
