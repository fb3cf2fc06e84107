"""Caches keyed by what readers type stop at their bounds, however many new words arrive.

bench/soak.py's server grows for minutes after its warm-up while these fill; growth that stops
is a cache, growth that does not is a leak. Parsed words, stems and each generation's snapshot
(facet masks, term postings) are kept once per process, not once per pooled ``SearchService``
(eight copies of the parsed words alone took ~170 MiB at their ceiling). The bounds are lowered
here so that a few dozen never-seen words reach them.
"""

from __future__ import annotations

from itertools import product

from search import SearchRequest, SearchService, analysis, query, ranking
from search.schema import build_schema

BOUND = 8
WORDS = ["".join(letters) + "kartei" for letters in product("bdfglmnprstvw", repeat=2)][:60]
"""Never-seen words, long enough for the compound splitter to look at."""


def test_what_a_service_keeps_per_query_word_stays_within_its_bounds(index_dir, monkeypatch):
    monkeypatch.setattr(query._PARSED, "limit", BOUND)
    monkeypatch.setattr(query._ANALYSED, "limit", BOUND)
    monkeypatch.setattr(ranking, "CACHED_TERMS", BOUND)  # read when a generation is opened
    query._PARSED.clear()
    query._ANALYSED.clear()
    service = SearchService(index_dir)
    for number, word in enumerate(WORDS):
        text = f"{word} {WORDS[number - 1][:4]}*" if number % 3 == 0 else word
        service.search(SearchRequest(text=text))

    assert len(query._PARSED) == BOUND  # filled to the bound, not beyond
    assert len(query._ANALYSED) <= BOUND
    terms = service._current().snapshot.terms
    assert 0 < len(terms._postings) <= BOUND
    assert 0 < len(terms._prefixes) <= BOUND


def test_services_share_the_parsed_words(index_dir):
    """One copy per process: a second service (another server thread) parses nothing again."""
    first, second = SearchService(index_dir), SearchService(index_dir)
    first.search(SearchRequest(text="Bürgerbeteiligung Umfragen"))
    kept = len(query._PARSED)
    second.search(SearchRequest(text="Bürgerbeteiligung Umfragen"))
    assert len(query._PARSED) == kept
    assert first._builder._words("Umfragen") is second._builder._words("Umfragen")


def test_services_share_the_snapshot_of_a_generation_and_build_a_new_one_for_the_next(
        index_dir, engine):
    from search import rebuild

    first, second = SearchService(index_dir), SearchService(index_dir)
    first.search(SearchRequest(text="Abfall"))
    second.search(SearchRequest(text="Abfall"))
    shared = first._current().snapshot
    assert second._current().snapshot is shared
    assert len(shared.terms._postings) > 0  # the second service's words came from the first

    rebuild(engine, index_dir)  # a new generation
    assert first._current().snapshot is not shared
    assert first._current().snapshot is second._current().snapshot


def test_stems_are_cached_once_per_language_and_within_their_bound(monkeypatch):
    """Every schema (one per pooled service, one per reopened generation, the highlighter's)
    stems through the same per-language cache, which stops at its bound."""
    german = analysis._STEMS["de"]
    monkeypatch.setattr(german, "limit", BOUND)
    german.clear()
    one, other = build_schema()["short_de"].analyzer, build_schema()["long_de"].analyzer
    assert [token.text for token in one("Wertstoffhof")][0] == "wertstoffhof"
    assert [token.text for token in other("Abfallkalender")][0] == "abfallkal"
    assert {"wertstoffhof", "abfallkalender"} <= set(german._items)  # both schemas' words
    for word in WORDS[:30]:
        list(one(word))
    assert len(german) == BOUND
