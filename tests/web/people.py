"""The people of the web tests: one account per role, made through the real services.

``People`` holds an admin, a member of "Stadt Musterstadt" (joined by e-mail domain), a
verified account with no organisation (``outsider``) and one whose address is not verified
yet. Maintainers are made in the tests that need them (a verified registration needs a
repository). ``log_in`` sets the session the way the login route does; ``csrf_token`` reads the
token from a page's form, as a browser would submit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask.testing import FlaskClient

from registry.accounts import accounts, organisations
from registry.db import session_scope
from registry.models import Account, Organisation

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class People:
    admin: Account
    member: Account
    outsider: Account
    unverified: Account
    town: Organisation


def make_people(engine) -> People:
    with session_scope(engine) as session:
        def account(email: str, *, verified: bool = True, admin: bool = False) -> Account:
            return accounts.create_account(session, email=email, password=PASSWORD,
                                           name=email.split("@")[0], verified=verified,
                                           admin=admin)

        admin = account("admin@allmende.example", admin=True)
        town = organisations.create_organisation(
            session, actor_id=admin.id, name="Stadt Musterstadt", kind="municipality",
            state="Bayern", official_key="09162000", email_domain="musterstadt.de")
        member = account("it@musterstadt.de")
        organisations.join(session, member, town)
        people = People(admin=admin, member=member, outsider=account("jo@example.org"),
                        unverified=account("neu@example.org", verified=False), town=town)
        session.commit()
        return people


def log_in(client: FlaskClient, account: Account | None) -> FlaskClient:
    """Act as ``account`` (None: anonymous) in this client."""
    with client.session_transaction() as session:
        session.clear()
        if account is not None:
            session["account_id"] = account.id
            session["version"] = account.session_version
    return client


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, f"no CSRF token in the form at {path} (status {page.status_code})"
    return found.group(1)
