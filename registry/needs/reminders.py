"""Reminders for needs nobody has touched: is it still open?

A need that is open or in exchange, not hidden, whose ``last_activity_at`` is older than
``[needs] remind_after_days`` and that was not reminded since (``reminded_at`` empty or
older than the last activity) gets one mail to its organisation's members (active,
verified, not suspended; the author first) with the link to its page, where they edit,
solve or withdraw it; then ``reminded_at`` is set. Any change by the organisation
(``registry.needs.service``) moves ``last_activity_at`` and clears ``reminded_at``, so the
next reminder comes only after the next long silence.

Sending runs from ``allmende mail send`` and after each harvest, like the notifications: a
failed delivery leaves the reminder pending for the next run; a need nobody can be told of
yet waits until somebody can; on PostgreSQL the need's row is locked while it is sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.config import Settings
from registry.db import session_scope
from registry.mail import Mailer
from registry.mail_texts import stale_need_mail
from registry.models import Need, utcnow

from .digest import ACTIVE, members_to_tell, tell

log = logging.getLogger(__name__)


def due(session: Session, now: datetime, after: timedelta) -> list[int]:
    """Needs silent for longer than ``after`` and not reminded since, by id."""
    return list(session.exec(
        select(Need.id).where(Need.status.in_(ACTIVE), Need.hidden_at.is_(None),
                              Need.last_activity_at <= now - after,
                              sa.or_(Need.reminded_at.is_(None),
                                     Need.reminded_at < Need.last_activity_at))
        .order_by(Need.id)))


def send_reminders(engine: Engine, settings: Settings, mailer: Mailer, *,
                   now: datetime | None = None) -> int:
    """Send every reminder that is due; returns the number of e-mails sent (0 when
    ``remind_after_days`` is 0)."""
    days = settings.needs.remind_after_days
    if not days:
        return 0
    now, after = now or utcnow(), timedelta(days=days)
    with session_scope(engine) as session:
        ids = due(session, now, after)
    return sum(_send_one(engine, settings, mailer, need_id, now, after) for need_id in ids)


def _send_one(engine: Engine, settings: Settings, mailer: Mailer, need_id: int,
              now: datetime, after: timedelta) -> int:
    with session_scope(engine) as session:
        need = session.exec(select(Need).where(Need.id == need_id)
                            .with_for_update(skip_locked=True)).first()
        if need is None or need_id not in due(session, now, after):
            return 0  # reminded meanwhile, changed, or being sent by another process
        people = members_to_tell(session, need)
        if not people:
            return 0
        subject, body = stale_need_mail(
            need.title, f"{settings.site.base_url.rstrip('/')}/bedarfe/{need.id}",
            (now - need.last_activity_at).days)
        sent = tell(mailer, people, subject, body, f"reminder of need {need.id}")
        if sent is None:
            session.rollback()
            return 0
        need.reminded_at = now
        session.add(need)
        session.commit()
        log.info("reminder of need %s sent to %d member(s)", need.id, sent)
        return sent
