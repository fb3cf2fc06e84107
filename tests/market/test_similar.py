"""Similar solutions, in any language, with reasons: a solution matched as if it were a need
(market/similar.py), on the search tests' catalogue (examples and the shared corpus)."""

from __future__ import annotations

from market.similar import as_need, similar_solutions
from registry.models import Solution
from tests.search.conftest import EXAMPLE_URLS

TERMINVERGABE = "https://github.com/Aitema-gmbh/terminvergabe"


def reasons(match) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for reason in match.reasons:
        found.setdefault(reason.code, []).append(dict(reason.values))
    return found


def test_the_most_similar_shares_category_and_words_across_languages(engine, catalogue_ids,
                                                                     index_dir):
    own = catalogue_ids[EXAMPLE_URLS["terminbuchung"]]
    found = similar_solutions(engine, index_dir, own)
    assert found[0].url == TERMINVERGABE
    why = reasons(found[0])
    assert why["category"] == [{"categories": ["appointment-scheduling"]}]
    assert {"query": "Terminvereinbarung", "term": "appointment", "language": "en"} in \
        why["concept"]
    assert own not in {match.id for match in found}


def test_a_german_description_finds_italian_ones(engine, catalogue_ids, index_dir):
    found = similar_solutions(engine, index_dir,
                              catalogue_ids[EXAMPLE_URLS["beteiligungsportal"]])
    italian = [match for match in found
               if any(value.get("language") == "it"
                      for value in reasons(match).get("concept", []))]
    assert italian, [(m.name, m.reasons) for m in found]


def test_one_common_word_is_not_similarity(engine, catalogue_ids, index_dir):
    """The parking app shares only "App" and "finden" with others: nothing is similar."""
    assert similar_solutions(engine, index_dir,
                             catalogue_ids[EXAMPLE_URLS["parkraum-app"]]) == []


def test_a_solution_without_description_has_nothing_to_match_by():
    assert as_need(Solution(url="https://x.example/a", source_id=1, status="valid",
                            descriptions={})) is None
    need = as_need(Solution(url="https://x.example/b", source_id=1, status="valid",
                            name="B", categories=["survey"],
                            descriptions={"it": {"short": "Questionari", "features": ["X"]}}))
    assert need is not None and need.title == "Questionari" and need.categories == ["survey"]
