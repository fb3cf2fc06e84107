"""Helpers of the maintainer page tests: a fake Gitea on loopback, registrations in the
database, the CSRF token of a page."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select

from registry.db import session_scope
from registry.models import Registration, Solution, utcnow
from registry.registrations import new_verify_token, start_registration

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EXAMPLE = (EXAMPLES / "terminbuchung" / "publiccode.yml").read_bytes()
BROKEN = (b'publiccodeYmlVersion: "0.4"\nname: Kaputt\nurl: "https://git.example/x"\n'
          b"developmentStatus: finished\n")


def gitea(server, owner: str, name: str, publiccode: bytes = EXAMPLE) -> str:
    """Serve a Gitea repository with a publiccode.yml on its default branch; its URL."""
    server.add(f"/api/v1/repos/{owner}/{name}", json.dumps({"default_branch": "main"}),
               headers={"Content-Type": "application/json"})
    server.add(f"/{owner}/{name}/raw/branch/main/publiccode.yml", publiccode)
    return server.url(f"/{owner}/{name}")


def prove(server, owner: str, name: str, token: str) -> None:
    server.add(f"/{owner}/{name}/raw/branch/main/.allmende-verify", f"{token}\n")


def register(engine, account, url: str, *, verified: bool = False) -> int:
    """A registration of ``url`` by ``account`` straight through the service; its id."""
    with session_scope(engine) as session:
        registration = start_registration(session, account, url, "gitea", allow_private=True)
        if verified:
            registration.status, registration.proof = "verified", "file"
            session.add(registration)
            session.commit()
        return registration.id


def registration(engine, registration_id: int) -> Registration | None:
    with session_scope(engine) as session:
        return session.get(Registration, registration_id)


def a_solution(engine) -> Solution:
    """A solution of the demo catalogue that the site shows."""
    with session_scope(engine) as session:
        return session.exec(select(Solution).where(Solution.status == "valid")
                            .order_by(Solution.id)).first()


def maintain(engine, account, solution: Solution) -> int:
    """A verified registration of ``solution`` by ``account``, inserted directly (the demo's
    repositories have file: URLs, which registration refuses); its id."""
    with session_scope(engine) as session:
        row = Registration(account_id=account.id, url=solution.url, forge_type="git",
                           status="verified", proof="file", verify_token=new_verify_token(),
                           webhook_salt="s" * 32, created_at=utcnow(), verified_at=utcnow())
        session.add(row)
        session.commit()
        return row.id
