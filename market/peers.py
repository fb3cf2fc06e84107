"""Organisations for a need, and organisations like one's own ("Kommunen wie wir").

``organisations_for_need``: who could tell the town about the solutions found — the
organisations using them (declared adoptions, and usedBy entries linked to an organisation,
market.matching.adopters) — and who is looking for the same thing or found it already (open,
in exchange or solved needs in the same field of action whose words or categories overlap).
The need's own organisation is never among them.

``similar_organisations``: the same kind of body and size class by population in the same
Land, needs in the same fields of action, the same solutions in use.

Scores only order the list; each organisation carries the reasons it is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from registry.models import Adoption, Need, Organisation, Solution

from .matching import SolutionMatch, adopters
from .reasons import Reason
from .words import word_keys

PEER_SOLUTIONS = 5
"""Users of the first five solutions found are suggested."""
SIMILAR_STATUSES = ("open", "in_exchange", "solved")
MIN_SHARED_WORDS = 2
"""Words two needs of one field must share to be similar (one shared category also does)."""
WEIGHTS = {"uses": 1.0, "similar_need": 1.5, "same_land": 0.3, "same_kind": 1.0,
           "shared_field": 0.5, "shared_solution": 1.0}
SIZE_CLASSES = ((5_000, "small"), (20_000, "town"), (100_000, "medium"))
"""Population below 5,000: small (Landgemeinde); below 20,000: town (Kleinstadt); below
100,000: medium (Mittelstadt); else city (Großstadt) — the usual German size classes."""


@dataclass(slots=True)
class OrganisationMatch:
    id: int
    name: str
    slug: str
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "slug": self.slug,
                "score": round(self.score, 4),
                "reasons": [reason.to_json() for reason in self.reasons]}


def organisations_for_need(session: Session, need: Need,
                           solution_matches: Sequence[SolutionMatch], *,
                           limit: int = 10) -> list[OrganisationMatch]:
    """Organisations using the need's first solutions or with a similar need, best first."""
    own = session.get(Organisation, need.organisation_id) if need.organisation_id else None
    found: dict[int, OrganisationMatch] = {}
    top = list(solution_matches[:PEER_SOLUTIONS])
    users = adopters(session, [match.id for match in top])
    for rank, match in enumerate(top):
        seen: set[int] = set()
        for adopter in users.get(match.id, ()):
            if adopter.organisation_id is None or adopter.organisation_id in seen:
                continue
            seen.add(adopter.organisation_id)
            entry = _entry(session, found, adopter.organisation_id)
            if entry is None:
                continue
            entry.score += WEIGHTS["uses"] / (1 + rank)
            entry.reasons.append(Reason("uses", {"solution_id": match.id,
                                                 "solution": match.name}))
    for other, words, categories in _similar_needs(session, need):
        entry = _entry(session, found, other.organisation_id)
        if entry is None:
            continue
        entry.score += WEIGHTS["similar_need"]
        entry.reasons.append(Reason("similar_need", {
            "need_id": other.id, "status": other.status, "title": other.title,
            "words": words, "categories": categories}))
    if need.organisation_id is not None:
        found.pop(need.organisation_id, None)
    if own is not None and own.state:
        for entry in found.values():
            if session.get(Organisation, entry.id).state == own.state:
                entry.score += WEIGHTS["same_land"]
                entry.reasons.append(Reason("same_land", {"land": own.state}))
    return _ordered(found.values(), limit)


def similar_organisations(session: Session, organisation: Organisation, *,
                          limit: int = 20) -> list[OrganisationMatch]:
    """Organisations like ``organisation``: of the same kind and size class in the same Land,
    with needs in a shared field of action, or using a shared solution; the same Land adds
    to that."""
    own_fields = _fields(session, [organisation.id]).get(organisation.id, set())
    own_solutions = _solutions(session, [organisation.id]).get(organisation.id, {})
    own_size = size_class(organisation.population)
    others = session.exec(select(Organisation).where(
        Organisation.id.in_(_candidates(session, organisation, own_fields, own_solutions)))
        .order_by(Organisation.id)).all()
    ids = [other.id for other in others]
    fields, solutions = _fields(session, ids), _solutions(session, ids)
    found: list[OrganisationMatch] = []
    for other in others:
        entry = OrganisationMatch(other.id, other.name, other.slug)
        if (other.kind == organisation.kind and own_size is not None
                and size_class(other.population) == own_size
                and organisation.state and other.state == organisation.state):
            entry.score += WEIGHTS["same_kind"]
            entry.reasons.append(Reason("same_kind", {"kind": other.kind,
                                                      "size_class": own_size}))
        shared_fields = sorted(own_fields & fields.get(other.id, set()))
        if shared_fields:
            entry.score += WEIGHTS["shared_field"] * len(shared_fields)
            entry.reasons.append(Reason("shared_fields", {"fields": shared_fields}))
        theirs = solutions.get(other.id, {})
        shared = sorted(set(own_solutions) & set(theirs))
        if shared:
            entry.score += WEIGHTS["shared_solution"] * len(shared)
            entry.reasons.append(Reason("shared_solutions", {
                "solution_ids": shared, "solutions": [theirs[i] for i in shared]}))
        if not entry.reasons:
            continue
        if organisation.state and other.state == organisation.state:
            entry.score += WEIGHTS["same_land"]
            entry.reasons.append(Reason("same_land", {"land": other.state}))
        found.append(entry)
    return _ordered(found, limit)


def _candidates(session: Session, organisation: Organisation, own_fields: set[str],
                own_solutions: dict[int, str]) -> set[int]:
    """Ids of the organisations that can have a reason at all, found by SQL, so a directory
    of 11,000 municipalities is never loaded for one page: those with needs in the same fields,
    those using the same solutions, and — the size class only counts close to home — those of
    the same kind in the same Land with a population of the same class."""
    ids: set[int] = set()
    if own_fields:
        ids.update(session.exec(select(Need.organisation_id).where(
            Need.field_of_action.in_(sorted(own_fields)), Need.hidden_at.is_(None),
            Need.status != "withdrawn")).all())
    if own_solutions:
        ids.update(i for i in session.exec(select(Adoption.organisation_id).where(
            Adoption.solution_id.in_(sorted(own_solutions)), Adoption.hidden_at.is_(None)))
            .all() if i is not None)
    bounds = _size_bounds(organisation.population)
    if bounds is not None and organisation.state:
        low, high = bounds
        query = select(Organisation.id).where(Organisation.kind == organisation.kind,
                                              Organisation.state == organisation.state,
                                              Organisation.population >= low)
        if high is not None:
            query = query.where(Organisation.population < high)
        ids.update(session.exec(query).all())
    ids.discard(organisation.id)
    return ids


def _size_bounds(population: int | None) -> tuple[int, int | None] | None:
    """The population range of ``population``'s size class (None: no class)."""
    if size_class(population) is None:
        return None
    low = 1
    for bound, _name in SIZE_CLASSES:
        if population < bound:
            return low, bound
        low = bound
    return low, None


def size_class(population: int | None) -> str | None:
    if population is None or population <= 0:
        return None
    for bound, name in SIZE_CLASSES:
        if population < bound:
            return name
    return "city"


def _entry(session: Session, found: dict[int, OrganisationMatch],
           organisation_id: int) -> OrganisationMatch | None:
    if organisation_id not in found:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            return None
        found[organisation_id] = OrganisationMatch(organisation.id, organisation.name,
                                                   organisation.slug)
    return found[organisation_id]


def _similar_needs(session: Session,
                   need: Need) -> list[tuple[Need, list[str], list[str]]]:
    """Other organisations' visible needs in the same field that share words or categories.

    Words are compared as the search's German analysis reads them (stems, folded), so
    "Lärmmessung" and "Lärmmessungen" are one word."""
    if not need.field_of_action:
        return []
    query = select(Need).where(Need.field_of_action == need.field_of_action,
                               Need.status.in_(SIMILAR_STATUSES), Need.hidden_at.is_(None))
    if need.id is not None:
        query = query.where(Need.id != need.id)
    if need.organisation_id is not None:
        query = query.where(Need.organisation_id != need.organisation_id)
    mine = word_keys(f"{need.title} {need.description or ''}")
    my_categories = set(need.categories or ())
    found = []
    for other in session.exec(query.order_by(Need.id)).all():
        words = sorted(mine & word_keys(f"{other.title} {other.description or ''}"))
        categories = sorted(my_categories & set(other.categories or ()))
        if len(words) >= MIN_SHARED_WORDS or categories:
            found.append((other, words, categories))
    return found


def _fields(session: Session, organisation_ids: Iterable[int]) -> dict[int, set[str]]:
    ids = list(organisation_ids)
    found: dict[int, set[str]] = {}
    if ids:
        for organisation_id, field_of_action in session.exec(
                select(Need.organisation_id, Need.field_of_action).where(
                    Need.organisation_id.in_(ids), Need.hidden_at.is_(None),
                    Need.status != "withdrawn")).all():
            found.setdefault(organisation_id, set()).add(field_of_action)
    return found


def _solutions(session: Session, organisation_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """Organisation → {solution id: name} of its declared, visible adoptions."""
    ids = list(organisation_ids)
    found: dict[int, dict[int, str]] = {}
    if ids:
        for organisation_id, solution_id, name in session.exec(
                select(Adoption.organisation_id, Adoption.solution_id, Solution.name)
                .join(Solution, Solution.id == Adoption.solution_id)
                .where(Adoption.organisation_id.in_(ids), Adoption.hidden_at.is_(None))).all():
            found.setdefault(organisation_id, {})[solution_id] = name or ""
    return found


def _ordered(found: Iterable[OrganisationMatch], limit: int) -> list[OrganisationMatch]:
    return sorted(found, key=lambda e: (-e.score, e.name.casefold(), e.id))[:limit]
