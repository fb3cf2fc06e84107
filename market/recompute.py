"""Store every need's matches, and say which are new since the last computation.

``recompute(engine, index_dir, need_ids=None, now=…)`` matches the open and in-exchange needs
that are not hidden (all of them, or those of ``need_ids``) and makes their ``NeedMatch`` rows
equal what was found:

- a match found again keeps its row, its ``first_found_at`` and ``notified_at``; rank, score,
  reasons and ``computed_at`` are updated;
- a match found for the first time is inserted with ``first_found_at = now`` and reported in
  ``RecomputeReport.new`` (the e-mail digest tells the need's owner about those);
- a match no longer found is deleted (found again later, it is new again).

Needs that are solved, withdrawn or hidden are not touched. Each need is one transaction, so a
recompute stopped half-way leaves every need either as before or as computed. Run after each
harvest (the catalogue changed) and for one need after it was posted or edited.

Two recomputes may meet: the web's background thread after a posted need and a harvest's run
in another process. On PostgreSQL the need's row is locked (``FOR NO KEY UPDATE``: rows that
refer to it may still be written) while its matches are computed and stored, so the second
waits and then updates what the first stored; SQLite
has no row locks, so a store that collides with rows another process committed meanwhile is
rolled back and done once more on what is there now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from registry.models import Need, NeedMatch, utcnow
from search import SearchService

from .matching import CatalogueFacts, match_solutions
from .peers import organisations_for_need

ACTIVE_STATUSES = ("open", "in_exchange")
SOLUTIONS_PER_NEED = 10
ORGANISATIONS_PER_NEED = 10


@dataclass(frozen=True, slots=True)
class NewMatch:
    need_id: int
    kind: str
    """``solution`` or ``organisation``."""
    target_id: int


@dataclass(slots=True)
class RecomputeReport:
    needs: int = 0
    """Needs matched."""
    new: list[NewMatch] = field(default_factory=list)
    """Matches found for the first time (or again after they had gone)."""
    kept: int = 0
    removed: int = 0


def recompute(engine: Engine, index_dir: str | Path | SearchService,
              need_ids: Iterable[int] | None = None, now: datetime | None = None, *,
              clock: Callable[[], datetime] | None = None) -> RecomputeReport:
    """Match the chosen active needs again and store the result (see the module's text)."""
    now = now or (clock or utcnow)()
    service = index_dir if isinstance(index_dir, SearchService) else SearchService(index_dir)
    report = RecomputeReport()
    with Session(engine) as session:
        query = select(Need.id).where(Need.status.in_(ACTIVE_STATUSES), Need.hidden_at.is_(None))
        if need_ids is not None:
            query = query.where(Need.id.in_(list(need_ids)))
        ids = list(session.exec(query.order_by(Need.id)).all())
    with Session(engine) as reading:
        facts = CatalogueFacts(reading)
        for need_id in ids:
            with Session(engine) as session:
                need = session.get(Need, need_id, with_for_update={"key_share": True})
                if need is None or need.status not in ACTIVE_STATUSES or need.hidden_at:
                    continue
                solutions = match_solutions(session, service, need, limit=SOLUTIONS_PER_NEED,
                                            facts=facts)
                organisations = organisations_for_need(session, need, solutions,
                                                       limit=ORGANISATIONS_PER_NEED)
                found = {("solution", m.id): (m.score, [r.to_json() for r in m.reasons])
                         for m in solutions}
                found.update({("organisation", m.id): (round(m.score, 4),
                                                       [r.to_json() for r in m.reasons])
                              for m in organisations})
                _store_once_more_on_collision(session, need_id, found, now, report)
                report.needs += 1
    return report


def _store_once_more_on_collision(session: Session, need_id: int,
                                  found: dict[tuple[str, int], tuple[float, list]],
                                  now: datetime, report: RecomputeReport) -> None:
    for attempt in (1, 2):
        this_need = RecomputeReport()
        try:
            _store(session, need_id, found, now, this_need)
            session.commit()
        except IntegrityError:
            session.rollback()  # another recompute stored this need's matches meanwhile
            if attempt == 2:
                raise
            continue
        report.new.extend(this_need.new)
        report.kept += this_need.kept
        report.removed += this_need.removed
        return


def _store(session: Session, need_id: int, found: dict[tuple[str, int], tuple[float, list]],
           now: datetime, report: RecomputeReport) -> None:
    existing = {(row.kind, row.target_id): row for row in session.exec(
        select(NeedMatch).where(NeedMatch.need_id == need_id)).all()}
    ranks: dict[str, int] = {}
    for (kind, target_id), (score, reasons) in found.items():
        ranks[kind] = ranks.get(kind, 0) + 1
        row = existing.pop((kind, target_id), None)
        if row is None:
            session.add(NeedMatch(need_id=need_id, kind=kind, target_id=target_id,
                                  rank=ranks[kind], score=score, reasons=reasons,
                                  first_found_at=now, computed_at=now))
            report.new.append(NewMatch(need_id, kind, target_id))
        else:
            row.rank, row.score, row.reasons, row.computed_at = ranks[kind], score, reasons, now
            report.kept += 1
    for row in existing.values():
        session.delete(row)
        report.removed += 1
    session.flush()
