"""The daily digest of new matches: a need's organisation hears what was found for it.

``market.recompute`` stores ``NeedMatch`` rows; a row whose ``notified_at`` is empty is news.
For each need that is open or in exchange, not hidden, with news, and whose organisation was
last told at least ``INTERVAL`` ago (``Need.matches_notified_at``), every member who may be
told (active, verified, not suspended; the need's author first) gets one mail listing the new
solutions and towns by name with the link to the need's page. Then the rows get
``notified_at`` and the need ``matches_notified_at``, in one transaction.

Like ``registry.notifications``: sending runs from ``allmende mail send`` and after each
harvest; a failed delivery leaves everything pending for the next run (members already
served may then get the mail twice: at least once, never lost); a need nobody can be told
of yet stays pending until somebody can. On PostgreSQL the need's row is locked while its
digest is sent (``SKIP LOCKED``), so two senders never send the same digest. Every function
takes ``now``, so "at most daily" is tested without waiting.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.config import Settings
from registry.db import session_scope
from registry.mail import Mailer, MailError, UnsafeHeader
from registry.mail_texts import match_digest_mail
from registry.models import Account, Need, NeedMatch, Organisation, Solution, utcnow
from registry.relay import recipients

log = logging.getLogger(__name__)

INTERVAL = timedelta(hours=24)
ACTIVE = ("open", "in_exchange")
MAX_LISTED = 20
"""Names listed per mail; the need's page has all of them."""


def members_to_tell(session: Session, need: Need) -> list[Account]:
    """Who hears of ``need``: its organisation's active, verified, unsuspended members, the
    need's author first."""
    return sorted(recipients(session, need.organisation_id),
                  key=lambda account: account.id != need.author_id)


def due(session: Session, now: datetime) -> list[int]:
    """Needs with news whose organisation may be told now, by id."""
    news = select(NeedMatch.id).where(NeedMatch.need_id == Need.id,
                                      NeedMatch.notified_at.is_(None)).exists()
    return list(session.exec(
        select(Need.id).where(news, Need.status.in_(ACTIVE), Need.hidden_at.is_(None),
                              sa.or_(Need.matches_notified_at.is_(None),
                                     Need.matches_notified_at <= now - INTERVAL))
        .order_by(Need.id)))


def send_digests(engine: Engine, settings: Settings, mailer: Mailer, *,
                 now: datetime | None = None) -> int:
    """Send every digest that is due; returns the number of e-mails sent."""
    now = now or utcnow()
    with session_scope(engine) as session:
        ids = due(session, now)
    return sum(_send_one(engine, settings, mailer, need_id, now) for need_id in ids)


def tell(mailer: Mailer, people: list[Account], subject: str, body: str,
         what: str) -> int | None:
    """Mail ``people`` one by one; the number sent, or None when a delivery failed (the caller
    rolls back: everything stays pending). An address no mail can go to is skipped."""
    sent = 0
    for account in people:
        try:
            mailer.send(account.email, subject, body)
        except UnsafeHeader as exc:  # retrying won't help
            log.error("%s: skipping account %s: %s", what, account.id, exc)
            continue
        except MailError as exc:
            log.warning("%s stays pending: %s", what, exc)
            return None
        sent += 1
    return sent


def _send_one(engine: Engine, settings: Settings, mailer: Mailer, need_id: int,
              now: datetime) -> int:
    with session_scope(engine) as session:
        need = session.exec(select(Need).where(Need.id == need_id)
                            .with_for_update(skip_locked=True)).first()
        if need is None or need_id not in due(session, now):  # sent meanwhile, or changed
            return 0
        matches = list(session.exec(
            select(NeedMatch).where(NeedMatch.need_id == need.id,
                                    NeedMatch.notified_at.is_(None))
            .order_by(NeedMatch.kind.desc(), NeedMatch.rank, NeedMatch.id)))
        people = members_to_tell(session, need)
        if not people:
            return 0  # nobody to tell yet: stays pending
        solutions, organisations = _names(session, matches)
        sent: int | None = 0
        if solutions or organisations:  # else every target is gone: nothing left to tell
            listed = (solutions + organisations)[:MAX_LISTED]
            more = len(solutions) + len(organisations) - len(listed)
            subject, body = match_digest_mail(
                need.title, f"{settings.site.base_url.rstrip('/')}/bedarfe/{need.id}",
                listed[:len(solutions)], listed[len(solutions):], more)
            sent = tell(mailer, people, subject, body, f"digest of need {need.id}")
            if sent is None:
                session.rollback()
                return 0
        for match in matches:
            match.notified_at = now
            session.add(match)
        need.matches_notified_at = now
        session.add(need)
        session.commit()
        log.info("digest of need %s: %d new match(es), %d mail(s)", need.id, len(matches), sent)
        return sent


def _names(session: Session, matches: list[NeedMatch]) -> tuple[list[str], list[str]]:
    """The names of the matched solutions and organisations (targets gone since: left out)."""
    solution_ids = [m.target_id for m in matches if m.kind == "solution"]
    organisation_ids = [m.target_id for m in matches if m.kind == "organisation"]
    solutions = {s.id: s.name or s.url for s in session.exec(
        select(Solution).where(Solution.id.in_(solution_ids)))} if solution_ids else {}
    organisations = {o.id: o.name for o in session.exec(
        select(Organisation).where(Organisation.id.in_(organisation_ids)))
        } if organisation_ids else {}
    return ([solutions[i] for i in solution_ids if i in solutions],
            [organisations[i] for i in organisation_ids if i in organisations])
