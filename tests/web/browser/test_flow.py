"""A reader's path through the pages in Chromium: search → filter → solution → English.

Every step uses what a reader uses — the search box, a facet checkbox and the filter button,
a result link, the language link in the header — so a broken form, a wrong ``name`` or a link
that drops the query fails here even when each page renders fine in the test client.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

QUERY = "Bürger"
CATEGORY = "survey"  # one of the two "Bürger" hits (examples/beteiligungsportal)


def result_titles(page) -> list[str]:
    return page.locator("ol.cards > li h3").all_inner_texts()


def label_word(page, box) -> str:
    """A checkbox's label without its count: "Umfragen (1)" → "Umfragen"."""
    text = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
    return re.sub(r"\s*\(\d+\)$", "", text).strip()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_search_filter_open_and_switch_language(page, live_server):
    page.goto(f"{live_server}/")
    assert page.locator("html").get_attribute("lang") == "de"

    page.get_by_role("search").get_by_label("Suchbegriff").fill(QUERY)
    page.get_by_role("search").get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"/suche\?"))
    assert query_of(page.url)["q"] == [QUERY]
    before = result_titles(page)
    assert len(before) >= 2, f"the demo catalogue should give several hits for {QUERY!r}"

    categories = page.locator("fieldset", has=page.locator("legend", has_text="Kategorie"))
    box = categories.locator(f'input[type="checkbox"][value="{CATEGORY}"]')
    word = label_word(page, box)
    box.check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(rf"category={CATEGORY}"))
    assert query_of(page.url)["q"] == [QUERY]
    assert page.locator("a.chip", has_text=f"Kategorie: {word}").is_visible()
    after = result_titles(page)
    assert 0 < len(after) < len(before)
    assert set(after) <= set(before)
    assert page.locator(f'input[name="category"][value="{CATEGORY}"]').is_checked()
    filtered = page.url

    title = after[0]
    page.locator("ol.cards > li h3 a").first.click()
    page.wait_for_url(re.compile(r"/loesungen/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == title
    solution_path = urlsplit(page.url).path

    page.locator("header").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert urlsplit(page.url).path == solution_path
    assert page.get_by_role("heading", level=2, name="Description").is_visible()

    page.goto(filtered)  # the cookie keeps English on the following pages
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("a.chip", has_text="Category:").is_visible()
    assert page.locator(f'input[name="category"][value="{CATEGORY}"]').is_checked()
    assert result_titles(page) == after

    page.locator("header").get_by_role("link", name="Deutsch").click()
    page.wait_for_url(re.compile(r"lang=de"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert query_of(page.url) == {**query_of(filtered), "lang": ["de"]}
    assert result_titles(page) == after
