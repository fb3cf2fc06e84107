"""Facets (counts, several values per facet), the four sorts and pagination."""

from __future__ import annotations

from collections import Counter

import pytest

from registry.db import session_scope
from search import FACETS, InvalidSearchRequest, SearchRequest, documents_for

from .conftest import EXAMPLE_URLS

FACET_VALUES = {
    "category": lambda d: d.categories, "platform": lambda d: d.platforms,
    "license": lambda d: [d.license], "development_status": lambda d: [d.development_status],
    "maintenance_type": lambda d: [d.maintenance_type],
    "software_type": lambda d: [d.software_type], "publisher": lambda d: [d.publisher],
    "region": lambda d: [d.region], "quality": lambda d: [d.quality],
}


@pytest.fixture
def documents(engine, index_dir):
    with session_scope(engine) as session:
        return list(documents_for(session))


def expected_counts(documents, facet: str) -> dict[str, int]:
    return dict(Counter(v for d in documents for v in set(FACET_VALUES[facet](d)) if v))


def test_every_facet_counts_every_value_of_the_whole_catalogue(service, documents):
    results = service.search(SearchRequest(facet_limit=None))
    assert set(results.facets) == set(FACETS)
    for facet in FACETS:
        assert results.facets[facet] == expected_counts(documents, facet), facet
    assert results.facets["region"] == {"Bayern": 1}


@pytest.mark.parametrize("facet", list(FACETS))
def test_filtering_by_each_facet_returns_exactly_the_solutions_with_that_value(
        service, documents, facet):
    counts = expected_counts(documents, facet)
    value, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    results = service.search(SearchRequest(filters={facet: [value]}, per_page=100))
    assert results.total == count
    assert {hit.id for hit in results.hits} == {
        d.id for d in documents if value in FACET_VALUES[facet](d)}


def test_several_values_are_or_within_a_facet_and_and_across_facets(service, documents):
    either = service.search(SearchRequest(filters={"category": ["survey", "mobile-payment"]}))
    assert {hit.url for hit in either.hits} == {EXAMPLE_URLS["beteiligungsportal"],
                                                EXAMPLE_URLS["parkraum-app"]}
    both = service.search(SearchRequest(filters={"category": ["survey", "mobile-payment"],
                                                 "license": ["MIT"]}))
    assert [hit.url for hit in both.hits] == [EXAMPLE_URLS["parkraum-app"]]
    # a facet is counted under the other facets' filters, not its own: it can be widened
    assert both.facets["category"] == {"mobile-payment": 1, "survey": 0} | {
        v: c for v, c in expected_counts([d for d in documents if d.license == "MIT"],
                                         "category").items()}
    assert both.facets["license"]["EUPL-1.2"] == 1  # the survey tool, under the category filter
    assert both.facets["license"]["MIT"] == 1


def test_filters_combine_with_text_and_match_values_case_insensitively(service):
    results = service.search(SearchRequest(text="Online", filters={"license": ["eupl-1.2"]}))
    urls = {hit.url for hit in results.hits}
    assert EXAMPLE_URLS["terminbuchung"] in urls and EXAMPLE_URLS["parkraum-app"] not in urls
    assert results.facets["license"]["EUPL-1.2"] == results.total


def test_unknown_filter_values_match_nothing_and_selected_values_stay_visible(service):
    results = service.search(SearchRequest(filters={"platform": ["amiga"]}))
    assert results.total == 0 and results.hits == []
    assert results.facets["platform"]["amiga"] == 0


def test_facet_limit_keeps_the_most_frequent_values(service, documents):
    results = service.search(SearchRequest(facet_limit=2))
    counts = expected_counts(documents, "category")
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:2]
    assert results.facets["category"] == dict(top)


def test_sort_by_name(service, documents):
    results = service.search(SearchRequest(text="", sort="name", per_page=100))
    assert [hit.id for hit in results.hits] == [
        d.id for d in sorted(documents, key=lambda d: (d.name.casefold(), d.url))]


def test_sort_by_recently_updated(service):
    results = service.search(SearchRequest(sort="updated", per_page=5))
    assert [hit.url for hit in results.hits] == [EXAMPLE_URLS[name] for name in (
        "terminbuchung", "ratsinfo-light", "parkraum-app", "beteiligungsportal",
        "abfallkalender")]


def test_sort_by_most_adopted(service, documents):
    results = service.search(SearchRequest(sort="adopted", per_page=100))
    assert [hit.id for hit in results.hits] == [d.id for d in sorted(
        documents, key=lambda d: (-d.adoption_count, d.name.casefold(), d.url))]
    urls = [hit.url for hit in results.hits]
    assert results.hits[0].score is None
    assert urls.index(EXAMPLE_URLS["terminbuchung"]) < urls.index(  # usedBy: three, two
        EXAMPLE_URLS["beteiligungsportal"])


def test_sort_applies_to_text_queries_too(service):
    relevance = service.search(SearchRequest(text="Stadt"))
    by_update = service.search(SearchRequest(text="Stadt", sort="updated"))
    assert relevance.sort == "relevance" and by_update.sort == "updated"
    assert relevance.total == by_update.total > 1
    assert {h.id for h in relevance.hits} == {h.id for h in by_update.hits}
    assert by_update.hits[0].url == EXAMPLE_URLS["terminbuchung"]


@pytest.mark.parametrize("sort", ["relevance", "name", "updated", "adopted"])
def test_pages_partition_the_results(service, sort):
    text = "data" if sort == "relevance" else ""
    everything = service.search(SearchRequest(text=text, sort=sort, per_page=100))
    assert everything.total > 6
    paged = []
    page = 1
    while True:
        results = service.search(SearchRequest(text=text, sort=sort, page=page, per_page=3))
        assert results.total == everything.total
        if not results.hits:
            break
        paged += [hit.id for hit in results.hits]
        page += 1
    assert paged == [hit.id for hit in everything.hits]
    assert page == -(-everything.total // 3) + 1


@pytest.mark.parametrize("bad", [{"sort": "popularity"}, {"filters": {"colour": ["red"]}},
                                 {"page": 0}, {"per_page": 0}, {"per_page": 101}])
def test_invalid_requests_are_refused_with_a_message(bad):
    with pytest.raises(InvalidSearchRequest):
        SearchRequest(**bad)
