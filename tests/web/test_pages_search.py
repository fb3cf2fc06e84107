"""The search page: query-string state, facets, chips, sorts, pages, snippets, notices, 400s."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_lists_every_solution_with_facet_checkboxes(client):
    html = page(client, "/suche")
    assert "5 Lösungen gefunden" in html
    assert html.count('class="card"') == 5
    checkbox = r'<input type="checkbox" id="f-platform-\d+" name="platform" value="web"'
    assert re.search(checkbox, html)
    assert '<legend>Plattform</legend>' in html
    assert re.search(r'<label for="f-platform-\d+">Web \(im Browser\) '
                     r'<span class="count">\(\d+\)</span>', html)
    assert '<label for="q">Suchbegriff</label>' in html and '<label for="sort">' in html


def test_search_is_reachable_under_its_english_path(client):
    assert "5 Lösungen gefunden" in page(client, "/search")


def test_several_values_per_facet_and_removable_chips(client):
    html = page(client, "/suche?maintenance_type=internal&maintenance_type=community")
    assert "3 Lösungen gefunden" in html
    assert html.count('name="maintenance_type" value="internal" checked') == 1
    chips = [url for url in links(html) if "maintenance_type" in url or url == "/suche"]
    removing_internal = [u for u in chips if query_of(u).get("maintenance_type") == ["community"]]
    removing_community = [u for u in chips if query_of(u).get("maintenance_type") == ["internal"]]
    assert removing_internal and removing_community
    assert 'class="chip"' in html and "Wartung: Intern gewartet" in html
    assert "Alle Filter entfernen" in html


def test_chip_keeps_the_other_filters_and_the_text(client):
    html = page(client, "/suche?q=Termin&platform=web&maintenance_type=internal")
    chip = next(u for u in links(html) if query_of(u).get("platform") == ["web"]
                and "maintenance_type" not in query_of(u))
    assert query_of(chip)["q"] == ["Termin"]


def test_sort_links_and_the_active_sort(client):
    html = page(client, "/suche?sort=updated")
    assert '<strong aria-current="true">Zuletzt aktualisiert</strong>' in html
    assert '<option value="updated" selected>' in html
    sorts = {query_of(u)["sort"][0] for u in links(html) if "sort=" in u and "/suche" in u}
    assert {"relevance", "adopted", "name"} <= sorts


def test_pagination_links_keep_the_state(client):
    # the demo has 5 solutions; 20 per page makes one page, so page 2 is out of range
    html = page(client, "/suche?platform=web")
    assert 'class="pagination"' not in html
    response = client.get("/suche?page=2")
    assert response.status_code == 400
    assert "Seite 2 gibt es nicht" in response.get_data(as_text=True)


def test_pagination_with_small_pages(client, monkeypatch):
    from web.pages import search_state

    monkeypatch.setattr(search_state, "PER_PAGE", 2)
    html = page(client, "/suche?sort=name&q=&page=2")
    nav = html.split('class="pagination"')[1].split("</nav>")[0]
    assert '<strong aria-current="page">2</strong>' in nav
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    first = [u for u in links(nav) if "page=" not in u]
    assert first and all(query_of(u) == {"sort": ["name"]} for u in first)
    third = [u for u in links(nav) if query_of(u).get("page") == ["3"]]
    assert third and all(query_of(u)["sort"] == ["name"] for u in third)
    assert client.get("/suche?sort=name&page=4").status_code == 400


def test_highlighted_snippets_mark_the_words(client):
    html = page(client, "/suche?q=Abfuhrtermine")
    assert re.search(r'<p class="snippet" lang="de">[^<]*<mark>', html)
    assert html.index("Abfallkalender") < html.index("</ol>")


def test_query_text_is_escaped(client):
    html = page(client, "/suche?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_spelling_suggestion_is_a_link(client):
    html = page(client, "/suche?q=B%C3%BCrgerbeteiliung")
    assert "Meinten Sie" in html
    suggested = [u for u in links(html) if query_of(u).get("q") == ["Bürgerbeteiligung"]]
    assert suggested


def test_relaxed_notice(client):
    html = page(client, "/suche?q=Alternative+zu+Doodle")
    assert "Keine Lösung enthält alle Wörter" in html
    assert "Terminbuchung" in html
    english = page(client, "/suche?q=Alternative+zu+Doodle&lang=en")
    assert "No solution contains all the words" in english


def test_unknown_parameters_are_ignored_so_shared_links_open(client):
    tracked = page(client, "/suche?q=Termin&utm_source=newsletter&fbclid=abc")
    assert "Terminbuchung" in tracked
    results = tracked.split('<main', 1)[1].split('</main>')[0]
    assert "utm_source" not in results.replace("lang=en", "")  # the page's own links drop it


@pytest.mark.parametrize(("query", "reason"), [
    ("sort=cheapest", "Unbekannte Sortierung „cheapest“. Möglich sind: relevance (Relevanz)"),
    ("page=0", "Seitenzahl"),
    ("page=abc", "Seitenzahl"),
    ("page=99999999", "Seitenzahl"),
    ("page=3", "Seite 3 gibt es nicht"),
    ("q=a&q=b", "nur einmal"),
    ("q=" + "x" * 501, "zu lang"),
    ("q=%00", "ungültige Zeichen"),
    ("category=%00", "Filterwert"),
])
def test_bad_parameters_are_a_400_page_with_the_reason(client, query, reason):
    response = client.get(f"/suche?{query}")
    assert response.status_code == 400
    assert response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    assert reason in unescape(html) and "Die Anfrage ist fehlerhaft" in html


@pytest.mark.parametrize("query", ["q=%22unclosed", "q=*:*", "q=(((((", "q=name:[a TO",
                                   "q=%ED%A0%80", "license=%C3%28", "region=%E2%80%AE"])
def test_hostile_input_never_causes_a_500(client, query):
    assert client.get(f"/suche?{query}").status_code in (200, 400)


def test_english_search_page(client):
    html = page(client, "/suche?lang=en&maintenance_type=internal")
    assert "2 solutions found" in html and "<legend>Maintenance</legend>" in html
    assert "Maintained internally" in html



def test_a_match_through_another_language_says_how_it_was_found(client):
    # The waste calendar is described only in German ("Abfuhrtermine"): an English reader's
    # "appointment" finds it through the concept list, and the card says so.
    html = page(client, "/suche?q=appointment")
    card = html[html.index("Abfallkalender"):]
    found = re.search(r'<p class="matched-via">(.*?)</p>', card, re.S)
    assert found, "no line saying how the solution was found"
    assert found.group(1) == 'gefunden über: <span lang="de">Termin</span> ≈ appointment'
    english = page(client, "/suche?q=appointment&lang=en")
    assert '<p class="matched-via">found via: <span lang="de">Termin</span>' in english


def test_the_api_gives_the_same_explanation(client):
    body = client.get("/api/v1/solutions?q=appointment").get_json()
    explained = {item["name"]: item["matched_via"] for item in body["items"]}
    assert explained["Abfallkalender"] == [{"query": "appointment", "term": "Termin",
                                            "language": "de", "kind": "concept"}]
    assert explained["Terminbuchung Bürgeramt"] == []  # found by its own word "appointment-…"


@pytest.mark.parametrize("query", ["Alternative zu Doodle", "statt Doodle", "Dodle"])
def test_a_search_naming_a_product_shows_its_open_alternatives_first(client, query):
    page = client.get("/suche", query_string={"q": query}).text
    block = page[page.index('id="alternatives-heading"'):page.index("</section>",
                                                                   page.index("alternatives"))]
    assert "Offene Alternativen zu Doodle" in block and "proprietäres Produkt von" in block
    assert "Terminbuchung Bürgeramt" in block
    assert "In der Kategorie" in block  # why it is listed
    assert page.index('id="alternatives-heading"') < page.index('class="sorts"')  # first
    english = client.get("/suche", query_string={"q": query, "lang": "en"}).text
    assert "Open alternatives to Doodle" in english


def test_a_search_naming_no_product_shows_no_alternatives_block(client):
    assert 'id="alternatives-heading"' not in client.get("/suche?q=Termine").text
    second_page = client.get("/suche?q=Doodle&page=2")
    assert 'id="alternatives-heading"' not in second_page.text
