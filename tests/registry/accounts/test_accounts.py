"""Accounts, e-mail links and API tokens against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from registry.accounts import AccountError, accounts, links, passwords, tokens
from registry.db import session_scope
from registry.models import Account, AuditEntry

SECRET = "s" * 48
PASSWORD = "correct horse battery staple"


def make(engine, email="Anna@Musterstadt.DE", **kwargs) -> Account:
    with session_scope(engine) as session:
        account = accounts.create_account(session, email=email, password=PASSWORD,
                                          name=" Anna  Muster ", **kwargs)
        session.commit()
        return account


def test_sign_up_stores_a_hash_lower_cased_address_and_an_audit_entry(engine):
    account = make(engine)
    assert account.email == "anna@musterstadt.de"
    assert account.name == "Anna Muster"
    assert PASSWORD not in account.password_hash
    assert account.password_hash.startswith("$argon2id$")
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry)).one()
        assert (entry.action, entry.subject_id) == ("account.create", account.id)


def test_one_address_one_account(engine):
    make(engine)
    with session_scope(engine) as session, pytest.raises(AccountError) as caught:
        accounts.create_account(session, email="anna@musterstadt.de ", password=PASSWORD,
                                name="Other")
    assert caught.value.code == "email_taken"


@pytest.mark.parametrize(("email", "password", "code"), [
    ("not-an-address", PASSWORD, "email_invalid"),
    ("a@b.de\r\nBcc: x@y.de", PASSWORD, "email_invalid"),
    ("anna@musterstadt.de", "short", "password_too_short"),
    ("anna@musterstadt.de", "x" * 300, "password_too_long"),
])
def test_bad_sign_ups_are_refused_with_a_code(engine, email, password, code):
    with session_scope(engine) as session, pytest.raises(AccountError) as caught:
        accounts.create_account(session, email=email, password=password, name="Anna")
    assert caught.value.code == code


def test_authenticate(engine):
    make(engine)
    with session_scope(engine) as session:
        assert accounts.authenticate(session, "ANNA@musterstadt.de", PASSWORD) is not None
        assert accounts.authenticate(session, "anna@musterstadt.de", "wrong password!") is None
        assert accounts.authenticate(session, "nobody@musterstadt.de", PASSWORD) is None


def test_every_login_costs_one_hash_whatever_the_address_or_length(engine, monkeypatch):
    """Response time must not tell which addresses have accounts: a known address with an
    overlong password once returned before hashing, an unknown one after (0.6 vs 46 ms)."""
    make(engine)
    checks: list[int] = []

    class CountingHasher(PasswordHasher):  # argon2's own class, counting its verifications
        def verify(self, stored, given):
            checks.append(1)
            return super().verify(stored, given)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher(time_cost=2, memory_cost=19 * 1024,
                                                             parallelism=1))
    with session_scope(engine) as session:
        for email in ("anna@musterstadt.de", "nobody@musterstadt.de"):
            for password in (PASSWORD, "wrong password here", "x" * 300):
                before = len(checks)
                accounts.authenticate(session, email, password)
                assert len(checks) - before == 1, (email, len(password))


def test_verification_link_works_for_its_address_only(engine):
    account = make(engine)
    token = links.verification_token(SECRET, account)
    with session_scope(engine) as session:
        found = links.account_for_verification(session, SECRET, token)
        assert found is not None and found.id == account.id
        assert links.account_for_verification(session, "t" * 48, token) is None
        # Change a character well inside the signature: the last base64 character
        # may carry unused bits, and a fixed replacement could equal the original.
        changed = "A" if token[-5] != "A" else "B"
        tampered = token[:-5] + changed + token[-4:]
        assert links.account_for_verification(session, SECRET, tampered) is None
        assert links.account_for_reset(session, SECRET, token) is None  # other purpose
        found.email = "other@musterstadt.de"
        session.commit()
        assert links.account_for_verification(session, SECRET, token) is None


def test_reset_link_works_once(engine):
    account = make(engine)
    token = links.reset_token(SECRET, account)
    with session_scope(engine) as session:
        found = links.account_for_reset(session, SECRET, token)
        assert found is not None
        accounts.set_password(session, found, "a brand new passphrase", actor_id=found.id)
        session.commit()
        assert found.session_version == 1
        assert links.account_for_reset(session, SECRET, token) is None


def test_api_tokens_are_stored_hashed_shown_once_and_revocable(engine):
    account = make(engine, verified=True)
    with session_scope(engine) as session:
        stored, plain = tokens.create_token(session, account, "CI")
        session.commit()
        assert plain.startswith("alm_") and plain not in stored.token_hash
        assert stored.prefix == plain[:10]
        assert tokens.account_for_token(session, plain).id == account.id
        assert tokens.account_for_token(session, plain + "x") is None
        assert tokens.revoke_token(session, account, stored.id)
        session.commit()
        assert tokens.account_for_token(session, plain) is None


def test_tokens_of_unverified_or_suspended_accounts_do_not_work(engine):
    unverified = make(engine)
    admin = make(engine, email="admin@allmende.example", admin=True, verified=True)
    with session_scope(engine) as session:
        _stored, plain = tokens.create_token(session, unverified, "x")
        session.commit()
        assert tokens.account_for_token(session, plain) is None
        account = session.get(Account, unverified.id)
        accounts.mark_verified(session, account)
        session.commit()
        assert tokens.account_for_token(session, plain) is not None
        accounts.suspend(session, account, actor_id=admin.id, reason="spam")
        session.commit()
        assert tokens.account_for_token(session, plain) is None
        assert account.session_version == 1
        with pytest.raises(AccountError):
            accounts.suspend(session, session.get(Account, admin.id), actor_id=admin.id,
                             reason="")
