"""Fixtures: the search tests' catalogue (examples and a slice of the shared corpus, real files
recorded as a harvest records them) and index, and three towns with members.

The catalogue helpers are the search tests' own (tests/search/conftest.py), so matching is
tested on exactly what search is tested on.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from registry import adoptions
from registry.accounts import accounts, organisations
from registry.db import session_scope
from registry.models import Account, Need, Organisation, Solution
from registry.needs.service import post_need
from tests.search.conftest import EXAMPLE_URLS, catalogue_ids, index_dir, service  # noqa: F401 (fixtures)
from tests.search.test_cli import run  # noqa: F401 (fixture: the CLI on the test catalogue)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
OPAS = "https://github.com/ARPA-VdA/opas"
TERMINE = EXAMPLE_URLS["terminbuchung"]
TOWNS = {
    # slug: (name, state, population, e-mail domain)
    "musterstadt": ("Stadt Musterstadt", "Bayern", 48_000, "musterstadt.de"),
    "beispielheim": ("Stadt Beispielheim", "Bayern", 61_000, "beispielheim.de"),
    "nordhafen": ("Stadt Nordhafen", "Schleswig-Holstein", 55_000, "nordhafen.de"),
    "kleindorf": ("Gemeinde Kleindorf", "Hessen", 2_100, "kleindorf.de"),
}


@pytest.fixture
def towns(engine) -> dict[str, dict[str, int]]:
    """Slug → {"org": organisation id, "member": account id} for each of ``TOWNS``."""
    found = {}
    with session_scope(engine) as session:
        admin = accounts.create_account(session, email="admin@allmende.example",
                                        password=PASSWORD, name="Admin", verified=True,
                                        admin=True)
        for slug, (name, state, population, domain) in TOWNS.items():
            org = organisations.create_organisation(session, actor_id=admin.id, name=name,
                                                    kind="municipality", state=state,
                                                    email_domain=domain)
            org.population = population
            member = accounts.create_account(session, email=f"it@{domain}", password=PASSWORD,
                                             name=f"IT {name}", verified=True)
            organisations.join(session, member, org)
            found[slug] = {"org": org.id, "member": member.id}
        session.commit()
    return found


def post(engine, towns, town: str, title: str, description: str, field: str, **more) -> int:
    """A need posted by a member of ``town``, as the web posts it; its id."""
    with session_scope(engine) as session:
        need = post_need(session, session.get(Account, towns[town]["member"]),
                         session.get(Organisation, towns[town]["org"]), title=title,
                         description=description, field_of_action=field,
                         now=more.pop("now", T0), **more)
        session.commit()
        return need.id


def declare(engine, towns, town: str, url: str) -> None:
    """``town`` declares that it uses the solution at ``url``."""
    with session_scope(engine) as session:
        solution = session.exec(select(Solution).where(Solution.url == url)).one()
        adoptions.declare(session, session.get(Account, towns[town]["member"]),
                          session.get(Organisation, towns[town]["org"]), solution,
                          use_case=None, since=None, instance_url=None, contact_ok=True)
        session.commit()


def need_of(engine, need_id: int) -> Need:
    with session_scope(engine) as session:
        need = session.get(Need, need_id)
        session.expunge(need)
        return need
