"""Solutions for a need, ranked by fit and explained: one implementation on the catalogue search.

``match_solutions(engine_or_session, search, need)``:

1. The need's text (title and description) becomes at most ``market.words.MAX_QUERY_WORDS``
   informative units (market/words.py). Each unit is one ``SearchService`` query, so the
   search's analysis applies unchanged — stemming in five languages, compounds,
   abbreviations, concepts across languages — and every hit says *which* of the need's words
   found it and, through ``Hit.matched_via``, across which language. A unit that finds
   nothing costs one cheap query and adds nothing.
2. A solution's text score is the sum of its units' search scores (any unit may match, like
   an OR of them), divided by the best candidate's: ``text`` ∈ (0, 1].
3. Only the ``CANDIDATES`` best by text are considered further; boosts are added for what
   the catalogue knows beside the text (``BOOSTS``): the need's field of action among the
   fields the solution's scopes and categories point to, the need's categories, adoptions
   (and adoptions in the need's Land), the maintenance level, and the operating model where
   the catalogue says anything about it (a maintenance contract: a company looks after it).
4. ``score = text + boosts``; each boost is a :class:`~market.reasons.Reason`.

A solution is only ever a match through its text: the boosts reorder what the words found,
they never bring in a solution the words did not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.models import Adoption, Need, Organisation, Publisher, Solution
from registry.models.catalogue import shown_in_catalogue
from registry.needs.vocabulary import fields_for
from search import Hit, SearchRequest, SearchService, index_generation
from search.lru import BoundedLRU

from .reasons import Reason
from .words import informative_units

PER_UNIT = 30
"""Hits read per unit: a solution outside every unit's first thirty is not a fit."""
CANDIDATES = 40
"""Solutions scored beyond their text (their catalogue facts are read)."""
BOOSTS = {
    "field_of_action": 0.30,
    "category": 0.20,
    "used_by": 0.15,
    "in_land": 0.10,
    "maintained": 0.06,
    "operating_model": 0.05,
}
"""The most each reason adds to a text score of at most 1 (docs/needs.md)."""
USED_BY_HALF = 3
"""Adoptions at which the ``used_by`` boost reaches half its maximum (it saturates)."""
MAX_LEVEL = 3
DESCRIPTION_WEIGHT = 0.7
"""A word only the description has counts this much of a title's word."""
PROVIDER_MODELS = ("it_provider", "saas")
"""Operating models a maintenance contract speaks for: someone is paid to look after it."""


@dataclass(frozen=True, slots=True)
class SolutionMatch:
    id: int
    name: str
    url: str
    score: float
    text_score: float
    """The share of the best candidate's text score, (0, 1]."""
    reasons: tuple[Reason, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "url": self.url, "score": self.score,
                "reasons": [reason.to_json() for reason in self.reasons]}


@dataclass(slots=True)
class SolutionFacts:
    """What matching reads of a solution beside its text."""

    id: int
    categories: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    level: int = 0
    maintenance_type: str | None = None
    adopters: list[Adopter] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Adopter:
    """One adoption row: the organisation, where known, and its Land."""

    name: str
    organisation_id: int | None
    land: str | None


class CatalogueFacts:
    """Facts of solutions, read in one query for the ids not yet read and kept: one need reads
    its candidates; a recompute of many needs reads each solution once."""

    def __init__(self, session: Session):
        self.session = session
        self._facts: dict[int, SolutionFacts | None] = {}
        self._organisations: dict[int, Organisation] | None = None

    def get(self, ids: Iterable[int]) -> dict[int, SolutionFacts]:
        ids = list(dict.fromkeys(ids))
        missing = [i for i in ids if i not in self._facts]
        if missing:
            self._load(missing)
        return {i: facts for i in ids if (facts := self._facts.get(i)) is not None}

    def organisation(self, organisation_id: int | None) -> Organisation | None:
        if organisation_id is None:
            return None
        return self.session.get(Organisation, organisation_id)

    def _load(self, ids: list[int]) -> None:
        for i in ids:
            self._facts[i] = None
        rows = self.session.exec(select(Solution.id, Solution.categories,
                                        Solution.intended_audience, Solution.signals,
                                        Solution.maintenance_type)
                                 .where(Solution.id.in_(ids), shown_in_catalogue())).all()
        for solution_id, categories, audience, signals, maintenance_type in rows:
            categories = tuple(c for c in categories or () if isinstance(c, str))
            scopes = (audience or {}).get("scope") or ()
            scopes = tuple(s for s in scopes if isinstance(s, str)) if isinstance(
                scopes, list) else ()
            level = (signals or {}).get("level")
            self._facts[solution_id] = SolutionFacts(
                id=solution_id, categories=categories, fields=tuple(fields_for(scopes, categories)),
                level=level if isinstance(level, int) and not isinstance(level, bool) else 0,
                maintenance_type=maintenance_type)
        linked = adopters(self.session, ids)
        for solution_id, found in linked.items():
            if (facts := self._facts.get(solution_id)) is not None:
                facts.adopters = found


def adopters(session: Session, solution_ids: Iterable[int]) -> dict[int, list[Adopter]]:
    """Solution id → its visible adoptions, each with the organisation it is linked to.

    Declared adoptions name their organisation; a usedBy entry is linked to the organisation
    whose catalogue publisher it names, else to one of exactly its name (case-insensitive).
    The Land is the organisation's, else the named publisher's region."""
    ids = list(solution_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Adoption.solution_id, Adoption.organisation, Adoption.organisation_id,
               Adoption.publisher_id, Publisher.region)
        .join(Publisher, Publisher.id == Adoption.publisher_id, isouter=True)
        .where(Adoption.solution_id.in_(ids), Adoption.hidden_at.is_(None))
        .order_by(Adoption.id)).all()
    publisher_ids = {row[3] for row in rows if row[3] is not None and row[2] is None}
    names = {row[1].casefold() for row in rows if row[2] is None}
    by_publisher: dict[int, tuple[int, str | None]] = {}
    by_name: dict[str, tuple[int, str | None]] = {}
    if publisher_ids or names:
        conditions = []
        if publisher_ids:
            conditions.append(Organisation.publisher_id.in_(publisher_ids))
        if names:
            conditions.append(sa.func.lower(Organisation.name).in_(names))
        for organisation_id, name, publisher_id, state in session.exec(
                select(Organisation.id, Organisation.name, Organisation.publisher_id,
                       Organisation.state).where(sa.or_(*conditions))
                .order_by(Organisation.id)).all():
            if publisher_id is not None:
                by_publisher.setdefault(publisher_id, (organisation_id, state))
            by_name.setdefault(name.casefold(), (organisation_id, state))
    states = dict(session.exec(select(Organisation.id, Organisation.state).where(
        Organisation.id.in_({row[2] for row in rows if row[2] is not None}))).all()) \
        if any(row[2] is not None for row in rows) else {}
    found: dict[int, list[Adopter]] = {}
    for solution_id, name, organisation_id, publisher_id, region in rows:
        land = None
        if organisation_id is not None:
            land = states.get(organisation_id)
        else:
            linked = (by_publisher.get(publisher_id) if publisher_id is not None else None) \
                or by_name.get(name.casefold())
            if linked is not None:
                organisation_id, land = linked
        found.setdefault(solution_id, []).append(
            Adopter(name=name, organisation_id=organisation_id, land=land or region))
    return found


def match_solutions(engine_or_session: Engine | Session, search: SearchService | str | Path,
                    need: Need, *, limit: int = 10,
                    facts: CatalogueFacts | None = None) -> list[SolutionMatch]:
    """The ``limit`` best solutions for ``need``, each with its reasons, best first.

    ``need`` may be a stored :class:`Need` or one made only to match (the CLI's); its
    organisation, if any, gives the Land for ``used_by.in_land``. ``facts`` lets a caller
    matching many needs read each solution's catalogue facts once."""
    service = search if isinstance(search, SearchService) else SearchService(search)
    found = _text_matches(service, need)
    if not found:
        return []
    best = max(entry.score for entry in found.values())
    ranked = sorted(found.values(), key=lambda e: (-e.score, e.order))[:CANDIDATES]
    with session_for(engine_or_session) as session:
        facts = facts if facts is not None else CatalogueFacts(session)
        known = facts.get(entry.id for entry in ranked)
        organisation = facts.organisation(need.organisation_id)
        land = organisation.state if organisation is not None else None
        matches = []
        for entry in ranked:
            text = entry.score / best
            boosts, reasons = _boosts(need, known.get(entry.id), land)
            matches.append(SolutionMatch(
                id=entry.id, name=entry.name, url=entry.url, score=round(text + boosts, 4),
                text_score=round(text, 4), reasons=(*entry.reasons(), *reasons)))
    matches.sort(key=lambda m: (-m.score, -m.text_score, m.name.casefold(), m.id))
    return matches[:limit]


@dataclass(slots=True)
class _Found:
    id: int
    name: str
    url: str
    order: int
    score: float = 0.0
    words: list[str] = field(default_factory=list)
    via: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def reasons(self) -> list[Reason]:
        found = []
        if self.words:
            found.append(Reason("words", {"words": list(self.words)}))
        for via in self.via.values():
            if via.kind == "concept":
                found.append(Reason("concept", {"query": via.query, "term": via.term,
                                                "language": via.language}))
            else:
                found.append(Reason(via.kind, {"query": via.query, "term": via.term}))
        return found


def _text_matches(service: SearchService, need: Need) -> dict[int, _Found]:
    """Solution id → its text score and the units that found it.

    Each unit's hits are scored relative to that unit's best hit (a word with many
    cross-language terms scores high in absolute terms, not in fit), times the unit's weight:
    ``DESCRIPTION_WEIGHT`` for a word only the description has, times how rare the unit is
    in the index (an idf from the unit's number of hits and the number of documents)."""
    found: dict[int, _Found] = {}
    documents = None
    generation = index_generation(service.index_dir)
    for unit in informative_units(need.title, need.description or ""):
        total, hits = _unit_hits(service, unit.text, generation)
        if not hits or not hits[0].score:
            continue
        documents = documents or _documents(service, generation)
        rarity = math.log(1 + documents / total) / math.log(1 + documents)
        weight = (1.0 if unit.in_title else DESCRIPTION_WEIGHT) * rarity
        best = hits[0].score
        for hit in hits:
            entry = found.get(hit.id)
            if entry is None:
                entry = found[hit.id] = _Found(hit.id, hit.name, hit.url, len(found))
            entry.score += weight * (hit.score or 0.0) / best
            if hit.matched_via:
                for via in hit.matched_via:  # one per word and language: the first term
                    entry.via.setdefault((via.kind, via.query, via.language), via)
            elif unit.text not in entry.words:
                entry.words.append(unit.text)
    return found


def _boosts(need: Need, facts: SolutionFacts | None,
            land: str | None) -> tuple[float, list[Reason]]:
    if facts is None:
        return 0.0, []
    boost, reasons = 0.0, []
    if need.field_of_action and need.field_of_action in facts.fields:
        boost += BOOSTS["field_of_action"]
        reasons.append(Reason("field_of_action", {"field": need.field_of_action}))
    shared = [c for c in need.categories or () if c in facts.categories]
    if shared:
        boost += BOOSTS["category"]
        reasons.append(Reason("category", {"categories": shared}))
    for reason, share in standing(facts, land):
        boost += BOOSTS[reason.code] * share
        if reason.code == "used_by" and reason.values["in_land"]:
            boost += BOOSTS["in_land"]
        reasons.append(reason)
    wanted = [m for m in need.operating_models or () if m in PROVIDER_MODELS]
    if wanted and facts.maintenance_type == "contract":
        boost += BOOSTS["operating_model"]
        reasons.append(Reason("operating_model", {"model": wanted[0],
                                                  "basis": "maintenance_contract"}))
    return boost, reasons


def standing(facts: SolutionFacts, land: str | None = None) -> list[tuple[Reason, float]]:
    """What a town weighs beside the fit: adoptions (those in ``land`` counted apart) and the
    maintenance level, each as a reason and the share (0–1] of its weight it earns; adoptions
    saturate, half at ``USED_BY_HALF``. For need matching and for alternatives alike."""
    found: list[tuple[Reason, float]] = []
    if facts.adopters:
        count = len(facts.adopters)
        in_land = sum(1 for a in facts.adopters if land and a.land == land)
        found.append((Reason("used_by", {"count": count, "in_land": in_land, "land": land}),
                      count / (count + USED_BY_HALF)))
    if facts.level > 0:
        level = min(facts.level, MAX_LEVEL)
        found.append((Reason("maintained", {"level": level}), level / MAX_LEVEL))
    return found


@contextmanager
def session_for(engine_or_session: Engine | Session):  # type: ignore[no-untyped-def]
    """The caller's session, or one of its own on the engine (closed afterwards)."""
    if isinstance(engine_or_session, Session):
        yield engine_or_session
    else:
        with Session(engine_or_session) as session:
            yield session



CACHED_UNITS = 16_384
"""Units whose hits are kept per index generation: needs share most of their words, so a
recompute of every need searches each word once; a commit to the index starts afresh."""
_UNITS = BoundedLRU(CACHED_UNITS)
"""(index directory, generation, unit) → (number of hits, the first ``PER_UNIT``)."""


def _unit_hits(service: SearchService, text: str,
               generation: str | None) -> tuple[int, tuple[Hit, ...]]:
    """(number of hits, the first ``PER_UNIT``) for one unit, cached per index generation."""
    def search() -> tuple[int, tuple[Hit, ...]]:
        # The trailing space: the unit is a whole word, not a prefix being typed. No spelling
        # suggestion ("Meinten Sie"): matching never shows one, and it cost a unit without
        # hits most of its time; no facet counts either.
        results = service.search(SearchRequest.ranking_only(f"{text} ", per_page=PER_UNIT))
        return results.total, tuple(results.hits)

    return _UNITS.get((str(service.index_dir), generation, text), search)


def _documents(service: SearchService, generation: str | None) -> int:
    """The number of indexed solutions (cached like a unit, under an empty text)."""
    def count() -> tuple[int, tuple[Hit, ...]]:
        return max(1, service.search(SearchRequest.ranking_only(per_page=1)).total), ()

    return _UNITS.get((str(service.index_dir), generation, ""), count)[0]
