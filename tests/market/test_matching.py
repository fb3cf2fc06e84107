"""Matching a need to solutions: found through the search (across languages too), boosted by
what the catalogue knows, every position explained."""

from __future__ import annotations

import time

from market import match_solutions
from market.reasons import CODES
from market.words import MAX_QUERY_WORDS, informative_words
from registry.models import Need

from .conftest import OPAS, TERMINE, declare, need_of, post

LONG_TEXT = ("Die Luftqualität in der Innenstadt soll laufend überwacht werden. "
             + "Wir möchten Messwerte sammeln, auswerten und veröffentlichen. " * 80)


def codes(match) -> list[str]:
    return [reason.code for reason in match.reasons]


def test_a_german_need_finds_a_solution_described_only_in_italian(engine, service):
    need = Need(title="Luftqualität überwachen", description="Messwerte der Luft sammeln",
                field_of_action="environment")
    matches = match_solutions(engine, service, need, limit=5)
    assert matches[0].url == OPAS
    concept = next(r for r in matches[0].reasons if r.code == "concept")
    assert concept.values["query"] == "Luftqualität" and concept.values["language"] == "it"
    assert all(reason.code in CODES for match in matches for reason in match.reasons)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_words_field_and_category_are_reasons_and_raise_the_rank(engine, service):
    plain = Need(title="Termine online buchen", description="", field_of_action="")
    fitted = Need(title="Termine online buchen", description="", field_of_action="administration",
                  categories=["appointment-scheduling"])
    before = {m.url: m for m in match_solutions(engine, service, plain)}
    after = {m.url: m for m in match_solutions(engine, service, fitted)}
    words = next(r for r in before[TERMINE].reasons if r.code == "words")
    assert "Termine" in words.values["words"]
    assert {"field_of_action", "category"} <= set(codes(after[TERMINE]))
    assert after[TERMINE].score > before[TERMINE].score
    assert after[TERMINE].text_score == before[TERMINE].text_score
    assert next(r for r in after[TERMINE].reasons
                if r.code == "category").values["categories"] == ["appointment-scheduling"]


def test_boosts_never_bring_in_a_solution_the_words_did_not_find(engine, service):
    need = Need(title="Xylophonstimmgerät", description="", field_of_action="administration",
                categories=["appointment-scheduling"])
    assert match_solutions(engine, service, need) == []


def test_adoptions_and_those_in_the_need_s_land_count(engine, service, towns):
    need_id = post(engine, towns, "musterstadt", "Terminvergabe",
                   "Bürgerinnen und Bürger buchen Termine im Bürgerbüro online.",
                   "administration")
    need = need_of(engine, need_id)

    def used_by():
        match = next(m for m in match_solutions(engine, service, need) if m.url == TERMINE)
        reason = next((r for r in match.reasons if r.code == "used_by"), None)
        return match.score, dict(reason.values) if reason else {"count": 0, "in_land": 0}

    score, before = used_by()
    declare(engine, towns, "nordhafen", TERMINE)  # Schleswig-Holstein
    score_elsewhere, elsewhere = used_by()
    assert elsewhere["count"] == before["count"] + 1 and elsewhere["land"] == "Bayern"
    assert elsewhere["in_land"] == before["in_land"] and score_elsewhere > score
    declare(engine, towns, "beispielheim", TERMINE)  # Bayern, like Musterstadt
    score_here, here = used_by()
    assert here["count"] == before["count"] + 2 and here["in_land"] == before["in_land"] + 1
    assert score_here > score_elsewhere


def test_a_long_description_is_searched_as_a_few_informative_words(engine, service):
    words = informative_words("Luftqualität", LONG_TEXT)
    assert len(words) <= MAX_QUERY_WORDS and words[0] == "Luftqualität"
    assert not {"möchten", "wir", "die", "soll"} & {w.lower() for w in words}
    need = Need(title="Luftqualität", description=LONG_TEXT, field_of_action="environment")
    match_solutions(engine, service, need)  # warm: the first query loads the compound model
    started = time.perf_counter()
    matches = match_solutions(engine, service, need, limit=5)
    assert time.perf_counter() - started < 2.0  # generous: a bound, not a benchmark
    assert OPAS in [m.url for m in matches]


def test_the_need_s_categories_are_honoured_only_when_the_solution_has_them(engine, service):
    need = Need(title="Luftqualität", description="", field_of_action="environment",
                categories=["appointment-scheduling"], operating_models=["saas"])
    match = match_solutions(engine, service, need)[0]
    assert match.url == OPAS
    assert "category" not in codes(match)
    assert "operating_model" not in codes(match)  # the catalogue knows nothing of it here
