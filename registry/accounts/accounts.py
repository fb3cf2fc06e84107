"""Accounts: sign-up, login, e-mail verification, password changes and suspension.

An account can log in before its address is verified (to see what to do next) but can do
nothing that others see — register repositories, declare adoptions, join organisations —
until it is: ``permissions`` checks ``email_verified_at``. Suspension and password changes raise
``session_version``, which ends every open session of the account at its next request.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from registry import audit
from registry.models import Account, utcnow
from registry.publiccode.formats import is_email

from . import passwords
from .errors import AccountError

MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 120


def normalise_email(email: str) -> str:
    """Lower-cased and trimmed; refuses what is not one plain address."""
    cleaned = email.strip().lower()
    if (not cleaned or len(cleaned) > MAX_EMAIL_LENGTH or not is_email(cleaned)
            or any(c.isspace() or ord(c) < 32 for c in cleaned)):
        raise AccountError("email_invalid", "this is not a valid e-mail address")
    return cleaned


def email_domain(email: str) -> str:
    return email.rpartition("@")[2]


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise AccountError("name_missing", "please give a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise AccountError("name_too_long",
                           f"the name must have at most {MAX_NAME_LENGTH} characters")
    return cleaned


def by_email(session: Session, email: str) -> Account | None:
    try:
        address = normalise_email(email)
    except AccountError:
        return None
    return session.exec(select(Account).where(Account.email == address)).first()


def create_account(session: Session, *, email: str, password: str, name: str,
                   admin: bool = False, verified: bool = False,
                   actor_id: int | None = None) -> Account:
    """A new account; ``verified`` only for accounts an operator creates on the command line."""
    address = normalise_email(email)
    account = Account(email=address, password_hash=passwords.hash_password(password),
                      name=clean_name(name), is_admin=admin,
                      email_verified_at=utcnow() if verified else None)
    try:
        with session.begin_nested():
            session.add(account)
    except sa.exc.IntegrityError:
        raise AccountError("email_taken", "an account with this e-mail address exists already"
                           ) from None
    audit.record(session, actor_id=actor_id if actor_id is not None else account.id,
                 action="account.create", subject_type="account", subject_id=account.id,
                 admin=admin, verified=verified)
    return account


def authenticate(session: Session, email: str, password: str) -> Account | None:
    """The account when the password is right, else None (for unknown addresses too, after
    the same work). A suspended account is returned: the caller says why it may not enter."""
    account = by_email(session, email)
    if account is None:
        passwords.burn_time(password)
        return None
    if not passwords.verify_password(account.password_hash, password):
        return None
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    account.last_login_at = utcnow()
    session.add(account)
    return account


def mark_verified(session: Session, account: Account) -> bool:
    """Record that the address is the account holder's; False when it already was."""
    if account.email_verified_at is not None:
        return False
    account.email_verified_at = utcnow()
    session.add(account)
    audit.record(session, actor_id=account.id, action="account.verify_email",
                 subject_type="account", subject_id=account.id)
    return True


def set_password(session: Session, account: Account, password: str, *,
                 actor_id: int | None) -> None:
    """A new password; every other session of the account ends."""
    account.password_hash = passwords.hash_password(password)
    account.session_version += 1
    session.add(account)
    audit.record(session, actor_id=actor_id, action="account.set_password",
                 subject_type="account", subject_id=account.id)


def end_sessions(session: Session, account: Account) -> None:
    """"Log out everywhere": every open session of the account ends at its next request."""
    account.session_version += 1
    session.add(account)
    audit.record(session, actor_id=account.id, action="account.end_sessions",
                 subject_type="account", subject_id=account.id)


def suspend(session: Session, account: Account, *, actor_id: int, reason: str) -> None:
    if account.id == actor_id:
        raise AccountError("cannot_suspend_self", "you cannot suspend your own account")
    account.suspended_at = utcnow()
    account.suspended_reason = reason.strip()[:500] or None
    account.session_version += 1
    session.add(account)
    audit.record(session, actor_id=actor_id, action="account.suspend", subject_type="account",
                 subject_id=account.id, reason=account.suspended_reason)


def unsuspend(session: Session, account: Account, *, actor_id: int) -> None:
    account.suspended_at = None
    account.suspended_reason = None
    session.add(account)
    audit.record(session, actor_id=actor_id, action="account.unsuspend",
                 subject_type="account", subject_id=account.id)
