"""Maintainer notifications: an outbox the harvest writes and ``send_pending`` empties.

The harvest writes a ``Notification`` row in the same transaction as the change it reports
(``catalogue.record_solution``: a valid solution became invalid; ``harvest_state.
record_failure``: a valid solution failed for the first time after a success), whether or
not anybody maintains the solution: a row is cheap, and who hears of it is decided here, at
sending time. Recipients are the accounts with a *verified* registration of the solution's
repository, a verified e-mail address and no suspension; each gets a mail of their own.

Sending happens after each ``allmende harvest`` and with ``allmende mail send``. A row stays
pending until every recipient has got the mail: a failed delivery is logged and retried on
the next run, and the addresses already served (kept in ``recipients`` as they succeed) are
not written to twice. A notification nobody is there to receive is marked sent with no
recipients. On PostgreSQL the row is locked while it is being sent (``SKIP LOCKED``), so two
senders never send the same notification.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .config import Settings
from .db import session_scope
from .mail import Mailer, MailError, UnsafeHeader
from .mail_texts import became_invalid_mail, unreachable_mail
from .models import Account, Notification, Registration, Solution, utcnow

log = logging.getLogger(__name__)


def pending(session: Session) -> list[Notification]:
    """Notifications not (completely) sent yet, oldest first."""
    return list(session.exec(select(Notification).where(Notification.sent_at.is_(None))
                             .order_by(Notification.id)))


def recipients(session: Session, notification: Notification) -> list[str]:
    """Who hears of ``notification``: the verified, unsuspended maintainers of its solution."""
    query = (select(Account.email)
             .join(Registration, Registration.account_id == Account.id)
             .join(Solution, Solution.url == Registration.url)
             .where(Solution.id == notification.solution_id,
                    Registration.status == "verified",
                    Account.email_verified_at.is_not(None),
                    Account.suspended_at.is_(None))
             .distinct().order_by(Account.email))
    return list(session.exec(query))


def message(notification: Notification, solution: Solution, base_url: str) -> tuple[str, str]:
    """Subject and body of the mail for ``notification``."""
    name = solution.name or solution.url
    page = f"{base_url.rstrip('/')}/loesungen/{solution.id}"
    if notification.kind == "became_invalid":
        errors = [f for f in solution.findings or [] if f.get("severity", "error") == "error"]
        return became_invalid_mail(name, page, solution.url, errors)
    return unreachable_mail(name, page, solution.url, notification.detail or "")


def send_pending(engine: Engine, settings: Settings, mailer: Mailer) -> int:
    """Send every pending notification; returns the number of e-mails sent.

    Delivery failures are logged, never raised: the notification stays pending for the next
    run. Database errors are raised as usual.
    """
    with session_scope(engine) as session:
        ids = [notification.id for notification in pending(session)]
    return sum(_send_one(engine, settings, mailer, notification_id) for notification_id in ids)


def send_pending_logged(engine: Engine, settings: Settings) -> int | None:
    """:func:`send_pending` with the configured mailer, for callers whose own work is done (a
    harvest, a drained queue): any failure is logged and ``None`` returned, never raised."""
    try:
        return send_pending(engine, settings, Mailer.from_settings(settings))
    except Exception:  # noqa: BLE001 - mail must never undo or stop the work before it
        log.exception("sending notifications failed; they stay pending for the next run")
        return None


def _send_one(engine: Engine, settings: Settings, mailer: Mailer, notification_id: int) -> int:
    with session_scope(engine) as session:
        notification = session.exec(
            select(Notification)
            .where(Notification.id == notification_id, Notification.sent_at.is_(None))
            .with_for_update(skip_locked=True)).first()
        if notification is None:  # sent meanwhile, or being sent by another process
            return 0
        solution = session.get(Solution, notification.solution_id)
        subject, body = message(notification, solution, settings.site.base_url)
        served, sent = set(notification.recipients or []), 0
        for address in recipients(session, notification):
            if address in served:
                continue
            try:
                mailer.send(address, subject, body)
            except UnsafeHeader as exc:  # a stored address no mail can go to: retrying won't help
                log.error("notification %s: skipping %s: %s", notification.id, address, exc)
                continue
            except MailError as exc:
                log.warning("notification %s (%s, %s) stays pending: %s", notification.id,
                            notification.kind, solution.url, exc)
                notification.recipients = sorted(served)
                session.commit()
                return sent
            served.add(address)
            sent += 1
        notification.recipients = sorted(served)
        notification.sent_at = utcnow()
        session.commit()
        log.info("notification %s (%s, %s) sent to %d recipient(s)", notification.id,
                 notification.kind, solution.url, len(served))
        return sent
