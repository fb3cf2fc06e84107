"""Organisations, joining by domain or approval, permissions and adoption declarations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from registry import adoptions
from registry.accounts import AccountError, accounts, organisations, permissions
from registry.db import session_scope
from registry.models import Account, Solution, Source, utcnow

PASSWORD = "correct horse battery staple"


def account(session, email, *, verified=True, admin=False) -> Account:
    return accounts.create_account(session, email=email, password=PASSWORD, name=email,
                                   verified=verified, admin=admin)


def town(session, actor_id, **kwargs):
    values = {"name": "Stadt Musterstadt", "kind": "municipality", "state": "Bayern",
              "official_key": "09162000", "email_domain": "musterstadt.de"} | kwargs
    return organisations.create_organisation(session, actor_id=actor_id, **values)


def test_verified_address_at_the_domain_joins_at_once_others_wait(engine):
    with session_scope(engine) as session:
        admin = account(session, "admin@allmende.example", admin=True)
        org = town(session, admin.id)
        insider = account(session, "it@musterstadt.de")
        outsider = account(session, "berater@example.org")
        unverified = account(session, "neu@musterstadt.de", verified=False)
        assert organisations.join(session, insider, org).status == "active"
        pending = organisations.join(session, outsider, org)
        assert pending.status == "pending"
        assert not permissions.is_member(session, outsider, org)
        with pytest.raises(AccountError):
            organisations.join(session, unverified, org)
        organisations.decide(session, pending, actor_id=admin.id, approve=True)
        assert permissions.is_member(session, outsider, org)
        assert not permissions.is_organisation_admin(session, outsider, org)
        assert permissions.is_organisation_admin(session, admin, org)
        session.commit()


def test_join_by_domain_after_verification(engine):
    with session_scope(engine) as session:
        admin = account(session, "admin@allmende.example", admin=True)
        org = town(session, admin.id)
        person = account(session, "kaemmerei@musterstadt.de", verified=False)
        accounts.mark_verified(session, person)
        assert [m.organisation_id for m in organisations.join_by_domain(session, person)] == [
            org.id]
        assert permissions.is_member(session, person, org)


@pytest.mark.parametrize(("values", "code"), [
    ({"official_key": "1234"}, "official_key_form"),
    ({"official_key": "99162000"}, "official_key_land"),
    ({"official_key": "08111000"}, "official_key_state"),
    ({"kind": "castle"}, "organisation_kind"),
    ({"state": "Atlantis"}, "organisation_state"),
    ({"website": "javascript:alert(1)"}, "organisation_website"),
    ({"email_domain": "not a domain"}, "organisation_domain"),
])
def test_bad_organisations_are_refused(engine, values, code):
    with session_scope(engine) as session, pytest.raises(AccountError) as caught:
        town(session, 1, **values)
    assert caught.value.code == code


def test_suspended_accounts_may_do_nothing(engine):
    with session_scope(engine) as session:
        admin = account(session, "admin@allmende.example", admin=True)
        other = account(session, "admin2@allmende.example", admin=True)
        accounts.suspend(session, other, actor_id=admin.id, reason="left")
        assert permissions.is_admin(admin) and not permissions.is_admin(other)
        assert not permissions.may_act(None)


def _solution(session) -> Solution:
    source = Source(name="demo", type="demo")
    session.add(source)
    session.flush()
    now = utcnow()
    solution = Solution(url="https://git.example/a/b", source_id=source.id, status="valid",
                        name="B", first_seen_at=now, last_harvested_at=now,
                        last_changed_at=now)
    session.add(solution)
    session.flush()
    return solution


def test_members_declare_adoption_once_per_organisation_and_admins_hide_it(engine):
    with session_scope(engine) as session:
        admin = account(session, "admin@allmende.example", admin=True)
        org = town(session, admin.id)
        member = account(session, "it@musterstadt.de")
        stranger = account(session, "x@example.org")
        organisations.join(session, member, org)
        solution = _solution(session)
        first = adoptions.declare(session, member, org, solution, use_case="Ratsinfo",
                                  since=date(2024, 1, 1), instance_url="https://rat.musterstadt.de",
                                  contact_ok=True)
        again = adoptions.declare(session, member, org, solution, use_case="Rats-Info",
                                  since=None, instance_url=None, contact_ok=False)
        assert again.id == first.id and again.use_case == "Rats-Info"
        with pytest.raises(AccountError):
            adoptions.declare(session, stranger, org, solution, use_case=None, since=None,
                              instance_url=None, contact_ok=False)
        with pytest.raises(AccountError):
            adoptions.declare(session, member, org, solution, use_case=None,
                              since=date.today() + timedelta(days=2), instance_url=None,
                              contact_ok=False)
        with pytest.raises(AccountError):
            adoptions.set_hidden(session, member, again, hidden=True)
        adoptions.set_hidden(session, admin, again, hidden=True, reason="Werbung")
        assert again.hidden_at is not None and again.hidden_reason == "Werbung"
        session.commit()


def test_a_hidden_declaration_cannot_be_withdrawn_and_declared_again(engine):
    with session_scope(engine) as session:
        admin = account(session, "admin@allmende.example", admin=True)
        org = town(session, admin.id)
        member = account(session, "it@musterstadt.de")
        organisations.join(session, member, org)
        solution = _solution(session)
        declared = adoptions.declare(session, member, org, solution, use_case="Werbung",
                                     since=None, instance_url=None, contact_ok=False)
        adoptions.set_hidden(session, admin, declared, hidden=True, reason="Werbung")
        with pytest.raises(AccountError) as caught:
            adoptions.withdraw(session, member, declared)
        assert caught.value.code == "declaration_hidden"
        again = adoptions.declare(session, member, org, solution, use_case="Neu", since=None,
                                  instance_url=None, contact_ok=False)
        assert again.id == declared.id and again.hidden_at is not None  # still hidden
