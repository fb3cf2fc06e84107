"""Personal API tokens: made on the account page, shown once, used against the API, revoked."""

from __future__ import annotations

import re

from registry.accounts import tokens
from registry.db import session_scope
from registry.models import Account

from ..people import csrf_token, log_in
from .conftest import text

PLAIN = re.compile(r"alm_[A-Za-z0-9_-]{20,}")


def test_a_token_is_shown_once_works_and_can_be_revoked(app, engine, people):
    client = log_in(app.test_client(), people.member)
    created = client.post("/konto/api-tokens", data={"name": "Fachverfahren",
                                                      "csrf_token": csrf_token(client, "/konto")})
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    plain = PLAIN.search(text(created)).group(0)
    assert "nur dieses eine Mal" in text(created)

    account_page = text(client.get("/konto"))
    assert "Fachverfahren" in account_page and plain not in account_page
    assert plain[:10] in account_page  # the prefix tells tokens apart
    ids = re.findall(r' id="([^"]+)"', account_page)
    assert len(ids) == len(set(ids))  # several forms, one page: no id twice

    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200
    body = me.get_json()
    assert body["email"] == people.member.email and body["is_admin"] is False
    assert [o["name"] for o in body["organisations"]] == ["Stadt Musterstadt"]
    assert me.headers["Cache-Control"] == "no-store"

    with session_scope(engine) as session:
        [token] = tokens.tokens_of(session, session.get(Account, people.member.id))
        assert token.last_used_at is not None
    revoked = client.post(f"/konto/api-tokens/{token.id}/widerrufen",
                          data={"csrf_token": csrf_token(client, "/konto")})
    assert revoked.status_code == 302
    assert "widerrufen am" in text(client.get("/konto"))

    refused = api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert refused.status_code == 401
    assert refused.content_type == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_no_access(client):
    for headers in ({}, {"Authorization": "Bearer alm_made-up"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401 and "WWW-Authenticate" in response.headers


def test_another_accounts_token_cannot_be_revoked(app, engine, people):
    with session_scope(engine) as session:
        token, plain = tokens.create_token(session, session.get(Account, people.admin.id), "x")
        session.commit()
    client = log_in(app.test_client(), people.outsider)
    client.post(f"/konto/api-tokens/{token.id}/widerrufen",
                data={"csrf_token": csrf_token(client, "/konto")})
    assert app.test_client().get("/api/v1/me", headers={
        "Authorization": f"Bearer {plain}"}).get_json()["is_admin"] is True


def test_an_unverified_account_makes_no_tokens(app, engine, people):
    client = log_in(app.test_client(), people.unverified)
    page = text(client.get("/konto"))
    assert "noch nicht bestätigt" in page and 'action="/konto/api-tokens"' not in page
    refused = client.post("/konto/api-tokens", data={"name": "x",
                                                      "csrf_token": csrf_token(client, "/konto")})
    assert refused.status_code == 403
    assert "zuerst Ihre E-Mail-Adresse" in text(refused)
    with session_scope(engine) as session:
        assert tokens.tokens_of(session, session.get(Account, people.unverified.id)) == []
