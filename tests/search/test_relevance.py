"""Relevance, measured: the judged queries (judged_queries.toml) over the whole shared corpus.

The catalogue is built as a harvest builds it — each file validated and read
(``registry.publiccode.validate_bytes``), recorded (``registry.catalogue.record_solution``),
then the index rebuilt — and every judged query is run through the search service. The measure
is success@5: the share of queries with at least one relevant solution among the first five
hits. The floor sits a little below the measured figure (README.md, docs/search.md), so a
change that makes search find less fails here.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from registry import catalogue
from registry.config import SourceConfig
from registry.db import session_scope
from registry.publiccode import validate_bytes
from search import SearchRequest, SearchService, rebuild

from .conftest import CORPUS, REPO_ROOT, T0

JUDGED = Path(__file__).with_name("judged_queries.toml")
TOP = 5
SUCCESS_AT_5_FLOOR = 0.88
"""Measured: see README.md (Search); kept a little below so that noise does not fail it."""


def repository(path: Path) -> str:
    """``owner/name`` of a corpus file (``owner__name__1.yml``)."""
    return path.stem.rsplit("__", 1)[0].replace("__", "/")


def judged() -> list[dict]:
    return tomllib.loads(JUDGED.read_text(encoding="utf-8"))["query"]


def record_corpus(engine) -> dict[str, int]:
    """Every corpus file into the catalogue; repository → solution id (shown or not)."""
    ids = {}
    with session_scope(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(name="corpus", type="files",
                                                               path=REPO_ROOT))
        for path in sorted(CORPUS.glob("*.yml")):
            update = catalogue.record_solution(
                session, source=source, repository_url=f"https://github.com/{repository(path)}",
                result=validate_bytes(path.read_bytes()), now=T0)
            ids[repository(path)] = update.solution_id
    return ids


def top_repositories(service: SearchService, text: str) -> list[str]:
    hits = service.search(SearchRequest(text=text, per_page=TOP, highlight=False)).hits
    return [hit.url.removeprefix("https://github.com/") for hit in hits]


def judged_corpus_service(engine, index_dir, judgements: list[dict],
                          label: str) -> SearchService:
    """The corpus recorded and indexed, once every judgement is checked to name solutions the
    catalogue shows (the judged queries here, the judged needs in tests/market)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    ids = record_corpus(engine)
    rebuild(engine, index_dir)
    service = SearchService(index_dir)
    indexed = set(service.doc_ids())
    for judgement in judgements:
        hidden = [name for name in judgement["relevant"] if ids.get(name) not in indexed]
        assert not hidden, f"{judgement[label]}: not shown in the catalogue: {hidden}"
    return service


def test_judged_queries_find_a_relevant_solution_in_the_first_five(engine, tmp_path):
    queries = judged()
    service = judged_corpus_service(engine, tmp_path / "index", queries, "text")

    misses = {}
    for query in queries:
        top = top_repositories(service, query["text"])
        if not set(query["relevant"]) & set(top):
            misses[query["text"]] = top
    success = 1 - len(misses) / len(queries)
    blind = [query for query in queries if query.get("blind")]
    blind_success = 1 - sum(query["text"] in misses for query in blind) / len(blind)
    kinds = Counter(query["kind"] for query in queries)
    found = Counter(query["kind"] for query in queries if query["text"] not in misses)
    print(f"success@5 {success:.3f} over {len(queries)} judged queries; "
          f"{blind_success:.3f} over the {len(blind)} written after the vocabularies; "
          + ", ".join(f"{kind} {found[kind]}/{kinds[kind]}" for kind in kinds)
          + f"; missed: {misses}")
    assert len(queries) >= 30 and set(kinds) == {"cross-language", "compound", "abbreviation",
                                                "own-language"}
    assert success >= SUCCESS_AT_5_FLOOR, (f"success@5 {success:.2f} of {len(queries)} "
                                           f"queries; missed: {misses}")
