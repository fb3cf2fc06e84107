"""Finding a solution in the reader's words: compounds, abbreviations, other languages.

Compound splitting and the vocabularies are checked on their own first, then through the real
service over the test catalogue (examples, corpus slice), where each hit says what found it.
"""

from __future__ import annotations

import re

import pytest

from search import SearchRequest, compounds, reindex
from search.analysis import PART_WEIGHT, WORD_PATTERN, german_analyzer
from search.expansion import units
from search.languages import STEMMED_LANGUAGES
from search.vocabulary import analysed, vocabulary

from .conftest import EXAMPLE_URLS, SCRIPT_YAML, record


@pytest.mark.parametrize(("word", "halves"), [
    ("restmüll", ("rest", "müll")), ("sitzungsdienst", ("sitzungs", "dienst")),
    ("bürgerbeteiligung", ("bürger", "beteiligung")),
    ("hinweisgebersystem", ("hinweisgeber", "system")), ("lärmmessung", ("lärm", "messung")),
    ("zahlungsplattform", ("zahlungs", "plattform")), ("abfallkalender", ("abfall", "kalender")),
    ("ratsinformationssystem", ("rats", "informationssystem"))])
def test_german_compounds_split_into_their_halves(word, halves):
    assert compounds.halves(word, "de") == halves


def test_parts_go_on_splitting_and_keep_the_inner_compounds():
    assert compounds.parts("ratsinformationssystem", "de") == (
        "rats", "informationssystem", "informations", "system")
    assert compounds.parts("afvalkalender", "nl") == ("afval", "kalender")


@pytest.mark.parametrize("word", ["verwaltung", "sitzungen", "bürger", "kalender", "müll",
                                  "information", "beteiligung", "kita"])
def test_words_that_are_no_compounds_stay_whole(word):
    assert compounds.parts(word, "de") == ()


def test_only_languages_with_a_model_are_split():
    assert compounds.parts("abfallkalender", "it") == ()


def alternatives(text: str) -> dict[str, set[tuple[str, str]]]:
    words = list(re.finditer(WORD_PATTERN, text))
    return {unit.text: {(a.kind, a.term) for a in unit.alternatives}
            for unit in units(text, words)}


def test_abbreviations_expand_both_ways():
    assert ("abbreviation", "künstliche Intelligenz") in alternatives("KI")["KI"]
    assert ("abbreviation", "KI") in alternatives("künstliche Intelligenz")[
        "künstliche Intelligenz"]
    assert ("abbreviation", "elektronische Akte") in alternatives("E-Akte")["E-Akte"]
    # and the long form's concept carries the abbreviation into the other languages
    assert ("concept", "artificial intelligence") in alternatives("ki")["ki"]


def test_concepts_cross_languages_and_follow_stemming():
    assert {("concept", "noise"), ("concept", "rumore")} <= alternatives("Lärm")["Lärm"]
    assert ("concept", "payment") in alternatives("Zahlungen")["Zahlungen"]
    assert ("concept", "Lärm") in alternatives("rumore")["rumore"]


def test_a_compound_is_also_searched_as_its_parts_with_their_concepts():
    [unit] = units("Lärmmessung", list(re.finditer(WORD_PATTERN, "Lärmmessung")))
    [compound] = [a for a in unit.alternatives if a.kind == "compound"]
    assert compound.term == "Lärm + Messung"
    assert [part.text for part in compound.parts] == ["lärm", "messung"]
    assert "noise" in {a.term for a in compound.parts[0].alternatives}


def test_long_queries_are_not_expanded():
    text = "eins zwei drei vier fünf sechs sieben acht neun Lärm"
    assert all(not unit.alternatives for unit in units(text, list(re.finditer(WORD_PATTERN,
                                                                               text))))


def test_every_concept_term_is_a_word_its_language_can_analyse():
    for terms in vocabulary().concepts:
        assert {term.language for term in terms} <= set(STEMMED_LANGUAGES)
        for term in terms:
            assert analysed(term.text, term.language), term


# -- through the service ----------------------------------------------------------------------

def found(service, text: str) -> list[str]:
    return [hit.url for hit in service.search(SearchRequest(text=text)).hits]


def test_a_part_of_a_compound_finds_the_compound_and_marks_it(service):
    hit = next(h for h in service.search(SearchRequest(text="Müll")).hits
               if h.url == EXAMPLE_URLS["abfallkalender"])
    assert "<mark>Restmüll</mark>" in hit.highlights["long_de"]
    assert hit.matched_via == ()  # the German text has the word, as a part


def test_parts_are_indexed_beside_the_whole_word_with_less_weight():
    tokens = [(t.text, t.boost, t.startchar) for t in german_analyzer()(
        "Der Restmüll", mode="index", chars=True, boosts=True)]
    assert tokens == [("restmull", 1.0, 4), ("rest", PART_WEIGHT, 4),
                      ("mull", PART_WEIGHT, 4)]
    assert [t.text for t in german_analyzer()("Restmüll", mode="query")] == ["restmull"]


def test_sitzungsdienst_finds_the_council_information_systems(service):
    urls = found(service, "Sitzungsdienst")
    assert EXAMPLE_URLS["ratsinfo-light"] in urls[:3]


WHISTLEBLOWING_URL = "https://git.example/allmende-demo/whistleblowing"


def whistleblowing_yaml() -> bytes:
    """An English-only solution, as many in the catalogue are."""
    start = SCRIPT_YAML.index("description:")
    end = SCRIPT_YAML.index("legal:")
    text = (SCRIPT_YAML[:start] + "description:\n  en:\n    shortDescription: >-\n"
            "      A secure whistleblowing channel for public bodies.\n"
            "    longDescription: >\n"
            "      Staff report misconduct anonymously; the integrity office answers them\n"
            "      through an encrypted mailbox, as the EU directive requires. Reports are\n"
            "      kept apart from every other system of the administration.\n"
            "    features:\n      - Anonymous reports\n\n" + SCRIPT_YAML[end:])
    text = text.replace("name: Abfallkalender", "name: Integrity Channel")
    text = text.replace(EXAMPLE_URLS["abfallkalender"], WHISTLEBLOWING_URL)
    return text.replace("  availableLanguages:\n    - de", "  availableLanguages:\n    - en"
                        ).encode()


def test_a_german_query_finds_an_english_description_and_says_through_which_word(
        engine, index_dir, service):
    record(engine, WHISTLEBLOWING_URL, whistleblowing_yaml())
    reindex(engine, index_dir, [WHISTLEBLOWING_URL])

    hits = service.search(SearchRequest(text="Hinweisgebersystem")).hits

    assert hits[0].url == WHISTLEBLOWING_URL
    via = hits[0].matched_via[0]
    assert (via.query, via.term, via.language, via.kind) == (
        "Hinweisgebersystem", "whistleblowing", "en", "concept")
    assert str(via) == "whistleblowing ≈ Hinweisgebersystem"
    assert "<mark>whistleblowing</mark>" in hits[0].highlights["short_en"]


def test_an_abbreviation_finds_the_long_form(service):
    hits = service.search(SearchRequest(text="RIS")).hits
    council = next(h for h in hits if h.url == EXAMPLE_URLS["ratsinfo-light"])
    assert any(v.kind == "abbreviation" and v.term == "Ratsinformationssystem"
               for v in council.matched_via)


def test_alternatives_rank_below_the_words_typed(service):
    results = service.search(SearchRequest(text="Bürgerbeteiligung"))
    assert results.hits[0].url == EXAMPLE_URLS["beteiligungsportal"]
    assert results.hits[0].matched_via == ()
    assert all(hit.matched_via for hit in results.hits[1:])
