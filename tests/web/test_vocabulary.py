"""publiccode.yml codes in words on the pages, German and English; unknown codes as they are."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from registry.models import Solution
from registry.publiccode.vocabularies import CATEGORIES, SCOPES, SOFTWARE_TYPES
from web.pages.vocabulary import SOFTWARE_TYPE
from web.pages.vocabulary_words import CATEGORY, SCOPE


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def solution_path(engine, name: str) -> str:
    with Session(engine) as session:
        return f"/loesungen/{session.exec(select(Solution.id).where(Solution.name == name)).one()}"


def test_every_code_of_the_standard_has_words():
    assert set(CATEGORY) == CATEGORIES
    assert set(SCOPE) == SCOPES
    assert set(SOFTWARE_TYPE) == set(SOFTWARE_TYPES)


def test_software_types_in_words_in_the_facet(client):
    html = page(client, "/suche")
    assert re.search(r'name="software_type" value="standalone/web">\s*<label[^>]*>'
                     r'Eigenständige Webanwendung <span class="count">', html)
    assert ">standalone/web <" not in html


def test_home_categories_in_words_link_to_their_code(client):
    html = page(client, "/")
    assert re.search(r'<a href="/suche\?category=appointment-scheduling">Terminvereinbarung '
                     r'<span class="count">\(1\)</span></a>', html)
    assert ">appointment-scheduling <" not in html
    english = page(client, "/?lang=en")
    assert re.search(r'category=appointment-scheduling">Appointment scheduling <', english)


def test_search_facets_and_chips_in_words(client):
    html = page(client, "/suche?category=survey&platform=web")
    assert re.search(r'<label for="f-category-\d+">Umfragen und Befragungen <', html)
    assert 'name="category" value="survey"' in html
    assert "Kategorie: Umfragen und Befragungen" in html
    assert "Plattform: Web (im Browser)" in html
    english = page(client, "/suche?category=survey&platform=web&lang=en")
    assert "Category: Surveys" in english and "Platform: Web (in the browser)" in english


def test_facet_values_are_ordered_by_count_then_words(client):
    html = page(client, "/suche")
    fieldset = html.split("<legend>Kategorie</legend>", 1)[1].split("</fieldset>", 1)[0]
    words = re.findall(r'<label for="f-category-\d+">([^<]+) <span class="count">\((\d+)\)',
                       fieldset)
    assert words and words == sorted(words, key=lambda w: (-int(w[1]), w[0].casefold()))


def test_an_unknown_code_is_shown_as_itself(client):
    html = page(client, "/suche?category=kommunal-neu&platform=Plan9")
    assert "Kategorie: kommunal-neu" in html and "Plattform: Plan9" in html
    assert re.search(r'<label for="f-category-\d+">kommunal-neu <span class="count">\(0\)',
                     html)


def test_solution_page_shows_categories_platforms_and_scope_in_words(client, engine):
    path = solution_path(engine, "Beteiligungsportal")
    html = page(client, path)
    assert '<a href="/suche?category=survey">Umfragen und Befragungen</a>' in html
    assert '<a href="/suche?category=online-community">Online-Gemeinschaft</a>' in html
    assert '<a href="/suche?platform=web">Web (im Browser)</a>' in html
    assert "Bereiche: Öffentliche Verwaltung" in html
    english = page(client, path + "?lang=en")
    assert ">Surveys</a>" in english and ">Online community</a>" in english
    assert ">Web (in the browser)</a>" in english and "Government" in english
