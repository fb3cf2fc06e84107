"""Signed, expiring links sent by e-mail: address verification and password reset.

No table: the link carries what it proves, signed with the application's secret key
(itsdangerous, which Flask itself uses for sessions). A verification link names the account
and the address, so it is void once the address changes. A reset link also carries a piece of
the current password hash and the session version, so it works once: the new password voids it.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session

from registry.models import Account

VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"allmende.{purpose}")


def _fingerprint(account: Account) -> str:
    material = f"{account.password_hash}:{account.session_version}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def verification_token(secret_key: str, account: Account) -> str:
    return _serializer(secret_key, "verify").dumps({"id": account.id, "email": account.email})


def reset_token(secret_key: str, account: Account) -> str:
    return _serializer(secret_key, "reset").dumps({"id": account.id,
                                                   "f": _fingerprint(account)})


def account_for_verification(session: Session, secret_key: str, token: str) -> Account | None:
    data = _load(secret_key, "verify", token, VERIFY_MAX_AGE)
    account = session.get(Account, data.get("id")) if data else None
    return account if account is not None and account.email == data.get("email") else None


def account_for_reset(session: Session, secret_key: str, token: str) -> Account | None:
    data = _load(secret_key, "reset", token, RESET_MAX_AGE)
    account = session.get(Account, data.get("id")) if data else None
    return account if account is not None and _fingerprint(account) == data.get("f") else None


def _load(secret_key: str, purpose: str, token: str, max_age: int) -> dict | None:
    if len(token) > 1000:
        return None
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return data if isinstance(data, dict) and isinstance(data.get("id"), int) else None
