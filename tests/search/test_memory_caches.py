"""Caches keyed by what readers type stop at their bounds, however many new words arrive.

bench/soak.py's server grows for minutes after its warm-up while these fill; growth that stops
is a cache, growth that does not is a leak. Parsed words are kept once per process, not once
per pooled ``SearchService`` (eight copies took ~170 MiB at their ceiling). The bounds are
lowered here so that a few dozen never-seen words reach them.
"""

from __future__ import annotations

from itertools import product

from search import SearchRequest, SearchService, query, ranking

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
