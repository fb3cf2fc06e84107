"""CSRF on every form, cookie flags, throttling."""

from __future__ import annotations

import pytest

from web.sessions import limiter

from ..people import PASSWORD, csrf_token, log_in
from .conftest import text

ANONYMOUS_FORMS = ("/registrieren", "/anmelden", "/passwort-vergessen",
                   "/passwort-neu/some-token", "/konto/bestaetigung-senden")
ACCOUNT_FORMS = ("/abmelden", "/konto/passwort", "/konto/ueberall-abmelden",
                 "/konto/api-tokens", "/konto/api-tokens/1/widerrufen",
                 "/konto/bestaetigung-senden")


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_form_refuses_a_post_without_csrf_token(client, people, logged_in):
    log_in(client, people.unverified if logged_in else None)
    for path in ACCOUNT_FORMS if logged_in else ANONYMOUS_FORMS:
        response = client.post(path, data={"email": people.outsider.email,
                                           "password": PASSWORD, "name": "x"})
        assert response.status_code == 400, path
        assert response.content_type.startswith("text/html"), path
        assert "Das Formular ist abgelaufen" in text(response), path
        wrong = client.post(path, data={"csrf_token": "forged"})
        assert wrong.status_code == 400, path
    if logged_in:
        assert client.get("/konto").status_code == 200  # nothing happened
    english = client.post("/anmelden?lang=en", data={})
    assert english.status_code == 400


def test_session_cookie_is_httponly_and_samesite_lax(client):
    cookie = client.get("/anmelden").headers["Set-Cookie"]
    assert cookie.startswith("allmende_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # http://localhost: local development


def test_session_cookie_is_secure_on_an_https_site(make_app, people):
    app = make_app(base_url="https://allmende.example")
    client = app.test_client()
    response = client.get("/anmelden", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = csrf_token_https(client)
    login = client.post("/anmelden", base_url="https://localhost",
                        headers={"Referer": "https://localhost/anmelden"},
                        data={"email": people.outsider.email, "password": PASSWORD,
                              "csrf_token": token})
    assert login.status_code == 302
    assert "Secure" in login.headers["Set-Cookie"]
    assert client.get("/konto", base_url="https://localhost").status_code == 200


def test_hsts_only_on_an_https_site(make_app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers  # http://localhost
    secure = make_app(base_url="https://allmende.example").test_client()
    for path in ("/", "/api/v1/solutions", "/healthz", "/gibt-es-nicht"):
        response = secure.get(path, base_url="https://localhost")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", path


def csrf_token_https(client) -> str:
    import re

    page = client.get("/anmelden", base_url="https://localhost")
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(page)).group(1)


def test_the_eleventh_login_within_a_minute_is_throttled(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True)
    limiter.reset()  # the limiter is one object for every app in the process
    client = app.test_client()
    try:
        token = csrf_token(client, "/anmelden")
        data = {"email": people.outsider.email, "password": "wrong password here",
                "csrf_token": token}
        statuses = [client.post("/anmelden", data=data).status_code for _ in range(11)]
        assert statuses[:10] == [422] * 10
        assert statuses[10] == 429
        throttled = client.post("/anmelden", data=data)
        assert throttled.status_code == 429
        assert int(throttled.headers["Retry-After"]) > 0
        assert "Zu viele Versuche" in text(throttled)
        assert client.get("/anmelden").status_code == 200  # reading the page is not limited
    finally:
        limiter.reset()


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_each_visitor_has_its_own_limit(make_app, app_settings, people,
                                                                proxies):
    from dataclasses import replace

    site = replace(app_settings.site, trusted_proxies=proxies)
    app = make_app(RATELIMIT_ENABLED=True, SETTINGS=replace(app_settings, site=site))
    limiter.reset()
    client = app.test_client()
    try:
        data = {"email": people.outsider.email, "password": "wrong password here",
                "csrf_token": csrf_token(client, "/anmelden")}
        for _ in range(10):
            client.post("/anmelden", data=data, headers={"X-Forwarded-For": "203.0.113.7"})
        other = client.post("/anmelden", data=data,
                            headers={"X-Forwarded-For": "198.51.100.9"})
        # one proxy trusted: another visitor is not throttled; none trusted: the header is a
        # lie anybody can tell, so all requests count as one client and the 11th is refused
        assert other.status_code == (422 if proxies else 429)
    finally:
        limiter.reset()
