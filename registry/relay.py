"""The relay: members of one organisation write to another without learning each other's address.

**Writing** (:func:`write`). A member who may act (verified address, not suspended) writes, for
one of their organisations, to another organisation — about one of its needs (only when the
need says ``contact_ok``), about a solution, or in general ("Kommunen wie wir"). Subject (one
line, 3–150 characters) and body (20–5,000 characters, plain text, no control characters but
line breaks and tabs) are checked before anything is written; the row is stored and the
action audited (without subject or body) in the caller's transaction.

**Throttling**, counted from the table so it holds across processes: at most
``PER_HOUR`` messages per sender in an hour and ``PER_DAY`` in a day; on PostgreSQL the sender's
account row is locked while counting, so two requests cannot both slip past the limit.
After a **report**: the reporting organisation cannot be written to again by that sender for
``REPORT_WINDOW``, and a sender with ``REPORTS_TO_STOP`` reported messages in that window
cannot write at all (admins see the reports at ``/admin/nachrichten`` and may suspend the
account, which stops it everywhere).

**Sending** (:func:`deliver`, :func:`send_pending`; an outbox like ``registry.notifications``).
The page that stored the message sends it at once; ``allmende mail send`` and the end of each
harvest retry what is still pending. Each active member (verified, not suspended) of the
recipient organisation gets the mail: the sender's name and organisation, never the sender's
address, and two links holding a random token (only its SHA-256 is kept): answer and report.
The token is drawn when the mail goes out; a message counts as sent once at least one member
accepted it. When no delivery succeeded it stays pending, and the next run draws a new token —
the old one reached nobody. Members whose delivery failed while others succeeded are logged,
not retried (the table has no per-recipient column).

**Answering** (:func:`answer`): a member of the recipient organisation follows the link and
writes a short answer. It goes to the sender with ``Reply-To`` set to the answering person,
and the answerer is told the sender's address (mail with ``Reply-To`` the sender, and the
page); from then on they talk directly. Only when the answer mail was accepted does the
message become ``answered``. **Reporting** (:func:`report`) needs only the token: the message
becomes ``reported``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from . import audit
from .accounts import AccountError
from .accounts.permissions import is_member, may_act
from .config import Settings
from .db import session_scope
from .mail import Mailer, MailError, UnsafeHeader
from .mail_texts import relay_answer_mail, relay_contact_mail, relay_message_mail
from .models import (
    Account,
    Membership,
    Need,
    Organisation,
    RelayMessage,
    Solution,
    utcnow,
)

log = logging.getLogger(__name__)

MIN_SUBJECT = 3
MAX_SUBJECT = 150
MIN_BODY = 20
MAX_BODY = 5000
MAX_ANSWER = 5000
MAX_REASON = 500
PER_HOUR = 3
"""Messages one sender may write in any hour…"""
PER_DAY = 10
"""…and in any 24 hours."""
REPORT_WINDOW = timedelta(days=90)
REPORTS_TO_STOP = 2
"""Reported messages (within ``REPORT_WINDOW``) after which a sender cannot write at all."""
TOKEN_BYTES = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
CONTACTABLE_STATUSES = ("open", "in_exchange", "solved")
"""Needs that may be written about (when ``contact_ok``); a withdrawn need is over."""


class Throttled(AccountError):
    """Too many messages in the window: the web answers 429."""


@dataclass(frozen=True, slots=True)
class Answered:
    """What the answering person learns: whom the answer went to, and their address."""

    sender_name: str
    sender_organisation: str
    sender_email: str
    contact_mail_sent: bool


# -- writing ---------------------------------------------------------------------------------

def write(session: Session, sender: Account, sender_organisation: Organisation,
          recipient: Organisation, *, subject: str, body: str, need: Need | None = None,
          solution: Solution | None = None, now: datetime | None = None) -> RelayMessage:
    """Store a message from ``sender`` (for ``sender_organisation``) to ``recipient``; sending
    is :func:`deliver`'s. Raises :class:`AccountError` (``Throttled`` for the limits) before
    anything is written."""
    now = now or utcnow()
    if sender.suspended_at is not None:
        raise AccountError("suspended", "a suspended account cannot send messages")
    if not may_act(sender):
        raise AccountError("email_unverified", "confirm your e-mail address first")
    if not is_member(session, sender, sender_organisation):
        raise AccountError("not_member", "you can write only for an organisation you are an "
                           "active member of")
    if recipient.id == sender_organisation.id:
        raise AccountError("same_organisation", "you cannot write to your own organisation")
    if need is not None:
        _check_need(need, recipient)
    subject, body = checked_subject(subject), checked_body(body, MIN_BODY, MAX_BODY)
    if not recipients(session, recipient.id):
        raise AccountError("no_recipients", "nobody at that organisation can receive messages "
                           "yet")
    _check_limits(session, sender, recipient, now)
    message = RelayMessage(sender_id=sender.id, sender_organisation_id=sender_organisation.id,
                           recipient_organisation_id=recipient.id,
                           need_id=need.id if need is not None else None,
                           solution_id=solution.id if solution is not None else None,
                           subject=subject, body=body, status="sent", created_at=now)
    session.add(message)
    session.flush()
    audit.record(session, actor_id=sender.id, action="relay.write",
                 subject_type="relay_message", subject_id=message.id,
                 organisation_id=sender_organisation.id, recipient_organisation_id=recipient.id,
                 need_id=message.need_id, solution_id=message.solution_id)
    return message


def may_write_about(need: Need) -> bool:
    """Whether the need's page offers the contact form at all."""
    return need.contact_ok and need.hidden_at is None and need.status in CONTACTABLE_STATUSES


def checked_subject(subject: str) -> str:
    subject = subject.strip()
    if any(character in subject for character in "\r\n\u2028\u2029\x85"):
        raise AccountError("subject_line", "the subject must be one line")
    if _control(subject, allowed=""):
        raise AccountError("control_character", "the text holds a control character")
    subject = " ".join(subject.split())
    if len(subject) < MIN_SUBJECT:
        raise AccountError("subject_missing", f"give a subject of at least {MIN_SUBJECT} "
                           "characters")
    if len(subject) > MAX_SUBJECT:
        raise AccountError("subject_too_long", f"the subject may have at most {MAX_SUBJECT} "
                           "characters")
    return subject


def checked_body(body: str, minimum: int, maximum: int) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _control(body, allowed="\n\t"):
        raise AccountError("control_character", "the text holds a control character")
    if len(body) < minimum:
        raise AccountError("body_too_short", f"write at least {minimum} characters")
    if len(body) > maximum:
        raise AccountError("body_too_long", f"the text may have at most {maximum} characters")
    return body


def sent_counts(session: Session, sender: Account, now: datetime) -> tuple[int, int]:
    """Messages ``sender`` wrote in the last hour and the last 24 hours."""
    def since(start: datetime) -> int:
        return session.exec(select(sa.func.count()).select_from(RelayMessage).where(
            RelayMessage.sender_id == sender.id, RelayMessage.created_at > start)).one()

    return since(now - timedelta(hours=1)), since(now - timedelta(days=1))


def _check_need(need: Need, recipient: Organisation) -> None:
    if need.organisation_id != recipient.id:
        raise AccountError("need_unavailable", "that need belongs to another organisation")
    if need.hidden_at is not None or need.status not in CONTACTABLE_STATUSES:
        raise AccountError("need_unavailable", "that need cannot be written about")
    if not need.contact_ok:
        raise AccountError("contact_not_wanted", "the organisation does not want to be "
                           "contacted about this need")


def _check_limits(session: Session, sender: Account, recipient: Organisation,
                  now: datetime) -> None:
    # PostgreSQL: one sender's writes queue here, so counting and storing cannot interleave
    session.exec(select(Account.id).where(Account.id == sender.id).with_for_update()).one()
    reported = session.exec(select(RelayMessage.recipient_organisation_id).where(
        RelayMessage.sender_id == sender.id, RelayMessage.status == "reported",
        RelayMessage.reported_at > now - REPORT_WINDOW)).all()
    if len(reported) >= REPORTS_TO_STOP:
        raise AccountError("sender_reported", "messages of yours were reported; you cannot "
                           "write to other organisations for now")
    if recipient.id in reported:
        raise AccountError("reported_by_recipient", "this organisation reported a message of "
                           "yours; you cannot write to it for now")
    last_hour, last_day = sent_counts(session, sender, now)
    if last_hour >= PER_HOUR:
        raise Throttled("throttled_hour", f"at most {PER_HOUR} messages an hour")
    if last_day >= PER_DAY:
        raise Throttled("throttled_day", f"at most {PER_DAY} messages a day")


def _control(text: str, allowed: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


# -- sending ---------------------------------------------------------------------------------

def recipients(session: Session, organisation_id: int) -> list[Account]:
    """The organisation's members who may hear of it: active, verified, not suspended."""
    return list(session.exec(
        select(Account).join(Membership, Membership.account_id == Account.id)
        .where(Membership.organisation_id == organisation_id, Membership.status == "active",
               Account.email_verified_at.is_not(None), Account.suspended_at.is_(None))
        .order_by(Account.email)))


def pending(session: Session) -> list[int]:
    """Messages not sent yet whose sender may still write, oldest first."""
    return list(session.exec(
        select(RelayMessage.id).join(Account, Account.id == RelayMessage.sender_id)
        .where(RelayMessage.sent_at.is_(None), RelayMessage.status == "sent",
               Account.suspended_at.is_(None))
        .order_by(RelayMessage.id)))


def send_pending(engine: Engine, settings: Settings, mailer: Mailer) -> int:
    """Send every pending message; returns the number of e-mails sent. Delivery failures are
    logged, never raised."""
    with session_scope(engine) as session:
        ids = pending(session)
    return sum(deliver(engine, settings, mailer, message_id) for message_id in ids)


def deliver(engine: Engine, settings: Settings, mailer: Mailer, message_id: int, *,
            now: datetime | None = None) -> int:
    """Send one stored message to its recipients (see the module's description); returns the
    number of e-mails sent, 0 when it was sent already, is being sent, or failed."""
    with session_scope(engine) as session:
        message = session.exec(
            select(RelayMessage)
            .where(RelayMessage.id == message_id, RelayMessage.sent_at.is_(None),
                   RelayMessage.status == "sent")
            .with_for_update(skip_locked=True)).first()
        if message is None:
            return 0
        sender = session.get(Account, message.sender_id) if message.sender_id else None
        if sender is None or sender.suspended_at is not None:
            log.info("relay message %s is held: its sender is gone or suspended", message.id)
            return 0
        token = secrets.token_urlsafe(TOKEN_BYTES)
        message.answer_token_hash = token_hash(token)
        subject, text = _message_mail(session, settings, message, sender, token)
        sent = failed = 0
        for account in recipients(session, message.recipient_organisation_id):
            try:
                mailer.send(account.email, subject, text)
            except (UnsafeHeader, MailError) as exc:
                log.warning("relay message %s: not delivered to account %s: %s", message.id,
                            account.id, exc)
                failed += 1
                continue
            sent += 1
        if failed and not sent:
            session.rollback()  # the token reached nobody: the next run draws a new one
            log.warning("relay message %s stays pending", message_id)
            return 0
        message.sent_at = now or utcnow()
        session.add(message)
        audit.record(session, actor_id=None, action="relay.deliver",
                     subject_type="relay_message", subject_id=message.id, recipients=sent,
                     failed=failed)
        session.commit()
        log.info("relay message %s sent to %d member(s), %d failed", message.id, sent, failed)
        return sent


def _message_mail(session: Session, settings: Settings, message: RelayMessage,
                  sender: Account, token: str) -> tuple[str, str]:
    base = settings.site.base_url.rstrip("/")
    about = None
    if message.need_id is not None and (need := session.get(Need, message.need_id)):
        about = (f"Ihr Bedarf „{need.title}“ ({base}/bedarfe/{need.id})",
                 f"your need \"{need.title}\" ({base}/bedarfe/{need.id})")
    elif message.solution_id is not None and (
            solution := session.get(Solution, message.solution_id)):
        name = solution.name or solution.url
        about = (f"die Lösung „{name}“ ({base}/loesungen/{solution.id})",
                 f"the solution \"{name}\" ({base}/loesungen/{solution.id})")
    return relay_message_mail(
        sender.name, organisation_name(session, message.sender_organisation_id),
        organisation_name(session, message.recipient_organisation_id), message.subject,
        message.body, about, f"{base}/nachricht/{token}/antworten",
        f"{base}/nachricht/{token}/melden")


# -- the recipient's side ----------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def by_token(session: Session, token: str, *, lock: bool = False) -> RelayMessage | None:
    """The message whose links carry ``token``; None for anything else (a guess, a typo)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    query = select(RelayMessage).where(RelayMessage.answer_token_hash == token_hash(token))
    return session.exec(query.with_for_update() if lock else query).first()


def may_answer(session: Session, account: Account | None, message: RelayMessage) -> bool:
    """Active members of the recipient organisation (who got the mail) answer."""
    organisation = session.get(Organisation, message.recipient_organisation_id)
    return organisation is not None and is_member(session, account, organisation)


def answer(session: Session, mailer: Mailer, account: Account, message: RelayMessage,
           text: str, *, now: datetime | None = None) -> Answered:
    """``account`` answers ``message``: the answer goes to the sender (``Reply-To`` the
    answerer), then the answerer is told the sender's address. Raises ``AccountError`` for a
    refusal and ``MailError`` when the answer could not be sent (nothing is changed then)."""
    if not may_answer(session, account, message):
        raise AccountError("not_member", "only members of the organisation written to can "
                           "answer")
    if message.status == "answered":
        raise AccountError("already_answered", "this message has been answered already")
    if message.status == "reported":
        raise AccountError("message_reported", "this message was reported; it cannot be "
                           "answered")
    text = checked_body(text, 1, MAX_ANSWER)
    sender = session.get(Account, message.sender_id) if message.sender_id else None
    if sender is None or sender.suspended_at is not None:
        raise AccountError("sender_gone", "the sender's account no longer exists or is "
                           "suspended")
    answerer_organisation = organisation_name(session, message.recipient_organisation_id)
    sender_organisation = organisation_name(session, message.sender_organisation_id)
    subject, body = relay_answer_mail(account.name, answerer_organisation, account.email,
                                      message.subject, text)
    # a MailError here leaves everything as it was
    mailer.send(sender.email, subject, body, reply_to=_address(account))
    message.status, message.answered_at = "answered", now or utcnow()
    session.add(message)
    audit.record(session, actor_id=account.id, action="relay.answer",
                 subject_type="relay_message", subject_id=message.id,
                 organisation_id=message.recipient_organisation_id)
    subject, body = relay_contact_mail(sender.name, sender_organisation, sender.email,
                                       message.subject)
    try:
        mailer.send(account.email, subject, body, reply_to=_address(sender))
        told = True
    except MailError as exc:
        log.warning("relay message %s: the answerer's copy failed: %s", message.id, exc)
        told = False
    return Answered(sender.name, sender_organisation, sender.email, told)


def report(session: Session, message: RelayMessage, reason: str, *,
           account: Account | None = None, now: datetime | None = None) -> RelayMessage:
    """The recipient reports ``message`` as unwanted or abusive (idempotent)."""
    if message.status == "reported":
        return message
    reason = " ".join(reason.split())
    if _control(reason, allowed=""):
        raise AccountError("control_character", "the text holds a control character")
    if len(reason) > MAX_REASON:
        raise AccountError("reason_too_long", f"the reason may have at most {MAX_REASON} "
                           "characters")
    message.status, message.reported_at = "reported", now or utcnow()
    message.report_reason = reason or None
    session.add(message)
    audit.record(session, actor_id=account.id if account is not None else None,
                 action="relay.report", subject_type="relay_message", subject_id=message.id,
                 sender_id=message.sender_id)
    return message


def reported_messages(session: Session, limit: int = 200) -> list[tuple]:
    """For admins: reported messages, newest report first, with sender and organisations."""
    sender_organisation = aliased(Organisation)
    recipient = aliased(Organisation)
    return list(session.exec(
        select(RelayMessage, Account, sender_organisation, recipient)
        .outerjoin(Account, Account.id == RelayMessage.sender_id)
        .outerjoin(sender_organisation,
                   sender_organisation.id == RelayMessage.sender_organisation_id)
        .join(recipient, recipient.id == RelayMessage.recipient_organisation_id)
        .where(RelayMessage.status == "reported")
        .order_by(RelayMessage.reported_at.desc(), RelayMessage.id.desc()).limit(limit)).all())


def _address(person: Account) -> str:
    """``Name <address>``, or the bare address when the name cannot be put in a header."""
    try:
        return str(Address(display_name=" ".join(person.name.split()), addr_spec=person.email))
    except (ValueError, IndexError):
        return person.email


def organisation_name(session: Session, organisation_id: int | None) -> str:
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    return organisation.name if organisation is not None else "–"
