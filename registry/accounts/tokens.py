"""Personal API tokens: random, shown once, stored as a SHA-256 digest, revocable.

A token is 32 random bytes, so a plain digest is as good as a slow hash here and lets every
API request be checked with one indexed lookup. The ``alm_`` prefix makes leaked tokens easy
to find with secret scanners.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from registry import audit
from registry.models import Account, ApiToken, utcnow

from .errors import AccountError
from .permissions import may_act

PREFIX = "alm_"
MAX_TOKENS_PER_ACCOUNT = 20
LAST_USED_RESOLUTION = timedelta(minutes=5)
"""``last_used_at`` is written at most this often, so reads stay reads."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, account: Account, name: str) -> tuple[ApiToken, str]:
    """The stored token and the plain token, which is never available again."""
    label = " ".join(name.split())[:80]
    if not label:
        raise AccountError("token_name_missing", "please give the token a name")
    active = session.exec(select(ApiToken).where(ApiToken.account_id == account.id,
                                                 ApiToken.revoked_at.is_(None))).all()
    if len(active) >= MAX_TOKENS_PER_ACCOUNT:
        raise AccountError("too_many_tokens",
                           f"at most {MAX_TOKENS_PER_ACCOUNT} tokens; revoke one first")
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(account_id=account.id, name=label, token_hash=_digest(plain),
                     prefix=plain[:len(PREFIX) + 6])
    session.add(token)
    session.flush()
    audit.record(session, actor_id=account.id, action="token.create", subject_type="apitoken",
                 subject_id=token.id, name=label)
    return token, plain


def account_for_token(session: Session, plain: str) -> Account | None:
    """The token's account when the token is live and the account may act, else None."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(plain))).first()
    if token is None or token.revoked_at is not None:
        return None
    account = session.get(Account, token.account_id)
    if not may_act(account):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.add(token)
    return account


def revoke_token(session: Session, account: Account, token_id: int) -> bool:
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.add(token)
    audit.record(session, actor_id=account.id, action="token.revoke", subject_type="apitoken",
                 subject_id=token.id)
    return True


def tokens_of(session: Session, account: Account) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.account_id == account.id)
                             .order_by(ApiToken.created_at.desc())).all())
