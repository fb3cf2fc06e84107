"""Login and logout: one answer for wrong passwords and unknown addresses, suspension, safe
redirects, logout only by POST with the CSRF token, sessions that end."""

from __future__ import annotations

import re

from registry.accounts import accounts
from registry.db import session_scope
from registry.models import Account

from ..people import PASSWORD, csrf_token, log_in
from .conftest import text

GENERIC = "E-Mail-Adresse oder Passwort falsch."


def _without(html: str, email: str) -> str:
    """The page without what differs anyway: the address typed, the CSRF token's timestamp."""
    return re.sub(r'value="[^"]*"', "", html.replace(email, "X"))


def _login(client, email, password, next_=None):
    path = "/anmelden" + (f"?next={next_}" if next_ else "")
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, path)}
    if next_ is not None:
        data["next"] = next_
    return client.post("/anmelden", data=data)


def test_login_logs_in_and_goes_to_the_account_page(client, people):
    response = _login(client, people.member.email.upper(), PASSWORD)
    assert response.status_code == 302 and response.location == "/konto"
    page = client.get("/konto")
    assert page.status_code == 200 and people.member.email in text(page)
    assert "Stadt Musterstadt" in text(page)
    header = text(client.get("/"))
    assert 'action="/abmelden"' in header and people.member.name in header


def test_wrong_password_and_unknown_address_get_the_same_answer(client, people):
    wrong = _login(client, people.member.email, "not the password at all")
    unknown = _login(client, "nobody@example.org", PASSWORD)
    assert wrong.status_code == unknown.status_code == 422
    assert GENERIC in text(wrong) and GENERIC in text(unknown)
    assert _without(text(wrong), people.member.email) == _without(text(unknown),
                                                                 "nobody@example.org")
    assert client.get("/konto").status_code == 302


def test_a_suspended_account_is_refused_and_its_open_session_ends(app, engine, people):
    open_session = log_in(app.test_client(), people.member)
    assert open_session.get("/konto").status_code == 200
    with session_scope(engine) as session:
        accounts.suspend(session, session.get(Account, people.member.id),
                         actor_id=people.admin.id, reason="Spam")
        session.commit()
    ended = open_session.get("/konto")
    assert ended.status_code == 302 and ended.location.startswith("/anmelden")

    client = app.test_client()
    refused = _login(client, people.member.email, PASSWORD)
    assert refused.status_code == 403 and "gesperrt" in text(refused)
    assert client.get("/konto").status_code == 302
    # a wrong password does not reveal the suspension
    assert "gesperrt" not in text(_login(client, people.member.email, "wrong password x"))


def test_next_brings_back_but_only_on_this_site(client, people):
    assert client.get("/konto").location == "/anmelden?next=/konto"
    back = _login(client, people.outsider.email, PASSWORD, next_="/suche?q=Termin")
    assert back.location == "/suche?q=Termin"
    for evil in ("//evil.example", "https://evil.example", "/\\evil.example"):
        log_in(client, None)
        response = _login(client, people.outsider.email, PASSWORD, next_=evil)
        assert response.status_code == 302 and response.location == "/konto", evil
        # the login page does not even put it into its form
        assert "evil.example" not in text(client.get(f"/anmelden?next={evil}"))


def test_logout_needs_post_and_the_csrf_token(client, people):
    log_in(client, people.outsider)
    assert client.get("/abmelden").status_code == 405
    refused = client.post("/abmelden")
    assert refused.status_code == 400
    assert client.get("/konto").status_code == 200  # still logged in
    token = csrf_token(client, "/konto")
    assert client.post("/abmelden", data={"csrf_token": token}).location == "/"
    assert client.get("/konto").status_code == 302
    assert 'href="/anmelden"' in text(client.get("/"))
