"""Read-only queries of the organisation pages and the organisations API.

Public: name, kind, state, keys, website, the linked publisher, how many active members (never
who: member addresses are private) and the organisation's visible declarations of shown
solutions. Pending requests (with the requester's name and address) only for the people who
decide them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from registry.models import (
    Account,
    Adoption,
    Membership,
    Organisation,
    Solution,
    adoption_shown,
    shown_in_catalogue,
)

from ..catalogue_reads import MAX_ID


def page(session: Session, offset: int, limit: int) -> tuple[int, list[tuple[Organisation, int]]]:
    """(total, [(organisation, active member count)]) by name, then id."""
    total = session.exec(select(sa.func.count()).select_from(Organisation)).one()
    members = _members()
    query = (select(Organisation, sa.func.coalesce(members.c.n, 0))
             .outerjoin(members, members.c.organisation_id == Organisation.id)
             .order_by(Organisation.name, Organisation.id).offset(offset).limit(limit))
    return total, [(o, int(n)) for o, n in session.exec(query)]


def _members():
    return (select(Membership.organisation_id, sa.func.count().label("n"))
            .where(Membership.status == "active").group_by(Membership.organisation_id)
            .subquery("members"))


def by_slug(session: Session, slug: str) -> Organisation | None:
    if len(slug) > 200:
        return None
    return session.exec(select(Organisation).where(Organisation.slug == slug)).first()


def by_id(session: Session, organisation_id: int) -> Organisation | None:
    if not 0 < organisation_id <= MAX_ID:
        return None
    return session.get(Organisation, organisation_id)


def member_count(session: Session, organisation_id: int) -> int:
    return session.exec(select(sa.func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation_id, Membership.status == "active")).one()


def declared_adoptions(session: Session, organisation_id: int) -> list[tuple[Adoption, Solution]]:
    """The organisation's visible declarations of solutions the catalogue shows, by name."""
    query = (select(Adoption, Solution).join(Solution, Solution.id == Adoption.solution_id)
             .where(Adoption.organisation_id == organisation_id,
                    Adoption.origin == "declared", adoption_shown(),
                    shown_in_catalogue())
             .order_by(Solution.name, Solution.id))
    return list(session.exec(query))


def pending_requests(session: Session, organisation_id: int) -> list[tuple[Membership, Account]]:
    query = (select(Membership, Account).join(Account, Account.id == Membership.account_id)
             .where(Membership.organisation_id == organisation_id,
                    Membership.status == "pending")
             .order_by(Membership.created_at, Membership.id))
    return list(session.exec(query))
