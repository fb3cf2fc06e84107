"""Helpers for the registered-source tests: accounts and verified registrations in a catalogue."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from registry.config import Settings
from registry.models import Account, Registration, Solution, Source, utcnow
from registry.normalise import normalise_repository_url
from registry.registrations import new_verify_token

REPO = Path(__file__).resolve().parents[2]
VALID = (REPO / "examples" / "terminbuchung" / "publiccode.yml").read_bytes()


def settings_for(tmp_path: Path, engine, *, allow_private: bool = True) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=engine.url.render_as_string(
        hide_password=False), allow_private_addresses=allow_private)


def register(engine, url: str, *, status: str = "verified", forge_type: str = "git",
             email: str = "maintainer@example.org") -> Registration:
    with Session(engine, expire_on_commit=False) as session:
        account = session.exec(select(Account).where(Account.email == email)).first()
        if account is None:
            account = Account(email=email, password_hash="x", name="M", created_at=utcnow(),
                              email_verified_at=utcnow())
            session.add(account)
            session.flush()
        registration = Registration(account_id=account.id, url=normalise_repository_url(url),
                                    forge_type=forge_type, status=status,
                                    verify_token=new_verify_token(), webhook_salt="s" * 32,
                                    created_at=utcnow(),
                                    verified_at=utcnow() if status == "verified" else None)
        session.add(registration)
        session.commit()
        return registration


def solution(engine, url: str) -> tuple[Solution, str] | None:
    """The solution at ``url`` and its source's name."""
    with Session(engine) as session:
        found = session.exec(select(Solution).where(
            Solution.url == normalise_repository_url(url))).first()
        if found is None:
            return None
        return found, session.get(Source, found.source_id).name
