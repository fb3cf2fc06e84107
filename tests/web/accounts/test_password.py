"""Password reset by mail, changing the password, and ending sessions."""

from __future__ import annotations

from ..people import PASSWORD, csrf_token, log_in
from .conftest import mail_link, text

NEW_PASSWORD = "a completely new passphrase"


def _login_status(app, email, password) -> int:
    client = app.test_client()
    token = csrf_token(client, "/anmelden")
    return client.post("/anmelden", data={"email": email, "password": password,
                                          "csrf_token": token}).status_code


def test_reset_by_mail_sets_a_new_password_once(app, people, smtp_server):
    client = app.test_client()
    token = csrf_token(client, "/passwort-vergessen")
    asked = client.post("/passwort-vergessen",
                        data={"email": people.outsider.email, "csrf_token": token})
    assert asked.status_code == 200
    received = smtp_server.wait_for(1)[0]
    assert received.rcpt_tos == [people.outsider.email]
    link = mail_link(received, "/passwort-neu/")

    other_session = log_in(app.test_client(), people.outsider)
    form = client.get(link)
    assert form.status_code == 200 and 'autocomplete="new-password"' in text(form)
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
            "csrf_token": csrf_token(client, link)}
    done = client.post(link, data=data)
    assert done.status_code == 302 and done.location == "/konto"
    assert "neues Passwort gilt" in text(client.get("/konto"))

    assert _login_status(app, people.outsider.email, NEW_PASSWORD) == 302
    assert _login_status(app, people.outsider.email, PASSWORD) == 422
    assert other_session.get("/konto").status_code == 302  # other sessions ended
    used = client.get(link)
    assert used.status_code == 400 and "gilt nicht mehr" in text(used)
    assert client.post(link, data={**data, "csrf_token": csrf_token(
        client, "/passwort-vergessen")}).status_code == 400


def test_unknown_address_gets_the_same_page_and_no_mail(client, people, smtp_server):
    token = csrf_token(client, "/passwort-vergessen")
    known = client.post("/passwort-vergessen",
                        data={"email": people.member.email, "csrf_token": token})
    smtp_server.wait_for(1)
    unknown = client.post("/passwort-vergessen",
                          data={"email": "niemand@example.org", "csrf_token": token})
    assert known.status_code == unknown.status_code == 200
    assert (text(known).replace(people.member.email, "X")
            == text(unknown).replace("niemand@example.org", "X"))
    assert len(smtp_server.messages) == 1


def test_changing_the_password_needs_the_current_one(app, people):
    client = log_in(app.test_client(), people.outsider)
    other_session = log_in(app.test_client(), people.outsider)
    token = csrf_token(client, "/konto")
    wrong = client.post("/konto/passwort", data={
        "current_password": "not my password", "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD, "csrf_token": token})
    assert wrong.status_code == 422 and "aktuelle Passwort ist nicht richtig" in text(wrong)
    changed = client.post("/konto/passwort", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD, "csrf_token": token})
    assert changed.status_code == 302
    assert client.get("/konto").status_code == 200  # this session carries on
    assert other_session.get("/konto").status_code == 302
    assert _login_status(app, people.outsider.email, NEW_PASSWORD) == 302


def test_log_out_everywhere_ends_every_session(app, people):
    here = log_in(app.test_client(), people.member)
    elsewhere = log_in(app.test_client(), people.member)
    assert elsewhere.get("/konto").status_code == 200
    response = here.post("/konto/ueberall-abmelden",
                         data={"csrf_token": csrf_token(here, "/konto")})
    assert response.status_code == 302 and response.location == "/anmelden"
    assert "auf allen Geräten abgemeldet" in text(here.get("/anmelden"))
    assert elsewhere.get("/konto").status_code == 302
    assert here.get("/konto").status_code == 302
