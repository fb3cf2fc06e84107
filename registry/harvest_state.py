"""What the harvest remembers between runs, and the bookkeeping that makes it incremental.

``catalogue`` records what a publiccode.yml *says*; this module records what the harvest
*knows about the repository*: the change marker that lets an unchanged repository cost no
request, the forge id that keeps a renamed project's entry, the last failure (shown to
maintainers, never replacing good data), the "missing from the listing" count behind the
removed-after-3 rule, and activity signals. Like ``catalogue``, every function commits its own
small transaction and keeps no state, so work items may run in any thread or worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from .catalogue import jsonable
from .models import HarvestRun, Notification, Solution, utcnow
from .normalise import normalise_repository_url

REMOVED_AFTER_MISSING = 3
"""A repository absent from this many consecutive complete listings is marked removed."""
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Remembered:
    """One solution of a source as the last runs left it."""

    url: str
    status: str
    change_marker: str | None
    forge_id: str | None
    signals_computed_at: str | None = None


def remembered(session: Session, source_id: int) -> dict[str, Remembered]:
    """Every solution of the source by URL: one query at the start of a run."""
    rows = session.exec(select(Solution.url, Solution.status, Solution.change_marker,
                               Solution.forge_id, Solution.signals)
                        .where(Solution.source_id == source_id))
    return {url: Remembered(url, status, marker, forge_id, (signals or {}).get("computed_at"))
            for url, status, marker, forge_id, signals in rows}


def mark_unchanged(session: Session, url: str, *, forge_facts: Mapping[str, Any] | None = None,
                   now: datetime | None = None) -> None:
    """The repository is listed with the same marker: refresh what the listing told us only."""
    values: dict[str, Any] = {"last_harvested_at": now or utcnow(), "missing_count": 0}
    if forge_facts is not None:
        values["forge"] = jsonable(dict(forge_facts))
    _update(session, url, values)


def remember_success(session: Session, url: str, *, change_marker: str | None,
                     forge_id: str | None) -> None:
    """After a successful harvest: the marker to compare next time; the failure is history."""
    _update(session, url, {"change_marker": change_marker, "forge_id": forge_id,
                           "last_error": None, "last_error_at": None})


def record_failure(session: Session, url: str, message: str,
                   now: datetime | None = None) -> None:
    """A harvest attempt failed. The stored data stays exactly as it was; only the reason is
    noted (for maintainers), and the marker is cleared so the next run tries again.

    The first failure of a valid solution after a success also writes an ``unreachable``
    notification, in the same transaction; the failures of the nights after that do not."""
    message, now = message[:MAX_ERROR_CHARS], now or utcnow()
    previous = session.exec(select(Solution.id, Solution.status, Solution.last_error)
                            .where(Solution.url == normalise_repository_url(url))
                            .with_for_update()).first()
    if previous is not None and previous.status == "valid" and previous.last_error is None:
        session.add(Notification(solution_id=previous.id, kind="unreachable", detail=message,
                                 created_at=now))
    _update(session, url, {"last_error": message, "last_error_at": now, "change_marker": None})


def move(session: Session, *, source_id: int, forge_id: str, new_url: str) -> str | None:
    """A project the forge knows by ``forge_id`` now lives at ``new_url``: move its entry.

    Returns the old URL when something moved. Nothing moves when the new URL already has an
    entry of its own (two entries are never merged silently).
    """
    new_url = normalise_repository_url(new_url)
    solution = session.exec(select(Solution).where(Solution.source_id == source_id,
                                                   Solution.forge_id == forge_id)).first()
    if solution is None or solution.url == new_url:
        return None
    if session.exec(select(Solution.id).where(Solution.url == new_url)).first() is not None:
        return None
    old_url, solution.url = solution.url, new_url
    session.commit()
    return old_url


def record_missing(session: Session, *, source_id: int, seen_urls: Iterable[str],
                   now: datetime | None = None) -> list[str]:
    """After a *complete* listing: count one more miss for every solution not listed, and
    mark as removed those missed ``REMOVED_AFTER_MISSING`` times in a row. Returns the URLs
    that became removed. Never call this after a listing that failed part-way."""
    seen = {normalise_repository_url(url) for url in seen_urls}
    missing = [s for s in session.exec(select(Solution).where(
        Solution.source_id == source_id, Solution.status != "removed")) if s.url not in seen]
    removed = []
    for solution in missing:
        solution.missing_count += 1
        if solution.missing_count >= REMOVED_AFTER_MISSING:
            solution.status = "removed"
            solution.status_reason = (f"missing from the source's listing "
                                      f"{solution.missing_count} times in a row")
            solution.last_changed_at = now or utcnow()
            removed.append(solution.url)
    session.commit()
    return removed


def record_signals(session: Session, url: str, signals: Mapping[str, Any]) -> None:
    """Store activity and maintenance signals (with how each was derived)."""
    _update(session, url, {"signals": jsonable(dict(signals))})


def abandon_running_runs(session: Session, source_id: int, now: datetime | None = None) -> int:
    """Runs still "running" when a new one starts were killed (only one harvest runs at a
    time): close them as failed so the sources page tells the truth."""
    result = session.execute(
        sa.update(HarvestRun)
        .where(HarvestRun.source_id == source_id, HarvestRun.status == "running")
        .values(status="failed", finished_at=now or utcnow()))
    session.commit()
    return result.rowcount or 0


def _update(session: Session, url: str, values: Mapping[str, Any]) -> None:
    """Set columns of one solution through the ORM, so that a change the search index reads
    (a new maintenance level, new topics) counts a content version (registry.models.versions);
    the stored files are not loaded for it."""
    solution = session.exec(select(Solution).where(Solution.url == normalise_repository_url(url))
                            .options(defer(Solution.raw_text), defer(Solution.valid_text))
                            ).first()
    if solution is not None:
        for name, value in values.items():
            setattr(solution, name, value)
    session.commit()
