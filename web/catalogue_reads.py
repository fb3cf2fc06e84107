"""Read-only catalogue queries for the web: a few queries per request, never one per row.

"Shown" is the catalogue's public rule (registry/export.py, the search index): valid
solutions, and invalid ones that still have a last valid version. Everything else — never
valid, unlisted, removed — is answered like an unknown id. Adoption declarations an admin hid
are left out of every read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from registry.models import (
    Adoption,
    HarvestRun,
    Organisation,
    Publisher,
    Solution,
    Source,
    adoption_shown,
    shown_in_catalogue,
)

MAX_ID = 2**31 - 1
"""Ids beyond a 32-bit integer cannot exist (PostgreSQL ``integer``); asking is a 404."""
RUNS_PER_SOURCE = 5


@dataclass(slots=True)
class SolutionRow:
    solution: Solution
    publisher: Publisher | None
    source: Source | None = None
    adoptions: list[Adoption] = field(default_factory=list)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    """The organisations behind declared adoptions, by id (for links and the pages)."""


def solutions_by_id(session: Session, ids: Iterable[int]) -> dict[int, SolutionRow]:
    """Shown solutions with their publishers, keyed by id (missing ids are left out)."""
    wanted = [i for i in set(ids) if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    query = (select(Solution, Publisher)
             .outerjoin(Publisher, Publisher.id == Solution.publisher_id)
             .where(Solution.id.in_(wanted), shown_in_catalogue()))
    return {s.id: SolutionRow(s, p) for s, p in session.exec(query)}


def solution_detail(session: Session, solution_id: int) -> SolutionRow | None:
    if not 0 < solution_id <= MAX_ID:
        return None
    query = (select(Solution, Publisher, Source)
             .outerjoin(Publisher, Publisher.id == Solution.publisher_id)
             .join(Source, Source.id == Solution.source_id)
             .where(Solution.id == solution_id, shown_in_catalogue()))
    found = session.exec(query).first()
    if found is None:
        return None
    adoptions = session.exec(select(Adoption).where(Adoption.solution_id == solution_id,
                                                    adoption_shown())
                             .order_by(Adoption.organisation, Adoption.id)).all()
    organisation_ids = {a.organisation_id for a in adoptions if a.organisation_id}
    organisations: dict[int, Organisation] = {}
    if organisation_ids:
        organisations = {o.id: o for o in session.exec(
            select(Organisation).where(Organisation.id.in_(organisation_ids)))}
    return SolutionRow(found[0], found[1], found[2], list(adoptions), organisations)


def publishers_page(session: Session, offset: int, limit: int) -> tuple[int, list[tuple]]:
    """(total, [(publisher, shown solution count)]) ordered by name then id."""
    total = session.exec(select(sa.func.count()).select_from(Publisher)).one()
    counts = (select(Solution.publisher_id, sa.func.count().label("n"))
              .where(shown_in_catalogue()).group_by(Solution.publisher_id).subquery())
    query = (select(Publisher, sa.func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.publisher_id == Publisher.id)
             .order_by(Publisher.name, Publisher.id).offset(offset).limit(limit))
    return total, [(p, int(n)) for p, n in session.exec(query)]


def publisher(session: Session, publisher_id: int) -> Publisher | None:
    if not 0 < publisher_id <= MAX_ID:
        return None
    return session.get(Publisher, publisher_id)


def published_solutions(session: Session, publisher_id: int) -> list[SolutionRow]:
    query = (select(Solution, Publisher)
             .join(Publisher, Publisher.id == Solution.publisher_id)
             .where(Solution.publisher_id == publisher_id, shown_in_catalogue())
             .order_by(Solution.name, Solution.id))
    return [SolutionRow(s, p) for s, p in session.exec(query)]


def adopted_solutions(session: Session, publisher_id: int) -> list[tuple[Adoption, Solution]]:
    """Shown solutions this publisher uses (usedBy naming it, or its own declaration)."""
    query = (select(Adoption, Solution).join(Solution, Solution.id == Adoption.solution_id)
             .where(Adoption.publisher_id == publisher_id, adoption_shown(),
                    shown_in_catalogue())
             .order_by(Solution.name, Solution.id, Adoption.origin))
    return list(session.exec(query))


def sources_with_runs(session: Session) -> list[tuple[Source, list[HarvestRun]]]:
    """Every source with its latest runs, newest first (one query for sources, one per source:
    sources are a handful, configured by the operator)."""
    result = []
    for source in session.exec(select(Source).order_by(Source.name)):
        runs = session.exec(select(HarvestRun).where(HarvestRun.source_id == source.id)
                            .order_by(HarvestRun.started_at.desc(), HarvestRun.id.desc())
                            .limit(RUNS_PER_SOURCE)).all()
        result.append((source, list(runs)))
    return result


@dataclass(slots=True)
class Variants:
    """``isBasedOn`` both ways: what a solution is based on, and what is based on it. Each
    solution is a row of ``id``, ``name`` and ``url`` only (the page links them)."""

    based_on: list[tuple[str, Any]] = field(default_factory=list)
    """Each repository it names, with its shown catalogue entry where there is one."""
    derived: list[Any] = field(default_factory=list)
    """Shown solutions whose ``isBasedOn`` names this solution's repository."""


def variants(session: Session, solution: Solution) -> Variants:
    """Two queries of three columns each (never the stored files): the named bases by URL,
    and the few solutions that name any base at all, filtered here (JSON containment is
    spelt differently in SQLite and PostgreSQL)."""
    link = (Solution.id, Solution.name, Solution.url)
    bases = {row.url: row for row in session.exec(
        select(*link).where(Solution.url.in_(solution.based_on or []),
                            shown_in_catalogue())).all()} if solution.based_on else {}
    naming_any = session.exec(select(*link, Solution.based_on).where(
        sa.cast(Solution.based_on, sa.Text) != "[]", Solution.id != solution.id,
        shown_in_catalogue()).order_by(Solution.name, Solution.id)).all()
    return Variants(based_on=[(url, bases.get(url)) for url in solution.based_on or []],
                    derived=[row for row in naming_any if solution.url in (row.based_on or [])])
