"""Every page renders for a reader: German by default, English by switch, no inline code."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from registry.db import session_scope
from registry.models import Publisher, Solution

INLINE_SCRIPT = re.compile(r"<script(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I)


def first_ids(engine) -> tuple[int, int]:
    with Session(engine) as session:
        solution = session.exec(select(Solution).where(Solution.name == "Abfallkalender")).one()
        publisher = session.exec(select(Publisher).order_by(Publisher.id)).first()
        return solution.id, publisher.id


def pages_and_statuses(engine) -> list[tuple[str, int]]:
    solution_id, publisher_id = first_ids(engine)
    fine = ["/", "/suche", "/search", "/suche?q=Abfall", f"/loesungen/{solution_id}",
            "/herausgeber", f"/herausgeber/{publisher_id}", "/quellen", "/ueber"]
    return [(path, 200) for path in fine] + [
        ("/no-such-page", 404), ("/loesungen/999999", 404), ("/suche?sort=cheapest", 400)]


def assert_clean_html(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), "inline script"
    assert "style=" not in html and "<style" not in html, "inline style"
    assert 'href="javascript:' not in html.lower()


def test_every_page_renders_in_german_without_inline_code(client, engine):
    for path, status in pages_and_statuses(engine):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == status, path
        assert response.content_type.startswith("text/html"), path
        assert '<html lang="de">' in html, path
        assert 'href="#inhalt"' in html and '<main id="inhalt"' in html
        for landmark in ("<header", "<nav", "<main", "<footer"):
            assert landmark in html, (path, landmark)
        assert_clean_html(html)
        headers = response.headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_english_by_switch_is_remembered_in_a_cookie(client):
    german = client.get("/").get_data(as_text=True)
    assert "Lösungen suchen" in german and 'hreflang="en"' in german
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "Find solutions" in html
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    later = client.get("/quellen").get_data(as_text=True)
    assert '<html lang="en">' in later and "Sources" in later
    back = client.get("/?lang=de").get_data(as_text=True)
    assert '<html lang="de">' in back


def test_language_switch_keeps_the_query(client):
    html = client.get("/suche?q=Abfall&platform=web").get_data(as_text=True)
    assert 'href="/suche?q=Abfall&amp;platform=web&amp;lang=en"' in html


def test_unknown_language_falls_back_to_german(client):
    assert '<html lang="de">' in client.get("/?lang=xx").get_data(as_text=True)


def test_home_shows_figures_categories_and_recent(client):
    html = client.get("/").get_data(as_text=True)
    assert "<strong>5</strong> Lösungen" in html
    assert re.search(r"<strong>\d+</strong> Herausgeber", html)
    assert 'href="/suche?category=data-collection"' in html
    assert 'href="/suche?sort=updated"' in html
    assert html.count('class="card"') == 5


def test_home_shows_what_towns_are_looking_for(client, engine, people):
    """The marketplace is half of Allmende: open needs are on the first page."""
    from registry.models import Account, Organisation
    from registry.needs.service import post_need

    assert "Noch keine offenen Bedarfe." in client.get("/").get_data(as_text=True)
    with session_scope(engine) as session:
        need = post_need(session, session.get(Account, people.member.id),
                         session.get(Organisation, people.town.id),
                         title="Abfuhrtermine <online>", field_of_action="environment",
                         description="Wann wird welche Tonne geleert, nach Straße sortiert?")
        session.commit()
        need_id = need.id
    html = client.get("/").get_data(as_text=True)
    assert f'href="/bedarfe/{need_id}">Abfuhrtermine &lt;online&gt;</a>' in html
    assert "Stadt Musterstadt, Bayern" in html
    assert 'href="/bedarfe?status=open"' in html and 'href="/bedarfe/neu"' in html


def test_stylesheet_is_served_from_the_site(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/static/allmende.css"' in html and "https://" not in html.split("<body")[0]
    response = client.get("/static/allmende.css")
    assert response.status_code == 200 and ":focus-visible" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/ueber", "/quellen"])
def test_headings_start_at_one_and_do_not_skip(client, path):
    html = client.get(path).get_data(as_text=True)
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_about_has_an_accessibility_statement(app, client):
    html = client.get("/ueber").get_data(as_text=True)
    assert 'id="barrierefreiheit"' in html and "Erklärung zur Barrierefreiheit" in html
    assert "Bekannte Einschränkungen" in html and "Kontakt" in html
    contact = app.config["SETTINGS"].site.contact_email
    assert f'href="mailto:{contact}"' in html  # the configured [site] contact_email


def test_sources_page_lists_runs_with_counts(client):
    html = client.get("/quellen").get_data(as_text=True)
    assert "<h2" in html and "demo" in html and "<table>" in html
    assert '<th scope="col">gefunden</th>' in html and "<td>erfolgreich</td>" in html
    assert "Art: Demo-Daten" in html and ">seen<" not in html
    english = client.get("/quellen?lang=en").get_data(as_text=True)
    assert '<th scope="col">found</th>' in english and "<td>succeeded</td>" in english


def test_publisher_page_lists_published_and_used_solutions(client, engine):
    with Session(engine) as session:
        musterstadt = session.exec(select(Publisher).where(
            Publisher.name == "Stadt Musterstadt")).one()
    html = client.get(f"/herausgeber/{musterstadt.id}").get_data(as_text=True)
    assert "<h1>Stadt Musterstadt</h1>" in html
    assert "Genutzte Lösungen" in html and "Terminbuchung Bürgeramt" in html
    assert "laut Maintainern" in html
