"""The queue of repositories to harvest now: webhooks, API calls, newly verified registrations.

Why a table and not an in-process queue: requests must survive a restart, be visible to every
web and worker process, and be claimed by exactly one of them. The rules:

* **Replays change nothing.** A forge may deliver one webhook twice; its delivery id is unique
  in the table, so the second insert fails inside a savepoint and :func:`request_harvest`
  returns ``None``, leaving the caller's transaction intact.
* **Coalescing.** Ten pushes in a minute need one harvest: a request for a URL that already
  has one *waiting* (not yet started) returns that one. A request that has started may already
  have read the old state, so a new push then queues a new request.
* **Claiming** marks a request started with a conditional ``UPDATE … WHERE started_at IS
  NULL``, so two workers never take the same one (SQLite included); PostgreSQL also skips
  rows another worker has locked (``FOR UPDATE SKIP LOCKED``). A claim older than
  ``STALE_AFTER`` without a finish belongs to a killed worker and is claimed again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from .models import HarvestRequest, utcnow
from .normalise import normalise_repository_url

STALE_AFTER = timedelta(minutes=30)
"""A started request not finished after this long was abandoned (the worker died)."""
MAX_OUTCOME_CHARS = 2000
REASONS = ("registration", "webhook", "api", "admin")


def request_harvest(session: Session, url: str, reason: str, *, delivery_id: str | None = None,
                    requested_by_id: int | None = None,
                    now: datetime | None = None) -> HarvestRequest | None:
    """Queue a harvest of ``url`` and commit; ``None`` for a replayed ``delivery_id``.

    Returns the waiting request for the same URL when there is one (coalescing); it takes over
    ``delivery_id`` when it has none, so a replay of this delivery is recognised too.
    """
    url = normalise_repository_url(url)
    if delivery_id is not None and session.exec(
            select(HarvestRequest.id).where(HarvestRequest.delivery_id == delivery_id)).first():
        return None
    waiting = session.exec(select(HarvestRequest)
                           .where(HarvestRequest.url == url,
                                  HarvestRequest.started_at.is_(None))  # type: ignore[union-attr]
                           .order_by(HarvestRequest.id)).first()
    request = waiting or HarvestRequest(url=url, reason=reason, requested_by_id=requested_by_id,
                                        requested_at=now or utcnow())
    try:
        with session.begin_nested():  # a concurrent replay: only this change is undone
            session.add(request)
            if delivery_id is not None and request.delivery_id is None:
                request.delivery_id = delivery_id
    except sa.exc.IntegrityError:
        if waiting is not None:
            session.refresh(waiting)
        session.commit()
        return None
    session.commit()
    return request


def claim_next(session: Session, now: datetime | None = None) -> HarvestRequest | None:
    """Mark the oldest waiting (or abandoned) request started and return it; ``None`` if none."""
    now = now or utcnow()
    stale = now - STALE_AFTER
    started = HarvestRequest.started_at
    claimable = sa.or_(started.is_(None),  # type: ignore[union-attr]
                       sa.and_(HarvestRequest.finished_at.is_(None),  # type: ignore[union-attr]
                               started < stale))  # type: ignore[operator]
    for _ in range(20):  # another worker may win each race; it cannot win forever
        query = (select(HarvestRequest.id, HarvestRequest.started_at).where(claimable)
                 .order_by(HarvestRequest.requested_at, HarvestRequest.id).limit(1))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = session.exec(query).first()
        if row is None:
            session.commit()
            return None
        request_id, seen_started = row
        same = (started.is_(None) if seen_started is None  # type: ignore[union-attr]
                else started == seen_started)
        claimed = session.execute(sa.update(HarvestRequest)
                                  .where(HarvestRequest.id == request_id, same)
                                  .values(started_at=now, finished_at=None, outcome=None))
        session.commit()
        if claimed.rowcount == 1:
            return session.get(HarvestRequest, request_id, populate_existing=True)
    return None


def finish(session: Session, request: HarvestRequest | int, outcome: str,
           now: datetime | None = None) -> None:
    """Record how the harvest went (a sentence for the maintainer) and close the request."""
    request_id = request if isinstance(request, int) else request.id
    session.execute(sa.update(HarvestRequest).where(HarvestRequest.id == request_id)
                    .values(finished_at=now or utcnow(), outcome=outcome[:MAX_OUTCOME_CHARS]))
    session.commit()


def pending_count(session: Session) -> int:
    """Requests not finished yet (waiting or running), for health pages and tests."""
    return session.exec(select(sa.func.count()).select_from(HarvestRequest)
                        .where(HarvestRequest.finished_at.is_(None))).one()  # type: ignore
