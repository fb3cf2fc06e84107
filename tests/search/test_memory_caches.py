"""Caches keyed by what readers type stop at their bounds, however many new words arrive.

bench/soak.py's server grows for minutes after its warm-up while these fill (each pooled
``SearchService`` has its own); growth that stops is a cache, growth that does not is a leak.
The bounds are lowered here so that a few dozen never-seen words reach them.
"""

from __future__ import annotations

from itertools import product

from search import SearchRequest, SearchService, query, ranking

BOUND = 8
WORDS = ["".join(letters) + "kartei" for letters in product("bdfglmnprstvw", repeat=2)][:60]
"""Never-seen words, long enough for the compound splitter to look at."""


def test_what_a_service_keeps_per_query_word_stays_within_its_bounds(index_dir, monkeypatch):
    monkeypatch.setattr(query, "PARSED_TEXTS", BOUND)  # read when a builder is made
    monkeypatch.setattr(ranking, "CACHED_TERMS", BOUND)  # read on every insertion
    service = SearchService(index_dir)
    for number, word in enumerate(WORDS):
        text = f"{word} {WORDS[number - 1][:4]}*" if number % 3 == 0 else word
        service.search(SearchRequest(text=text))

    builder = service._builder
    assert builder._words.cache_info().currsize <= BOUND
    assert builder._analysed.cache_info().currsize <= BOUND
    assert builder._words.cache_info().misses > BOUND  # the bound was reached, not missed
    terms = service._current().snapshot.terms
    assert 0 < len(terms._postings._items) <= BOUND
    assert 0 < len(terms._prefixes._items) <= BOUND
