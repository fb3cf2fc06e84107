"""A maintainer's path in Chromium: sign up → verify by mail → register a GitLab repository →
prove ownership → webhook secret → new secret → harvest now.

Everything goes through what a maintainer uses: the sign-up form, the link in the mail the app
sent to the loopback SMTP server, the header link, the registration form, the buttons on the
registration page. The forge is a fake GitLab on loopback (``http_server``) serving the
terminbuchung example as its publiccode.yml, and the ownership file once the test has read the
token from the page. No step may log a console error, fail a request or trip the CSP.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ..maintainers.helpers import EXAMPLE
from ..people import PASSWORD
from .test_xss import SETTLE, WATCH

NAME = "Mara Maintainer"
EMAIL = "mara@kommune.example"
REPO = "/stadt/terminbuchung"
HEX_SECRET = re.compile(r"[0-9a-f]{64}")
FAILED_LOAD = "Failed to load resource:"
"""Chromium's console line for a failed response; the responses themselves are checked."""


@pytest.fixture
def app(app):
    app.config["BACKGROUND_HARVEST_MANUAL"] = True  # queue only; no worker thread
    return app


def verification_link(smtp_server) -> str:
    """The path of the verification link in the one mail that arrived, addressed to ``EMAIL``.

    The link starts with ``[site] base_url`` (app_settings: http://localhost), not the live
    server's ephemeral address, so the test opens its path on the live server."""
    (mail,) = smtp_server.wait_for(1)
    assert mail.rcpt_tos == [EMAIL]
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    links = set(re.findall(r"https?://\S+/konto/bestaetigen/\S+", body))
    assert len(links) == 1, body  # the same link in the German and the English text
    link = urlsplit(links.pop())
    assert f"{link.scheme}://{link.netloc}" == "http://localhost"  # [site] base_url
    return link.path


def status(page) -> str:
    return " ".join(page.get_by_role("status").all_inner_texts())


def test_sign_up_register_prove_and_webhook(page, live_server, smtp_server, http_server):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith(FAILED_LOAD) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: errors.append(f"{r.url}: HTTP {r.status}")
            if r.status >= 400 else None)
    page.add_init_script(f"({WATCH})()")

    def clean(where: str) -> None:
        assert page.evaluate(SETTLE) == [], f"CSP violations on {where}"
        assert errors == [], f"console errors on {where}: {errors}"

    # 1. sign up, then the link from the mail
    page.goto(f"{live_server}/registrieren")
    form = page.locator("main form")
    form.get_by_label("Name").fill(NAME)
    form.get_by_label("E-Mail-Adresse").fill(EMAIL)
    form.get_by_label("Passwort", exact=True).fill(PASSWORD)
    form.get_by_label("Passwort wiederholen").fill(PASSWORD)
    form.get_by_role("button", name="Konto anlegen").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert f"Wir haben einen Link an {EMAIL} geschickt." in page.locator("main").inner_text()
    clean("the check-your-mail page")

    page.goto(f"{live_server}{verification_link(smtp_server)}")
    assert heading.inner_text() == "E-Mail-Adresse bestätigen"  # with the password chosen
    clean("the confirm-with-password page")
    form = page.locator("main form")
    form.get_by_label("Passwort").fill(PASSWORD)
    form.get_by_role("button", name="Bestätigen und anmelden").click()
    assert heading.inner_text() == "E-Mail-Adresse bestätigt"
    assert f"Ihre Adresse {EMAIL} ist bestätigt und Sie sind angemeldet." \
        in page.locator("main").inner_text()
    clean("the verified page")

    # 2. register the fake GitLab project through the header link and the form
    http_server.add(f"{REPO}/-/raw/HEAD/publiccode.yml", EXAMPLE)
    repo_url = http_server.url(REPO)
    page.locator("header").get_by_role("link", name="Meine Repositorien").click()
    page.wait_for_url(f"{live_server}/meine-repositorien")
    page.locator("main").get_by_role("link", name="Repository registrieren").click()
    page.wait_for_url(f"{live_server}/meine-repositorien/neu")
    clean("the new-registration form")
    form = page.locator("main form")
    form.get_by_label("Adresse des Repositorys").fill(repo_url)
    form.get_by_label("Art des Repositorys").select_option("gitlab")
    form.get_by_role("button", name="Registrieren und prüfen").click()
    page.wait_for_url(re.compile(r"/meine-repositorien/\d+$"))
    assert heading.inner_text() == repo_url
    facts = page.locator("dl.facts").inner_text()
    assert "GitLab" in facts and "wartet auf den Nachweis" in facts
    token = page.locator("#verify-token").inner_text().strip()
    assert token
    result = page.locator("#check-result").inner_text()
    assert "Das Eigentum ist noch nicht nachgewiesen" in result and token in result
    assert page.locator("#webhook-secret").count() == 0
    clean("the pending registration")

    # 3. prove ownership with the file, then the webhook secret and a new one
    http_server.add(f"{REPO}/-/raw/HEAD/.allmende-verify", f"{token}\n")
    page.get_by_role("button", name="Jetzt prüfen").click()
    page.get_by_role("heading", level=2, name="Webhook: bei jedem Push neu einlesen").wait_for()
    assert "Eigentum nachgewiesen. Das Repository wird in Kürze abgerufen." in status(page)
    facts = page.locator("dl.facts").inner_text()
    assert "bestätigt (Nachweis: Datei .allmende-verify)" in facts
    assert page.locator("#verify-token").count() == 0
    first = page.locator("#webhook-secret").inner_text()
    assert HEX_SECRET.fullmatch(first), first
    clean("the verified registration")

    page.get_by_role("button", name="Neues Geheimnis").click()
    page.get_by_role("status").filter(has_text="Das Webhook-Geheimnis ist neu.").wait_for()
    second = page.locator("#webhook-secret").inner_text()
    assert HEX_SECRET.fullmatch(second), second
    assert second != first
    clean("the new secret")

    page.get_by_role("button", name="Jetzt neu einlesen").click()
    page.get_by_role("status").filter(has_text="Der Abruf ist eingeplant").wait_for()
    assert page.locator("#webhook-secret").inner_text() == second
    clean("the queued harvest")
    seen = {r.path for r in http_server.requests}
    assert {f"{REPO}/-/raw/HEAD/publiccode.yml", f"{REPO}/-/raw/HEAD/.allmende-verify"} <= seen
