"""Open alternatives to a proprietary product, each with why it is listed (issue 13, lock-in exit).

``alternatives_for(engine_or_session, search, product)`` derives them from the catalogue:

1. **It says it replaces the product** (``replaces``): a solution whose description names the
   product right after a lead phrase — "eine Alternative zu Doodle", "instead of
   SurveyMonkey" (``registry.alternatives.replaced_products``). Candidates are what the
   search finds for the product's names; the description then decides. A solution that only
   *mentions* the product ("exports to Excel") is not listed for that.
2. **Does the same job** (``same_purpose``): the solutions the search ranks first for the
   words of what the product does — its own ``purpose`` or its kind's
   (``registry.alternatives.purpose_terms``: "Ratsinformationssystem", "Texterkennung"), in
   any language through the search's concepts.
3. **Same categories** (``category``): solutions in the publiccode.yml categories the
   vocabulary gives the product (a survey tool for Doodle's ``surveys``), best adopted first.

Both are ranked together: saying it replaces the product counts most, each shared category
less, and adoptions and maintenance (the same ``used_by``/``maintained`` reasons as need matching,
read through ``market.matching.CatalogueFacts``) order the rest. Alternatives declared by
maintainers and by adopting towns are the next step (docs/alternatives.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.alternatives import Product, purpose_terms, replaced_products
from registry.models import Solution
from registry.models.catalogue import shown_in_catalogue
from search import SearchRequest, SearchService

from .matching import CatalogueFacts, SolutionFacts, session_for, standing
from .reasons import Reason

WEIGHTS = {"replaces": 1.0, "same_purpose": 0.75, "category": 0.5, "used_by": 0.3,
           "maintained": 0.1}
"""What each reason adds to an alternative's score: ``category`` per shared category, so a
solution that fits more of the product's categories comes before a better adopted one that
fits fewer (adoptions and maintenance together add less than one category: they order
equals). Measured on the judged queries (tests/market/judged_alternatives.toml): one bonus
for any shared category gave success@5 0.722, one per category 0.806, with ``same_purpose``
0.972 (0.889 with the kinds' words alone; docs/alternatives.md)."""
CANDIDATES = 60
"""Solutions read per source (the product's names searched; its categories filtered)."""
SHOWN_WITH_SEARCH = 5
"""Alternatives listed above a search's results when the query names a product (the search
page and ``allmende search`` alike)."""
ADOPTERS_SHOWN = 5
PER_PURPOSE = 5
"""Solutions taken per word of the product's job: the search's best few, not all it finds."""


@dataclass(frozen=True, slots=True)
class Alternative:
    id: int
    name: str
    url: str
    score: float
    reasons: tuple[Reason, ...] = ()
    adopters: tuple[str, ...] = ()
    """Who uses it (usedBy and declared adoptions), at most ``ADOPTERS_SHOWN``: the towns a
    town leaving the product can ask."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "url": self.url, "score": self.score,
                "adopters": list(self.adopters),
                "reasons": [reason.to_json() for reason in self.reasons]}


@dataclass(slots=True)
class _Candidate:
    id: int
    name: str
    url: str
    order: int
    reasons: list[Reason] = field(default_factory=list)
    score: float = 0.0
    adopters: tuple[str, ...] = ()


def alternatives_for(engine_or_session: Engine | Session, search: SearchService | str | Path,
                     product: Product, *, limit: int = 10) -> list[Alternative]:
    """The ``limit`` best open alternatives to ``product`` in the catalogue, best first."""
    service = search if isinstance(search, SearchService) else SearchService(search)
    candidates: dict[int, _Candidate] = {}
    with session_for(engine_or_session) as session:
        named = _named(service, product)
        texts = _description_texts(session, [hit.id for hit in named])
        for hit in named:
            if product in replaced_products(texts.get(hit.id, "")):
                entry = _entry(candidates, hit)
                entry.reasons.append(Reason("replaces", {"product": product.name}))
                entry.score += WEIGHTS["replaces"]
        for term in purpose_terms(product):
            results = service.search(SearchRequest.ranking_only(f"{term} ",
                                                                per_page=PER_PURPOSE))
            for hit in results.hits:
                entry = _entry(candidates, hit)
                if not any(reason.code == "same_purpose" for reason in entry.reasons):
                    entry.reasons.append(Reason("same_purpose", {"term": term}))
                    entry.score += WEIGHTS["same_purpose"]
        facts = CatalogueFacts(session)
        if product.categories:
            results = service.search(SearchRequest.ranking_only(
                filters={"category": list(product.categories)}, sort="adopted",
                per_page=CANDIDATES))
            in_category = facts.get(hit.id for hit in results.hits)
            for hit in results.hits:
                shared = [c for c in product.categories
                          if hit.id in in_category and c in in_category[hit.id].categories]
                if shared:
                    entry = _entry(candidates, hit)
                    entry.reasons.append(Reason("category", {"categories": shared}))
                    entry.score += WEIGHTS["category"] * len(shared)
        known = facts.get(candidates)  # what the categories read is not read again
        for entry in candidates.values():
            _add_standing(entry, known.get(entry.id))
    ranked = sorted(candidates.values(),
                    key=lambda e: (-e.score, e.name.casefold(), e.id))[:limit]
    return [Alternative(e.id, e.name, e.url, round(e.score, 4), tuple(e.reasons), e.adopters)
            for e in ranked]


def _named(service: SearchService, product: Product) -> list[Any]:
    """Solutions whose text has one of the product's names (as a phrase), first by relevance."""
    hits: dict[int, Any] = {}
    for name in (product.name, *product.aliases):
        phrase = name.replace('"', " ").strip()
        if not phrase:
            continue
        results = service.search(SearchRequest.ranking_only(f'"{phrase}"',
                                                            per_page=CANDIDATES))
        for hit in results.hits:
            hits.setdefault(hit.id, hit)
    return list(hits.values())


def _description_texts(session: Session, solution_ids: list[int]) -> dict[int, str]:
    """Id → every language's short and long description and features, for shown solutions
    (one query for all)."""
    if not solution_ids:
        return {}
    rows = session.exec(select(Solution.id, Solution.descriptions).where(
        Solution.id.in_(solution_ids), shown_in_catalogue())).all()
    return {solution_id: _text_of(descriptions or {}) for solution_id, descriptions in rows}


def _text_of(descriptions: dict[str, Any]) -> str:
    parts: list[str] = []
    for description in descriptions.values():
        if not isinstance(description, dict):
            continue
        for key in ("short", "long"):  # as registry.normalise stores them
            if isinstance(description.get(key), str):
                parts.append(description[key])
        parts += [f for f in description.get("features") or () if isinstance(f, str)]
    return "\n".join(parts)


def _entry(candidates: dict[int, _Candidate], hit: Any) -> _Candidate:
    entry = candidates.get(hit.id)
    if entry is None:
        entry = candidates[hit.id] = _Candidate(hit.id, hit.name, hit.url, len(candidates))
    return entry


def _add_standing(entry: _Candidate, facts: SolutionFacts | None) -> None:
    """Adoptions and maintenance: reasons a town weighs, and the order among equals."""
    if facts is not None:
        entry.adopters = tuple(dict.fromkeys(a.name for a in facts.adopters))[:ADOPTERS_SHOWN]
    for reason, share in standing(facts) if facts is not None else ():
        entry.score += WEIGHTS[reason.code] * share
        entry.reasons.append(reason)
