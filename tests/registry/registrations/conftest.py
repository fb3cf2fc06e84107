"""Accounts, settings and a fake forge on 127.0.0.1 for the registration tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from registry.config import Settings
from registry.fetch import SafeFetcher
from registry.models import Account, utcnow

REPO = Path(__file__).resolve().parents[3]
VALID = (REPO / "examples" / "terminbuchung" / "publiccode.yml").read_bytes()
CONTACT = "servicedesk@kommunal-it.example"


def make_account(engine, email: str = "maintainer@example.org", *,
                 verified: bool = True) -> Account:
    with Session(engine, expire_on_commit=False) as session:
        account = Account(email=email, password_hash="x", name="Maintainer",
                          email_verified_at=utcnow() if verified else None,
                          created_at=utcnow())
        session.add(account)
        session.commit()
        return account


@pytest.fixture
def account(engine) -> Account:
    return make_account(engine)


@pytest.fixture
def settings(tmp_path, engine) -> Settings:
    """Private addresses allowed: the fake forges live on loopback."""
    return Settings(data_dir=tmp_path / "data", database_url=str(engine.url),
                    allow_private_addresses=True)


@pytest.fixture
def fetcher() -> SafeFetcher:
    return SafeFetcher(allow_private=True, timeout=5, deadline=10)
