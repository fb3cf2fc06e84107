"""Which language a page speaks: ``?lang=``, then the remembered choice, then the browser's
``Accept-Language``, then German; and caches that never mix the two (web/pages/language.py)."""

from __future__ import annotations

import pytest

from web.pages.response_cache import HEADER


def language_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    return "en" if '<html lang="en">' in html else "de" if '<html lang="de">' in html else "?"


@pytest.mark.parametrize(("accept", "expected"), [
    ("en", "en"), ("en-GB,en;q=0.9", "en"), ("en-US", "en"), ("fr, en;q=0.5", "en"),
    ("de-DE,de;q=0.9,en;q=0.8", "de"), ("fr", "de"), ("*", "de"), (None, "de"),
])
def test_the_browser_language_is_the_default(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    assert language_of(client.get("/", headers=headers)) == expected


def test_an_explicit_or_remembered_choice_wins_over_the_browser(client):
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    assert language_of(client.get("/?lang=de", headers=english_browser)) == "de"
    assert language_of(client.get("/", headers=english_browser)) == "de"  # the cookie
    client.set_cookie("lang", "en")
    assert language_of(client.get("/", headers={"Accept-Language": "de"})) == "en"


def test_the_browser_language_is_not_remembered(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]
    assert language_of(client.get("/")) == "de"


def test_pages_vary_on_the_cookie_and_the_browser_language(client):
    for path in ("/", "/suche", "/no-such-page"):
        vary = client.get(path).headers.get("Vary", "")
        assert "Cookie" in vary and "Accept-Language" in vary, path


def test_the_search_cache_never_gives_one_language_to_the_other(client):
    english = client.get("/suche?q=Termin", headers={"Accept-Language": "en"})
    german = client.get("/suche?q=Termin", headers={"Accept-Language": "de"})
    assert (language_of(english), language_of(german)) == ("en", "de")
    assert english.headers[HEADER] == german.headers[HEADER] == "miss"
    again = client.get("/suche?q=Termin", headers={"Accept-Language": "en-GB"})
    assert language_of(again) == "en" and again.headers[HEADER] == "hit"
    assert "Accept-Language" in again.headers["Vary"]


def test_every_page_names_the_atom_feed_and_the_home_page_links_it(client):
    feed = ('<link rel="alternate" type="application/atom+xml" '
            'title="Allmende: neue und geänderte Lösungen" href="/feeds/solutions.atom">')
    assert feed in client.get("/").get_data(as_text=True)
    assert feed in client.get("/suche").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert ('<a href="/feeds/solutions.atom" type="application/atom+xml">Neue und geänderte '
            'Lösungen als Feed abonnieren</a>') in home
    assert "Subscribe to new and changed solutions as a feed" in client.get(
        "/?lang=en").get_data(as_text=True)
    assert client.get("/feeds/solutions.atom").mimetype == "application/atom+xml"
