"""At equal text relevance, better metadata and maintained solutions first — and only then."""

from __future__ import annotations

from sqlmodel import select

from registry.db import session_scope
from registry.models import Solution
from search import SearchRequest, reindex
from search.prior import PRIOR_WEIGHT, factor, prior

from .conftest import EXAMPLE_URLS, PORTAL_BYTES, record


def test_the_prior_is_half_grade_half_maintenance():
    assert prior("complete", 3) == 100
    assert prior("readable", None) == 0
    assert prior("valid", 0) == 25
    assert prior("readable", 3) == 50
    assert prior(None, 7) == 50  # a level above the ladder counts as its top
    assert factor(100) == 1 + PRIOR_WEIGHT and factor(None) == 1


def set_level(engine, url: str, level: int) -> None:
    with session_scope(engine) as session:
        solution = session.exec(select(Solution).where(Solution.url == url)).one()
        solution.signals = {"level": level}
        session.add(solution)
        session.commit()


def test_of_two_equal_text_matches_the_maintained_one_comes_first(engine, index_dir, service):
    portal = EXAMPLE_URLS["beteiligungsportal"]
    twin = "https://git.example/allmende-demo/beteiligungsportal-zwilling"
    record(engine, twin, PORTAL_BYTES.replace(b"allmende-demo/beteiligungsportal",
                                              b"allmende-demo/beteiligungsportal-zwilling"))
    set_level(engine, twin, 3)
    reindex(engine, index_dir, [portal, twin])

    first, second = service.search(SearchRequest(text="Bürgerbeteiligung")).hits[:2]

    assert [first.url, second.url] == [twin, portal]
    assert first.score > second.score


def test_a_clearly_better_text_match_keeps_its_place(engine, index_dir, service):
    results = service.search(SearchRequest(text="Bürgerbeteiligung"))
    best, runner_up = results.hits[0], results.hits[1]
    set_level(engine, runner_up.url, 3)
    reindex(engine, index_dir, [runner_up.url])

    assert service.search(SearchRequest(text="Bürgerbeteiligung")).hits[0].url == best.url
