"""Who may do what: the one place the web pages, the API and the tests ask.

The roles of the issue map to facts, not to a role column that could drift from them:
- **admin**: ``Account.is_admin`` (the first one from ``allmende user create --admin``);
- **maintainer** of a solution: has a *verified* registration of its repository;
- **member** of an organisation: has an *active* membership.
Every rule first requires an account that may act at all: verified address, not suspended.
"""

from __future__ import annotations

from sqlmodel import Session, select

from registry.models import Account, Membership, Organisation, Registration, Solution


def may_act(account: Account | None) -> bool:
    return (account is not None and account.suspended_at is None
            and account.email_verified_at is not None)


def is_admin(account: Account | None) -> bool:
    return may_act(account) and account.is_admin


def is_member(session: Session, account: Account | None, organisation: Organisation) -> bool:
    return may_act(account) and _membership(session, account, organisation, "member")


def is_organisation_admin(session: Session, account: Account | None,
                          organisation: Organisation) -> bool:
    if is_admin(account):
        return True
    return may_act(account) and _membership(session, account, organisation, "admin")


def maintains(session: Session, account: Account | None, solution: Solution) -> bool:
    """Site admins count as maintainers of everything (to help and to moderate)."""
    if is_admin(account):
        return True
    if not may_act(account):
        return False
    return session.exec(select(Registration.id).where(
        Registration.account_id == account.id, Registration.url == solution.url,
        Registration.status == "verified")).first() is not None


def may_register_repositories(account: Account | None) -> bool:
    return may_act(account)


def _membership(session: Session, account: Account, organisation: Organisation,
                role: str) -> bool:
    query = select(Membership.id).where(Membership.account_id == account.id,
                                        Membership.organisation_id == organisation.id,
                                        Membership.status == "active")
    if role == "admin":
        query = query.where(Membership.role == "admin")
    return session.exec(query).first() is not None
