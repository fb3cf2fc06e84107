"""Free-text search over a real catalogue: languages, AND, phrases, prefixes, suggestions,
syntax that must never raise, highlights that must be safe HTML, and the empty query."""

from __future__ import annotations

import pytest

from search import SearchRequest

from .conftest import EXAMPLE_URLS, SCRIPT_URL


def found(service, text: str, **options) -> list[str]:
    return [hit.url for hit in service.search(SearchRequest(text=text, **options)).hits]


@pytest.mark.parametrize("text", ["Bürgerbeteiligung", "Burgerbeteiligung", "Buergerbeteiligung",
                                  "bürgerbeteiligung", "BÜRGERBETEILIGUNG"])
def test_german_compound_with_umlaut_folding_finds_the_participation_portal(service, text):
    assert found(service, text)[0] == EXAMPLE_URLS["beteiligungsportal"]


def test_german_stemming_termine_finds_the_appointment_booking(service):
    assert EXAMPLE_URLS["terminbuchung"] in found(service, "Termine")
    assert EXAMPLE_URLS["terminbuchung"] in found(service, "Termin")


def test_ratsinformationssystem_finds_the_council_information_system(service):
    # the corpus's aitema|Rats RIS is shown too (readable, not valid): both come first
    assert EXAMPLE_URLS["ratsinfo-light"] in found(service, "Ratsinformationssystem")[:2]


def test_english_stemming_parking_app_finds_the_parking_app_first(service):
    urls = found(service, "parking app")
    assert urls[0] == EXAMPLE_URLS["parkraum-app"]
    assert EXAMPLE_URLS["parkraum-app"] in found(service, "parks")


def test_words_are_anded_by_default(service):
    both = found(service, "Bürgerbeteiligung Umfragen ")
    assert both == [EXAMPLE_URLS["beteiligungsportal"]]
    neither_has_both = service.search(SearchRequest(text="Bürgerbeteiligung Parkschein "))
    assert neither_has_both.relaxed  # no solution has both: shown as "some of the words"
    either = found(service, "Bürgerbeteiligung OR Parkschein")
    assert set(either) == {EXAMPLE_URLS["beteiligungsportal"], EXAMPLE_URLS["parkraum-app"]}


def test_stop_words_do_not_have_to_match(service):
    assert EXAMPLE_URLS["terminbuchung"] in found(service, "Alternative zu kommerziellen")


def test_quoted_phrase_needs_the_words_together(service):
    assert found(service, '"Online-Terminvereinbarung für Bürgerämter"') == [
        EXAMPLE_URLS["terminbuchung"]]
    assert found(service, '"Bürgerämter Online"') == []


def test_last_word_of_a_short_query_matches_as_a_prefix(service):
    assert EXAMPLE_URLS["ratsinfo-light"] in found(service, "Ratsinfo")[:2]  # and aitema's RIS
    assert EXAMPLE_URLS["beteiligungsportal"] in found(service, "Bürgerbeteil")
    assert EXAMPLE_URLS["parkraum-app"] in found(service, "Parkra")
    # a trailing space says the word is complete: no prefix expansion
    assert found(service, "Parkra ") == []


def test_misspelling_offers_a_suggestion_that_finds_something(service):
    results = service.search(SearchRequest(text="Bürgerbeteiliung Umfragen "))
    assert results.relaxed  # nothing has both words; "Umfragen" alone finds something
    assert results.suggestion == "Bürgerbeteiligung Umfragen "
    corrected = service.search(SearchRequest(text=results.suggestion))
    assert [hit.url for hit in corrected.hits] == [EXAMPLE_URLS["beteiligungsportal"]]


def test_no_solution_with_all_words_relaxes_to_some_of_them_and_says_so(service):
    results = service.search(SearchRequest(text="Alternative zu Doodle"))
    assert results.relaxed is True
    assert [hit.url for hit in results.hits][0] == EXAMPLE_URLS["terminbuchung"]


def test_all_words_found_is_not_relaxed(service):
    assert service.search(SearchRequest(text="Bürgerbeteiligung Umfragen")).relaxed is False


def test_a_single_unknown_word_is_not_relaxed_into_anything(service):
    results = service.search(SearchRequest(text="Doodle"))
    assert (results.total, results.relaxed) == (0, False)


def test_callers_that_only_rank_skip_suggestions_and_facet_counts(service):
    """Need matching asks one word at a time and shows neither: it need not pay for them."""
    quiet = service.search(SearchRequest(text="Bürgerbeteiliung ", suggest=False,
                                         facet_limit=0))
    assert quiet.total == 0 and quiet.suggestion is None
    assert quiet.facets and all(counts == {} for counts in quiet.facets.values())
    ranked = service.search(SearchRequest(text="Bürgerbeteiligung", facet_limit=0))
    assert ranked.total >= 1 and all(counts == {} for counts in ranked.facets.values())


def test_no_suggestion_when_there_are_hits(service):
    assert service.search(SearchRequest(text="Bürgerbeteiligung")).suggestion is None


BROKEN_SYNTAX = ['"unclosed', "AND OR (", "*", "field:", "name:", ")))(((", "NOT", "OR", '"',
                 'publisher:"Stadt', "a:b:c:", "^^^", "[a TO", "\\", "name:(Ratsinfo",
                 "Beteiligung AND", "\x00", "ü" * 500, "*:*", "?", "~2", "title:*"]


def test_user_syntax_never_raises(service):
    for text in BROKEN_SYNTAX:
        for sort in (None, "updated"):
            results = service.search(SearchRequest(text=text, sort=sort))
            assert results.total >= 0, text


def test_broken_syntax_still_finds_its_words(service):
    assert EXAMPLE_URLS["ratsinfo-light"] in found(service, '"Ratsinformationssystem')
    assert EXAMPLE_URLS["ratsinfo-light"] in found(service, "(Ratsinformationssystem")


def test_highlights_mark_matches_and_escape_everything_else(service):
    results = service.search(SearchRequest(text="Formulare"))
    hit = next(h for h in results.hits if h.url == SCRIPT_URL)
    snippet = hit.highlights["short_de"]
    assert "<mark>Formulare</mark>" in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in snippet  # Anträge: a concept
    assert "<script" not in snippet
    searched_for_markup = service.search(SearchRequest(text="script"))
    for hit in searched_for_markup.hits:
        for value in hit.highlights.values():
            assert "<script" not in value and value.count("<mark>") == value.count("</mark>")


def test_highlights_follow_stemming_and_folding(service):
    hit = service.search(SearchRequest(text="Burgerbeteiligung")).hits[0]
    assert "<mark>Bürgerbeteiligung</mark>" in hit.highlights["short_de"]
    parking = service.search(SearchRequest(text="parking app")).hits[0]
    assert "<mark>parking</mark>" in parking.highlights["short_en"]
    # "Parkraum" is marked too: the concept of parking (search/data/concepts.toml)
    assert parking.highlights["name"] == "<mark>Parkraum</mark>-<mark>App</mark>"


def test_highlights_can_be_switched_off(service):
    hit = service.search(SearchRequest(text="Bürgerbeteiligung", highlight=False)).hits[0]
    assert hit.highlights == {}


def test_empty_query_lists_everything_by_name(service, engine):
    from registry.db import session_scope
    from search.documents import shown_versions

    with session_scope(engine) as session:
        expected = set(shown_versions(session))
    results = service.search(SearchRequest(per_page=100))
    assert results.total == len(expected)
    assert results.sort == "name"
    assert {hit.id for hit in results.hits} == expected
    names = [hit.name.casefold() for hit in results.hits]
    assert names == sorted(names)
    assert all(hit.score is None for hit in results.hits)


def test_relevance_scores_descend(service):
    results = service.search(SearchRequest(text="data"))
    scores = [hit.score for hit in results.hits]
    assert results.sort == "relevance" and len(scores) > 1
    assert scores == sorted(scores, reverse=True)


def test_usedby_topics_publisher_and_region_are_searchable(service):
    assert EXAMPLE_URLS["terminbuchung"] in found(service, "Beispielburg")  # usedBy only
    assert found(service, "waste-management") == [EXAMPLE_URLS["abfallkalender"]]  # forge topic
    assert EXAMPLE_URLS["parkraum-app"] in found(service, "Zweckverband")  # publisher
    assert EXAMPLE_URLS["beteiligungsportal"] in found(service, "Bayern")  # publisher region


def test_missing_index_gives_empty_results(tmp_path):
    from search import SearchService

    results = SearchService(tmp_path / "nothing").search(SearchRequest(text="x"))
    assert results.total == 0 and results.hits == []


def test_not_excludes_and_unscored_matches_still_fill_the_page(service):
    everything = service.search(SearchRequest(per_page=100)).total
    results = service.search(SearchRequest(text="NOT Bürgerbeteiligung", per_page=5))
    assert results.total == everything - 1
    assert len(results.hits) == 5
    assert EXAMPLE_URLS["beteiligungsportal"] not in found(service, "NOT Bürgerbeteiligung",
                                                           per_page=100)
    assert EXAMPLE_URLS["beteiligungsportal"] not in found(service, "Stadt NOT Umfragen",
                                                           per_page=100)
