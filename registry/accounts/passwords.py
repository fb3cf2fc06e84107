"""Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Why a module: the parameters live in one place, hashes made with older parameters are
upgraded at the next successful login (``needs_rehash``), and a login for an unknown address
still costs one hash computation, so response times do not tell which addresses have accounts.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import AccountError

MIN_LENGTH = 12
MAX_LENGTH = 256
"""Long enough for any passphrase, short enough that hashing cannot be used to load the CPU."""

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
"""argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took about 0.9 s per login on a 2-core
server, which makes every login attempt an easy way to load it; OWASP's minimum costs tens of
milliseconds and is still far beyond what offline guessing can afford at scale."""


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError("password_too_short",
                           f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise AccountError("password_too_long",
                           f"the password must have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:  # never right, but as slow as a check: time tells nothing
        burn_time(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def burn_time(password: str) -> None:
    """Verify against a fixed hash: as slow as a real check, for unknown addresses."""
    verify_password(_dummy_hash(), password[:MAX_LENGTH])


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password of anybody")
